"""The desk's screens. A view only orchestrates: it takes its records from `visible_to(user)` (access.py),
lets a form check the input, calls a step of records.py, and renders a template. Unknown records and those
of another township or window are 404, never 403: their existence is not revealed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from . import access, case_views, dashboard, records
from .catalogues import Unavailable, catalogues
from .forms import IntakeForm, LoginForm
from .models import Application


# ---------------------------------------------------------------- what every page knows


def desk_context(request) -> dict:
    """The logged-in person, their role, township and window, and whether the catalogue is the last good one."""
    p = access.profile(getattr(request, "user", None))
    if p is None:
        return {}
    context = {"me": p, "role": access.role_of(request.user),
               "can_add": access.can(request.user, "add_application"),
               "can_export": access.can(request.user, "export_records")}
    if p.township:
        try:
            t = catalogues().get(p.township)
            context.update(center=t.center, township=t, my_window=t.cv.windows.get(p.window))
        except Unavailable as e:
            context["catalogue_problems"] = e.problems
    return context


def _profile(request):
    p = access.profile(request.user)
    if p is None:
        raise PermissionDenied
    return p


def _township(request):
    """The person's own township catalogue (window staff and center heads)."""
    p = _profile(request)
    if not p.township:
        raise PermissionDenied
    try:
        return catalogues().get(p.township)
    except Unavailable:
        raise Http404 from None


def _any_township():
    """A catalogue for what all townships share (the county's working-day calendar)."""
    for tid in catalogues().townships():
        try:
            return catalogues().get(tid)
        except Unavailable:
            continue
    raise Http404


def _record(request, pk: int) -> Application:
    return get_object_or_404(Application.objects.visible_to(request.user), pk=pk)


def _require(request, action: str) -> None:
    if not access.can(request.user, action):
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
    role = access.role_of(request.user)
    shown = Application.objects.visible_to(request.user)
    group_by, names, chosen = None, {}, ""
    if p.township:
        t = _township(request)
        records.settle_unknown_dues(shown, t)
        if request.user.has_perm("desk.view_township"):
            group_by, names = "window", {w.id: w.name for w in t.center.windows}
            chosen = request.GET.get("window", "")
            if chosen in names:
                shown = shown.filter(window=chosen)
    else:
        t = _any_township()
        group_by = "township"
        names = {tid: catalogues().name(tid) for tid in catalogues().townships()}
        chosen = request.GET.get("township", "")
        if chosen in names:
            shown = shown.filter(township=chosen)
    board = dashboard.board(shown, t.calendar, records.today(), group_by if not chosen else None)
    for g in board.groups:
        g["name"] = names.get(g["key"], g["key"])
    return render(request, "desk/home.html", {"board": board, "role": role, "group_by": group_by,
                                              "chosen": chosen, "chosen_name": names.get(chosen, ""), "nav": "home",
                                              **case_views.home_context(request, t.calendar)})


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
    told = records.snapshot(t, v)
    form = IntakeForm(told, request.POST or None)
    if request.method == "POST" and form.is_valid():
        app = records.take_in(t, v, form.cleaned_data, request.user, told)
        messages.success(request, app.get_state_display())
        return redirect(app)
    details = dict(enumerate(v.materials, 1))
    return render(request, "desk/intake.html", {
        "v": v, "form": form, "rows": [(m, details[m["no"]]) for m in told["materials"]],
        "limits": v.limits, "types": form.types, "instant": form.instant, "nav": "intake",
    }, status=400 if request.method == "POST" else 200)


# ---------------------------------------------------------------- errors


def csrf_failure(request, reason=""):
    return render(request, "desk/csrf.html", status=403)


def not_found(request, exception=None):
    return render(request, "desk/404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "desk/403.html", status=403)


def server_error(request):
    from django.template import loader

    return HttpResponse(loader.get_template("desk/500.html").render(), status=500)
