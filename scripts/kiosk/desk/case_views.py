"""The screens of the 办不成事 cases: the list, 登记, one case with its next step, each step, the history and
the printed documents. As views.py: records come from `visible_to(user)` (a case one may not see is 404), a
form checks the input, a step of case_records.py saves it in one transaction.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from kiosk.problems import message

from . import access, case_records as steps, paper
from .case_forms import (ArchiveForm, CaseFilter, CaseVoidForm, ClassifyForm, FeedbackForm, FollowUpForm,
                         HandleForm, PassForm, RegisterForm)
from .case_models import Case, CaseState, label
from .catalogues import Unavailable, catalogues
from .changes import Change, Entry, _who

HIDDEN = {"version", "id", "token", "updated_at", "created_at", "township"}


def _case(request, pk: int) -> Case:
    return get_object_or_404(Case.objects.visible_to(request.user), pk=pk)


def _township_of(township: str):
    try:
        return catalogues().get(township)
    except Unavailable:
        raise Http404 from None


def _own_township(request):
    p = access.profile(request.user)
    if p is None or not p.township:
        raise PermissionDenied
    return _township_of(p.township)


@login_required
@require_GET
def case_list(request):
    if access.profile(request.user) is None:
        raise PermissionDenied
    shown = Case.objects.visible_to(request.user)
    f = CaseFilter(request.GET)
    data = f.cleaned_data if f.is_valid() else {}
    if data.get("q"):
        q = data["q"].strip()
        shown = shown.filter(Q(number__icontains=q) | Q(matter_name__contains=q) | Q(person__contains=q))
    if data.get("state"):
        shown = shown.filter(state=data["state"])
    if data.get("late"):
        day = steps.today()
        shown = shown.filter(Q(state__in=[CaseState.CLASSIFIED, CaseState.PASSED], due__lt=day)
                             | Q(state__in=[CaseState.FINISHED, CaseState.TOLD], follow_up_due__lt=day))
    page = Paginator(shown.order_by("-received", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "desk/case_list.html", {
        "page": page, "filter": data, "states": CaseState.choices, "nav": "cases",
        "can_register": access.can(request.user, "add_case") and bool(access.profile(request.user).township)})


@login_required
def case_new(request):
    if not access.can(request.user, "add_case"):
        raise PermissionDenied
    t = _own_township(request)
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = steps.register(t, form.cleaned_data, request.user)
        messages.success(request, case.get_state_display())
        return redirect(case)
    return render(request, "desk/case_new.html", {"form": form, "nav": "cases"},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_GET
def case(request, pk: int):
    c = _case(request, pk)
    t = _township_of(c.township)
    late = None
    rows, _ = steps.late(Case.objects.filter(pk=c.pk), t.calendar, steps.today())
    if rows:
        late = rows[0]
    return render(request, "desk/case.html", {
        "case": c, "documents": c.documents.all(), "late": late, "category": c.category_text(t.center),
        "coordinator": steps.is_coordinator(request.user, t), "handler": steps.is_handler(request.user, t, c),
        "window_name": t.cv.windows[c.window].name if c.window in t.cv.windows else c.window,
        "deadlines": t.center.unresolved.deadlines, "nav": "cases"})


# each step: its form, its function, the states it starts from, who may do it, its fields on the screen
STEPS = {
    "classify": (ClassifyForm, steps.classify, [CaseState.REGISTERED], "coordinator", "定时限"),
    "pass": (PassForm, steps.pass_on, [CaseState.CLASSIFIED], "coordinator", "交办"),
    "handle": (HandleForm, steps.handle, [CaseState.CLASSIFIED, CaseState.PASSED], "handler", "办结"),
    "feedback": (FeedbackForm, steps.feedback, [CaseState.FINISHED], "handler", "反馈"),
    "follow_up": (FollowUpForm, steps.follow_up, [CaseState.FINISHED, CaseState.TOLD], "coordinator", "回访"),
    "archive": (ArchiveForm, steps.archive, [CaseState.VISITED], "coordinator", "归档"),
    "void": (CaseVoidForm, steps.void, [s for s in CaseState if s != CaseState.VOID], "coordinator", "作废"),
}


@login_required
def case_step(request, pk: int, name: str):
    form_class, step, states, who, title = STEPS[name]
    c = _case(request, pk)
    t = _township_of(c.township)
    allowed = steps.is_coordinator(request.user, t) if who == "coordinator" else steps.is_handler(request.user, t, c)
    if not allowed:
        raise PermissionDenied
    sent = request.POST.get("version") if request.method == "POST" else None
    conflict = None
    if sent is not None and sent != str(c.version):
        conflict = _conflict_text(c)
    if c.state not in states:
        messages.error(request, conflict or message("desk_wrong_state", state=c.get_state_display()))
        return redirect(c)
    extra = {"center": t.center} if form_class in (ClassifyForm, PassForm) else {}
    form = form_class(c, None if conflict else (request.POST or None), **extra)
    if request.method == "POST" and not conflict and form.is_valid():
        data = form.cleaned_data
        try:
            done = step(t, c.pk, data["version"], data, request.user)
        except steps.Conflict as e:
            c, conflict = e.current, _conflict_text(e.current)
            if c.state not in states:
                messages.error(request, conflict)
                return redirect(c)
            form = form_class(c, **extra)
        except steps.StepRefused as e:
            form.add_error(None, message(e.key, **e.values))
        else:
            messages.success(request, done.get_state_display())
            return redirect(done)
    status = 409 if conflict else 400 if request.method == "POST" else 200
    return render(request, "desk/case_step.html", {
        "case": c, "form": form, "step": name, "title": title, "conflict": conflict, "nav": "cases",
        "category": c.category_text(t.center), "deadlines": t.center.unresolved.deadlines}, status=status)


def _conflict_text(current: Case) -> str:
    last = current.history.select_related("history_user__desk").first()
    who = getattr(getattr(last, "history_user", None), "desk", None)
    return message("desk_conflict", who=who.name if who else "", state=current.get_state_display())


@login_required
@require_GET
def case_history(request, pk: int):
    c = _case(request, pk)
    return render(request, "desk/history.html", {"app": c, "entries": entries(c), "nav": "cases"})


def entries(c: Case) -> list[Entry]:
    """The case's history as changes.history gives an application's: who, when, which step, what changed."""
    rows = list(c.history.order_by("history_date", "history_id").select_related("history_user__desk"))
    out, previous = [], None
    for row in rows:
        entry = Entry(row.history_date, _who(row.history_user), row.history_change_reason or "", previous is None)
        if previous is None:
            names = [f.name for f in Case._meta.concrete_fields if f.name not in HIDDEN
                     and _shown(row, f.name) not in (None, "", False)]
            entry.changes = [Change(n, label(n), None, _shown(row, n)) for n in names]
        else:
            entry.changes = [Change(d.field, label(d.field), _shown(previous, d.field), _shown(row, d.field))
                             for d in row.diff_against(previous).changes if d.field not in HIDDEN]
        out.append(entry)
        previous = row
    for doc in c.documents.order_by("created_at", "id"):
        owner = next((e for e in reversed(out) if e.when <= doc.created_at), out[0] if out else None)
        if owner is not None:
            owner.documents.append(doc)
    return out


def _shown(row, name: str):
    value = getattr(row, name)
    display = getattr(row, f"get_{name}_display", None)
    if display is not None and value:
        return display()
    if isinstance(value, bool):
        return message("desk_yes") if value else None
    return value


@login_required
@require_GET
def case_document(request, pk: int, doc: int):
    c = _case(request, pk)
    printed = get_object_or_404(c.documents, pk=doc)
    data, _ = paper.pdf(printed.html)
    response = HttpResponse(data, content_type="application/pdf")
    name = f"{c.number}-{printed.get_kind_display()}.pdf"
    response["Content-Disposition"] = f"inline; filename=\"{c.number}.pdf\"; filename*=UTF-8''{quote(name)}"
    return response


def home_context(request, calendar) -> dict:
    """The 督办 list on the home screen: the cases one may see whose 办理 or 回访 is late."""
    rows, count = steps.late(Case.objects.visible_to(request.user), calendar, steps.today(), limit=15)
    return {"late_cases": rows, "late_cases_count": count}
