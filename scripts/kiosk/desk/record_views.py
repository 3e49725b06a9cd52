"""The screens of the applications (受理件): the list and its export, one record, the steps on it (补交, 办结,
不予受理, 作废), its history and its printed documents. As views.py: records come from `visible_to(user)`
(one the person may not see is 404), a form checks the input, a step of records.py saves it.
"""

from __future__ import annotations

import csv
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from kiosk.problems import message

from . import access, changes, dashboard, paper, records
from .catalogues import Unavailable, catalogues
from .forms import FinishForm, RecordFilter, RefuseForm, SupplementForm, VoidForm
from .models import Application, Document, State
from .views import _any_township, _profile, _record, _require

# ---------------------------------------------------------------- records


@login_required
@require_GET
def record_list(request):
    p = _profile(request)
    shown = Application.objects.visible_to(request.user)
    f = RecordFilter(request.GET)
    data = f.cleaned_data if f.is_valid() else {}
    if data.get("q"):
        q = data["q"].strip()
        shown = shown.filter(Q(applicant__contains=q) | Q(number__icontains=q) | Q(phone__contains=q)
                             | Q(matter_name__contains=q))
    if data.get("state"):
        shown = shown.filter(state=data["state"])
    if data.get("window"):
        shown = shown.filter(window=data["window"])
    if data.get("township"):
        shown = shown.filter(township=data["township"])
    if data.get("due"):
        t = catalogues().get(p.township) if p.township else _any_township()
        shown = dashboard.filtered(shown, data["due"], t.calendar, records.today())
    page = Paginator(shown.defer(*dashboard.LIST_DEFERRED).order_by("-received", "-id"), 50).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "desk/record_list.html", {"page": page, "filter": data, "query": query.urlencode(),
                                                     "states": State.choices, "nav": "records"})


@login_required
@require_GET
def record(request, pk: int):
    app = _record(request, pk)
    late = None
    if app.state == State.ACCEPTED and app.due and app.due < records.today():
        try:
            late = dashboard.workdays_between(catalogues().get(app.township).calendar, app.due, records.today())
        except Unavailable:
            pass
    return render(request, "desk/record.html", {
        "app": app, "documents": app.documents.all(), "late": late,
        "can_change": access.can(request.user, "change_application"),
        "can_void": access.can(request.user, "void_application"),
    })


def _step(request, pk: int, form_class, step, template: str, states, permission="change_application"):
    """A step on a record: the form, the step in one transaction, a clear message when someone saved the
    record since the form was opened (nothing is overwritten)."""
    app = _record(request, pk)
    _require(request, permission)
    try:
        t = catalogues().get(app.township)
    except Unavailable:
        raise Http404 from None
    sent = request.POST.get("version") if request.method == "POST" else None
    if sent is not None and sent != str(app.version):  # saved by someone else since: say so, change nothing
        return _conflict(request, app, form_class, template, t, states)
    if app.state not in states:
        messages.error(request, message("desk_wrong_state", state=app.get_state_display()))
        return redirect(app)
    form = form_class(app, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = step(t, app.pk, data["version"], data, request.user)
        except records.Conflict as e:
            return _conflict(request, e.current, form_class, template, t, states)
        except records.StepRefused as e:
            form.add_error(None, message(e.key, **e.values))
        else:
            messages.success(request, done.get_state_display())
            return redirect(done)
    return render(request, template, {"app": app, "form": form, "t": t},
                  status=400 if request.method == "POST" else 200)


def _conflict(request, current: Application, form_class, template: str, t, states):
    """The second of two people saving one record: who saved it first and what it is now; the form again,
    fresh, where the step is still possible, else the record."""
    last = current.history.select_related("history_user__desk").first()
    who = getattr(getattr(last, "history_user", None), "desk", None)
    said = message("desk_conflict", who=who.name if who else "", state=current.get_state_display())
    if current.state not in states:
        messages.error(request, said)
        return redirect(current)
    return render(request, template, {"app": current, "form": form_class(current), "t": t, "conflict": said},
                  status=409)


@login_required
def supplement(request, pk: int):
    return _step(request, pk, SupplementForm, records.supplement, "desk/supplement.html", [State.CORRECTING])


@login_required
def finish(request, pk: int):
    return _step(request, pk, FinishForm, records.finish, "desk/finish.html", [State.ACCEPTED])


@login_required
def refuse(request, pk: int):
    return _step(request, pk, RefuseForm, records.refuse, "desk/refuse.html", [State.CORRECTING, State.ACCEPTED])


@login_required
def void(request, pk: int):
    return _step(request, pk, VoidForm, records.void, "desk/void.html",
                 [s for s in State if s != State.VOID], permission="void_application")


@login_required
@require_GET
def history(request, pk: int):
    app = _record(request, pk)
    return render(request, "desk/history.html", {"app": app, "entries": changes.history(app)})


@login_required
@require_GET
def document(request, pk: int, doc: int):
    app = _record(request, pk)
    printed: Document = get_object_or_404(app.documents, pk=doc)
    data, _ = paper.pdf(printed.html)
    response = HttpResponse(data, content_type="application/pdf")
    name = f"{app.number}-{printed.get_kind_display()}.pdf"
    response["Content-Disposition"] = f"inline; filename=\"{app.number}.pdf\"; filename*=UTF-8''{quote(name)}"
    return response


# ---------------------------------------------------------------- export


class _Echo:
    def write(self, value):
        return value


EXPORT_FIELDS = ["number", "township", "window", "matter_name", "applicant", "phone", "id_last4", "applicant_type",
                 "state", "received", "accepted", "due", "due_kind", "finished", "result", "reason"]


def _cell(value) -> str:
    """A value for a spreadsheet: never read as a formula (=, +, -, @ at the start)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@require_GET
def export(request):
    _require(request, "export_records")
    shown = Application.objects.visible_to(request.user).order_by("township", "received", "id")
    labels = [str(Application._meta.get_field(n).verbose_name) for n in EXPORT_FIELDS]
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow(labels)
        for app in shown.iterator(chunk_size=2000):
            values = [app.get_state_display() if n == "state" else app.get_due_kind_display() if n == "due_kind"
                      else getattr(app, n) for n in EXPORT_FIELDS]
            yield writer.writerow([_cell(v) for v in values])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = "attachment; filename=\"records.csv\""
    return response
