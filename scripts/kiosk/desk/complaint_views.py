"""The screens of the complaints: the list, 登记, one complaint with its next step, each step, the history and
the printed documents. Whatever a page shows of a complaint goes through `masked`: anyone but the center head
sees neither the complainant's identity nor the outcome for the person complained about; the history says
only that the identity changed; the 答复书, which names the complainant, is the head's only (404 otherwise).
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

from . import access, complaint_records as steps, paper
from .case_views import _own_township, _township_of
from .changes import Change, Entry, _who
from .complaint_forms import AnswerForm, CloseForm, ComplaintForm, ComplaintVoidForm, NoteForm, OutcomeForm
from .complaint_models import HEAD_ONLY, SECRET, Complaint, ComplaintState, label

HIDDEN = {"version", "id", "token", "updated_at", "created_at", "township"}


def _complaint(request, pk: int) -> Complaint:
    return get_object_or_404(Complaint.objects.visible_to(request.user), pk=pk)


@login_required
@require_GET
def complaint_list(request):
    if access.profile(request.user) is None:
        raise PermissionDenied
    shown = Complaint.objects.visible_to(request.user).defer(*HEAD_ONLY)
    state = request.GET.get("state", "")
    if state in ComplaintState.values:
        shown = shown.filter(state=state)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        shown = shown.filter(Q(number__icontains=q) | Q(target_unit__contains=q) | Q(matter__contains=q))
    page = Paginator(shown.order_by("-received", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "desk/complaint_list.html", {
        "page": page, "state": state, "q": q, "states": ComplaintState.choices, "nav": "complaints",
        "can_register": access.can(request.user, "add_complaint") and bool(access.profile(request.user).township)})


@login_required
def complaint_new(request):
    if not access.can(request.user, "add_complaint"):
        raise PermissionDenied
    t = _own_township(request)
    form = ComplaintForm(request.POST or None, center=t.center)
    if request.method == "POST" and form.is_valid():
        c = steps.register(t, form.cleaned_data, request.user)
        messages.success(request, c.get_state_display())
        return redirect(c)
    return render(request, "desk/complaint_new.html", {"form": form, "center": t.center, "nav": "complaints"},
                  status=400 if request.method == "POST" else 200)


def _documents(request, c: Complaint):
    docs = list(c.documents.all())
    return docs if steps.is_head(request.user) else [d for d in docs if not d.head_only]


@login_required
@require_GET
def complaint(request, pk: int):
    c = _complaint(request, pk)
    t = _township_of(c.township)
    late = c.state in (ComplaintState.REGISTERED, ComplaintState.INVESTIGATING) and c.due and c.due < steps.today()
    return render(request, "desk/complaint.html", {
        "c": steps.masked(c, request.user), "documents": _documents(request, c), "late": late,
        "head": steps.is_head(request.user), "taker": steps.is_taker(request.user, t),
        "reply_days": t.center.complaints.reply_days, "nav": "complaints"})


# each step: its form, its function, the states it starts from, head only, its title
STEPS = {
    "note": (NoteForm, steps.note, [ComplaintState.REGISTERED, ComplaintState.INVESTIGATING, ComplaintState.ANSWERED],
             False, "记调查跟踪情况"),
    "answer": (AnswerForm, steps.answer, [ComplaintState.REGISTERED, ComplaintState.INVESTIGATING], False, "答复"),
    "outcome": (OutcomeForm, steps.set_outcome, [s for s in ComplaintState if s != ComplaintState.VOID], True,
                "对被投诉人的处理"),
    "close": (CloseForm, steps.close, [ComplaintState.ANSWERED], False, "办结"),
    "void": (ComplaintVoidForm, steps.void, [s for s in ComplaintState if s != ComplaintState.VOID], False, "作废"),
}


@login_required
def complaint_step(request, pk: int, name: str):
    form_class, step, states, head_only, title = STEPS[name]
    c = _complaint(request, pk)
    t = _township_of(c.township)
    if not (steps.is_head(request.user) if head_only else steps.is_taker(request.user, t)):
        raise PermissionDenied
    conflict = None
    if request.method == "POST" and request.POST.get("version") != str(c.version):
        conflict = message("desk_conflict", who="", state=c.get_state_display())
    if c.state not in states:
        messages.error(request, conflict or message("desk_wrong_state", state=c.get_state_display()))
        return redirect(c)
    form = form_class(c, None if conflict else (request.POST or None))
    if request.method == "POST" and not conflict and form.is_valid():
        try:
            done = step(t, c.pk, form.cleaned_data["version"], form.cleaned_data, request.user)
        except steps.Conflict as e:
            conflict = message("desk_conflict", who="", state=e.current.get_state_display())
            form = form_class(e.current)
        except steps.StepRefused as e:
            form.add_error(None, message(e.key, **e.values))
        else:
            messages.success(request, done.get_state_display())
            return redirect(done)
    shown = steps.masked(Complaint.objects.get(pk=c.pk), request.user)
    status = 409 if conflict else 400 if request.method == "POST" else 200
    return render(request, "desk/complaint_step.html", {"c": shown, "form": form, "step": name, "title": title,
                                                        "conflict": conflict, "nav": "complaints"}, status=status)


@login_required
@require_GET
def complaint_history(request, pk: int):
    c = _complaint(request, pk)
    head = steps.is_head(request.user)
    return render(request, "desk/history.html", {"app": steps.masked(Complaint.objects.get(pk=c.pk), request.user),
                                                 "entries": entries(c, head), "nav": "complaints"})


def entries(c: Complaint, head: bool) -> list[Entry]:
    """The history; the identity shows only that it changed (for everyone), the outcome only to the head."""
    hidden = HIDDEN | (set() if head else {"outcome"})
    rows = list(c.history.order_by("history_date", "history_id").select_related("history_user__desk"))
    out, previous = [], None
    for row in rows:
        entry = Entry(row.history_date, _who(row.history_user), row.history_change_reason or "", previous is None)
        if previous is None:
            names = [f.name for f in Complaint._meta.concrete_fields if f.name not in hidden
                     and getattr(row, f.name) not in (None, "", [])]
            entry.changes = [Change(n, label(n), None, _shown(row, n)) for n in names]
        else:
            entry.changes = [Change(d.field, label(d.field), _shown(previous, d.field), _shown(row, d.field))
                             for d in row.diff_against(previous).changes if d.field not in hidden]
        out.append(entry)
        previous = row
    for doc in c.documents.order_by("created_at", "id"):
        if doc.head_only and not head:
            continue
        owner = next((e for e in reversed(out) if e.when <= doc.created_at), out[0] if out else None)
        if owner is not None:
            owner.documents.append(doc)
    return out


def _shown(row, name: str):
    value = getattr(row, name)
    if name in SECRET:
        return message("desk_complaint_secret_changed") if value else None
    display = getattr(row, f"get_{name}_display", None)
    if display is not None and value:
        return display()
    if name == "grounds":
        return "；".join(value or [])
    return value


@login_required
@require_GET
def complaint_document(request, pk: int, doc: int):
    c = _complaint(request, pk)
    printed = get_object_or_404(c.documents, pk=doc)
    if printed.head_only and not steps.is_head(request.user):
        raise Http404
    data, _ = paper.pdf(printed.html)
    response = HttpResponse(data, content_type="application/pdf")
    name = f"{c.number}-{printed.get_kind_display()}.pdf"
    response["Content-Disposition"] = f"inline; filename=\"{c.number}.pdf\"; filename*=UTF-8''{quote(name)}"
    return response
