"""The screens of 首问登记 and 帮代办: a list each (首问 with its open ones first), the registration, one record
with its next step, the steps, the history and the 委托书. Records come from `visible_to(user)` (404 when one
may not see it); only a user who may change them acts (403 for the county)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from kiosk.problems import message

from . import access, help_records as steps, paper
from .case_views import _own_township, _township_of
from .changes import Change, Entry, _who
from .help_forms import AskForm, HelpVoidForm, ProxyForm, ReturnForm, TellForm
from .help_models import AskState, FirstAsk, ProxyCase, ProxyState, label

KINDS = {  # url prefix: model, its add/change permission, template stem
    "asks": (FirstAsk, "firstask", "ask"),
    "proxies": (ProxyCase, "proxycase", "proxy"),
}
STEPS = {  # (kind, step): form, function, the state it starts from, title
    ("asks", "tell"): (TellForm, steps.tell, [AskState.FOLLOWING], "告知结果"),
    ("asks", "void"): (HelpVoidForm, steps.void(FirstAsk), [s for s in AskState if s != AskState.VOID], "作废"),
    ("proxies", "return"): (ReturnForm, steps.give_back, [ProxyState.ENTRUSTED], "交回"),
    ("proxies", "void"): (HelpVoidForm, steps.void(ProxyCase), [ProxyState.ENTRUSTED, ProxyState.RETURNED], "作废"),
}
HIDDEN = {"version", "id", "token", "updated_at", "created_at", "township", "window"}


@login_required
@require_GET
def help_list(request, kind: str):
    model, perm, stem = KINDS[kind]
    p = access.profile(request.user)
    if p is None:
        raise PermissionDenied
    shown = model.objects.visible_to(request.user)
    if request.GET.get("open") == "1":
        shown = shown.filter(state=AskState.FOLLOWING if kind == "asks" else ProxyState.ENTRUSTED)
    order = ("-asked", "-id") if kind == "asks" else ("-received", "-id")
    page = Paginator(shown.order_by(*order), 50).get_page(request.GET.get("page"))
    waiting = model.objects.visible_to(request.user).filter(
        state=AskState.FOLLOWING if kind == "asks" else ProxyState.ENTRUSTED).count()
    return render(request, f"desk/{stem}_list.html", {
        "page": page, "waiting": waiting, "only_open": request.GET.get("open") == "1", "nav": kind,
        "can_add": access.can(request.user, f"add_{perm}") and bool(p.township)})


@login_required
def help_new(request, kind: str):
    model, perm, stem = KINDS[kind]
    if not access.can(request.user, f"add_{perm}"):
        raise PermissionDenied
    t = _own_township(request)
    form = AskForm(request.POST or None) if kind == "asks" else ProxyForm(request.POST or None, center=t.center)
    if request.method == "POST" and form.is_valid():
        record = (steps.ask if kind == "asks" else steps.entrust)(t, form.cleaned_data, request.user)
        messages.success(request, record.get_state_display())
        return redirect(record)
    return render(request, f"desk/{stem}_new.html", {"form": form, "center": t.center, "nav": kind},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_GET
def help_record(request, kind: str, pk: int):
    model, perm, stem = KINDS[kind]
    r = get_object_or_404(model.objects.visible_to(request.user), pk=pk)
    return render(request, f"desk/{stem}.html", {
        "r": r, "can_change": access.can(request.user, f"change_{perm}"), "nav": kind,
        "documents": r.documents.all() if kind == "proxies" else []})


@login_required
def help_step(request, kind: str, pk: int, name: str):
    model, perm, stem = KINDS[kind]
    form_class, step, states, title = STEPS[(kind, name)]
    r = get_object_or_404(model.objects.visible_to(request.user), pk=pk)
    if not access.can(request.user, f"change_{perm}"):
        raise PermissionDenied
    t = _township_of(r.township)
    conflict = None
    if request.method == "POST" and request.POST.get("version") != str(r.version):
        conflict = message("desk_conflict", who="", state=r.get_state_display())
    if r.state not in states:
        messages.error(request, conflict or message("desk_wrong_state", state=r.get_state_display()))
        return redirect(r)
    form = form_class(r, None if conflict else (request.POST or None))
    if request.method == "POST" and not conflict and form.is_valid():
        try:
            done = step(t, r.pk, form.cleaned_data["version"], form.cleaned_data, request.user)
        except steps.Conflict as e:
            conflict, form = message("desk_conflict", who="", state=e.current.get_state_display()), form_class(e.current)
        except steps.StepRefused as e:
            form.add_error(None, message(e.key, **e.values))
        else:
            messages.success(request, done.get_state_display())
            return redirect(done)
    status = 409 if conflict else 400 if request.method == "POST" else 200
    return render(request, "desk/help_step.html", {"r": r, "form": form, "step": name, "title": title,
                                                   "kind": kind, "conflict": conflict, "nav": kind}, status=status)


@login_required
@require_GET
def help_history(request, kind: str, pk: int):
    model, _, _ = KINDS[kind]
    r = get_object_or_404(model.objects.visible_to(request.user), pk=pk)
    rows = list(r.history.order_by("history_date", "history_id").select_related("history_user__desk"))
    out, previous = [], None
    for row in rows:
        entry = Entry(row.history_date, _who(row.history_user), row.history_change_reason or "", previous is None)
        if previous is None:
            entry.changes = [Change(f.name, label(f.name), None, _shown(row, f.name))
                             for f in model._meta.concrete_fields
                             if f.name not in HIDDEN and getattr(row, f.name) not in (None, "")]
        else:
            entry.changes = [Change(d.field, label(d.field), _shown(previous, d.field), _shown(row, d.field))
                             for d in row.diff_against(previous).changes if d.field not in HIDDEN]
        out.append(entry)
        previous = row
    return render(request, "desk/history.html", {"app": r, "entries": out, "nav": kind})


def _shown(row, name: str):
    value = getattr(row, name)
    display = getattr(row, f"get_{name}_display", None)
    return display() if display is not None and value else value


@login_required
@require_GET
def proxy_document(request, pk: int, doc: int):
    r = get_object_or_404(ProxyCase.objects.visible_to(request.user), pk=pk)
    printed = get_object_or_404(r.documents, pk=doc)
    data, _ = paper.pdf(printed.html)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="proxy-{r.pk}.pdf"'
    return response
