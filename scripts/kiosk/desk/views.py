"""The desk's own screens: the 限时办结 home screen, intake (一次性告知), login and the error pages. The screens
of each kind of record are viewsets.py, configured in kinds.py. Unknown records and those of another township
or window are 404, never 403: their existence is not revealed.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import DisallowedHost, PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from kiosk.calendar import accept_period
from kiosk.clock import missing_next_year
from kiosk.problems import message
from kiosk.text.render import shared as render_env

from . import dashboard, deadlines, roles
from .catalogues import Unavailable, catalogues
from .forms.application import IntakeForm, LoginForm
from .models import Application, Case
from .steps import application
from .viewsets import township_of

# ---------------------------------------------------------------- what every page knows


def desk_context(request) -> dict:
    """The logged-in person, their role, township and window, and whether the catalogue is the last good one."""
    p = roles.profile(getattr(request, "user", None))
    if p is None:
        return {}
    context = {
        "me": p,
        "role": roles.role_of(request.user),
        "can_add": roles.has(request.user, "add_application"),
        "can_export": roles.has(request.user, "export_records"),
    }
    if p.township:
        try:
            t = catalogues().get(p.township)
            context.update(center=t.center, township=t, my_window=t.cv.windows.get(p.window))
        except Unavailable as e:
            context["catalogue_problems"] = e.problems
    return context


def _profile(request):
    p = roles.profile(request.user)
    if p is None:
        raise PermissionDenied
    return p


def _township(request):
    """The person's own township catalogue (window staff and center heads)."""
    p = _profile(request)
    if not p.township:
        raise PermissionDenied
    return township_of(p.township)


def _require(request, codename: str) -> None:
    if not roles.has(request.user, codename):
        raise PermissionDenied


# ---------------------------------------------------------------- login


class LoginView(auth_views.LoginView):
    template_name = "desk/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_form_kwargs(self):
        served = catalogues().townships()
        return {**super().get_form_kwargs(), "townships": [(tid, catalogues().name(tid)) for tid in served]}

    def get_initial(self):
        served = catalogues().townships()
        return {"township": served[0]} if served else {}


class LogoutView(auth_views.LogoutView):
    pass


# ---------------------------------------------------------------- 限时办结 at a glance


@login_required
@require_GET
def home(request):
    p = _profile(request)
    role = roles.role_of(request.user)
    shown = Application.objects.visible_to(request.user)
    group_by, names, chosen = None, {}, ""
    if p.township:
        t = _township(request)
        if roles.has(request.user, "view_township"):
            group_by, names = "window", t.window_names
            chosen = request.GET.get("window", "")
            if chosen in names:
                shown = shown.filter(window=chosen)
    else:
        t = dashboard.any_township()
        group_by = "township"
        names = {tid: catalogues().name(tid) for tid in catalogues().townships()}
        chosen = request.GET.get("township", "")
        if chosen in names:
            shown = shown.filter(township=chosen)
    board = dashboard.board(shown, t.calendar, deadlines.today(), group_by if not chosen else None)
    reminder = None
    if group_by:  # the center head and the county: next year's holiday notice, from the reminder day on
        year = missing_next_year(t.calendar, board.today)
        reminder = year and message("calendar_next_year_missing", year=year, file=t.calendar.file)
    for g in board.groups:
        g["name"] = names.get(g["key"], g["key"])
    return render(
        request,
        "desk/home.html",
        {
            "board": board,
            "role": role,
            "group_by": group_by,
            "chosen": chosen,
            "chosen_name": names.get(chosen, ""),
            "nav": "home",
            "calendar_reminder": reminder,
            **_late_cases(request, t.calendar),
        },
    )


def _late_cases(request, calendar) -> dict:
    """The 督办 list on the home screen: the cases one may see whose 办理 or 回访 is late."""
    rows, count = deadlines.late(Case.objects.visible_to(request.user), calendar, deadlines.today(), limit=15)
    return {"late_cases": rows, "late_cases_count": count}


# ---------------------------------------------------------------- intake (一次性告知)


@login_required
@require_GET
def intake_search(request):
    _require(request, "add_application")
    t = _township(request)
    views = [v for v in t.cv.views() if v.m.task_state != "取消"]
    return render(request, "desk/intake_search.html", {"views": views, "index": t.index, "nav": "intake"})


@login_required
def intake(request, matter_id: str):
    _require(request, "add_application")
    t = _township(request)
    if matter_id not in t.cv.matters:
        raise Http404
    v = t.cv.view(matter_id)
    if v.not_handled or v.m.task_state == "取消":
        return render(request, "desk/intake.html", {"v": v, "form": None})
    told = application.snapshot(t, v)
    form = IntakeForm(told, request.POST or None, calendar=t.calendar)
    if request.method == "POST" and form.is_valid():
        app = application.take_in(t, v, form.cleaned_data, request.user, told)
        messages.success(request, app.get_state_display())
        period = v.m.accept_period
        if period and accept_period.within(period, app.received) is False:
            messages.warning(
                request,
                message("desk_outside_accept_period", month=app.received.month, day=app.received.day, period=period),
                extra_tags="warn",
            )
        return redirect(app)
    details = dict(enumerate(v.materials, 1))
    return render(
        request,
        "desk/intake.html",
        {
            "v": v,
            "form": form,
            "rows": [(m, details[m["no"]]) for m in told["materials"]],
            "said": limits_said(v.limits),
            "period": period_of(v.m.accept_period, form),
            "types": form.types,
            "instant": form.instant,
            "nav": "intake",
        },
        status=400 if request.method == "POST" else 200,
    )


def limits_said(t) -> dict:
    """A matter's limits (kiosk.calendar.limits.Deadline) in the words of the shared macros (limits.html), as markup for
    the desk's own templates: 承诺, 法定, 各环节, 从哪天算 (未载明 where the guide says nothing)."""
    lim = render_env().get_template("limits.html").module
    return {
        "promise": lim.promise(t, "未载明"),
        "legal": lim.legal(t, "未载明"),
        "stages": lim.stages(t) if t.stages else "",
        "start": lim.start(t, "未载明"),
        "show_start": bool(t.timed or t.start_words),
    }


def period_of(text: str | None, form) -> dict | None:
    """The matter's 受理时段 and whether the day looked at is in it (True / False / None: the words do not say):
    the received day typed in the form when it is a valid day, else today."""
    if not text:
        return None
    day = deadlines.today()
    if form.is_bound:
        try:
            day = datetime.date.fromisoformat(form.data.get("received", "").strip())
        except ValueError:
            pass
    return {"text": text, "day": day, "today": day == deadlines.today(), "within": accept_period.within(text, day)}


# ---------------------------------------------------------------- errors


def csrf_failure(request, reason=""):
    return render(request, "desk/csrf.html", status=403)


def bad_request(request, exception=None):
    """400: an address the desk is not known by (DisallowedHost), or a request it cannot read."""
    problem = message("desk_unknown_host") if isinstance(exception, DisallowedHost) else ""
    return render(request, "desk/400.html", {"problem": problem}, status=400)


def not_found(request, exception=None):
    return render(request, "desk/404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "desk/403.html", status=403)


def server_error(request):
    from django.template import loader

    return HttpResponse(loader.get_template("desk/500.html").render(), status=500)
