"""One set of views for every kind of record, configured per kind (as wagtail's ModelViewSet is): the list, a
new record, a record's page, its history, its printed documents and each step of its lifecycle;
`ViewSet.urls()` makes their addresses.

    <prefix>/                           the list, with the kind's filters desk:<prefix>
    <prefix>/new/                       a new record                      desk:<url_name>_new
    <prefix>/<pk>/                      the record                        desk:<url_name>
    <prefix>/<pk>/history/              who changed what, when            desk:<url_name>_history
    <prefix>/<pk>/documents/<doc>.pdf   a printed document                desk:<url_name>_document
    <prefix>/<pk>/<step>/               a step (GET: its form)            desk:<url_name>_<step>

A record the person may not see answers exactly as a missing one (404); a step they may not take is 403; the
step is carried out by lifecycle.step. When someone saved the record since the form was opened, the page says
who, and what the person typed is kept in the form to check and send again. kinds.py configures each kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_GET

from kiosk.problems import message

from . import changes, lifecycle, paper, presenters, roles
from .catalogues import Unavailable, catalogues


@dataclass
class StepView:
    form: type  # form(record, data, **form_kwargs(t)) with a hidden `version`
    apply: Callable  # (township, locked record, cleaned data, user) -> what it prints (lifecycle.Printed)
    title: str
    template: str = ""  # default: the view set's step_template
    form_kwargs: Callable | None = None  # (township) -> extra keyword arguments of the form
    slug: str = ""  # its part of the address; default: the name with - for _


@dataclass
class ViewSet:
    model: type
    prefix: str  # records, cases, complaints, asks, proxies
    name: str  # how templates call the record: app, case, c, r
    nav: str  # the menu entry lit on its pages
    detail_template: str
    step_template: str
    steps: dict[str, StepView]
    context: Callable = lambda request, record, t: {}  # more for the record's page and its steps' pages
    list_template: str = ""
    filter: Callable = lambda request, records: (records, {})  # the list's filters: (records, context)
    order: tuple[str, ...] = ("-received", "-id")
    new_template: str = ""
    new_form: Callable | None = None  # (request, township) -> the form of a new record
    create: Callable | None = None  # (township, cleaned data, user) -> the new record (steps/<kind>.py)

    @property
    def url_name(self) -> str:
        return self.model.url_name

    def urls(self) -> list:
        n, p = self.url_name, self.prefix
        return [
            path(f"{p}/", login_required(require_GET(self.list)), name=p),
            *([path(f"{p}/new/", login_required(self.new), name=f"{n}_new")] if self.create else []),
            path(f"{p}/<int:pk>/", login_required(require_GET(self.detail)), name=n),
            path(f"{p}/<int:pk>/history/", login_required(require_GET(self.history)), name=f"{n}_history"),
            *(
                [
                    path(
                        f"{p}/<int:pk>/documents/<int:doc>.pdf",
                        login_required(require_GET(self.document)),
                        name=f"{n}_document",
                    )
                ]
                if printing(self.model)
                else []
            ),
            *[
                path(
                    f"{p}/<int:pk>/{s.slug or name.replace('_', '-')}/",
                    login_required(self.step),
                    {"name": name},
                    name=f"{n}_{name}",
                )
                for name, s in self.steps.items()
            ],
        ]

    # ---------------------------------------------------------------- the views

    def list(self, request):
        p = roles.profile(request.user)
        if p is None:
            raise PermissionDenied
        shown, context = self.filter(request, self.model.objects.visible_to(request.user))
        page = Paginator(shown.order_by(*self.order), 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            self.list_template,
            {
                "page": page,
                "query": query.urlencode(),
                "nav": self.nav,
                "can_register": bool(self.create)
                and roles.has(request.user, f"add_{self.model._meta.model_name}")
                and bool(p.township),
                **context,
            },
        )

    def new(self, request):
        if not roles.has(request.user, f"add_{self.model._meta.model_name}"):
            raise PermissionDenied
        p = roles.profile(request.user)
        if not p.township:
            raise PermissionDenied
        t = township_of(p.township)
        form = self.new_form(request, t)
        if request.method == "POST" and form.is_valid():
            record = self.create(t, form.cleaned_data, request.user)
            messages.success(request, record.get_state_display())
            return redirect(record)
        return render(
            request,
            self.new_template,
            {"form": form, "center": t.center, "nav": self.nav},
            status=400 if request.method == "POST" else 200,
        )

    def detail(self, request, pk: int):
        record = self.get(request, pk)
        t = township_of(record.township)
        documents = [d for d in printed(record) if request.user.has_perm("desk.view_document", d)]
        can = {name: lifecycle.allowed(record, request.user, name) for name in self.steps}
        return render(
            request,
            self.detail_template,
            {
                self.name: presenters.shown(record, request.user),
                "documents": documents,
                "can": can,
                "nav": self.nav,
                **self.context(request, record, t),
            },
        )

    def history(self, request, pk: int):
        record = self.get(request, pk)
        return render(
            request,
            "desk/history.html",
            {
                "app": presenters.shown(record, request.user),
                "entries": changes.history(record, request.user),
                "nav": self.nav,
            },
        )

    def document(self, request, pk: int, doc: int):
        record = self.get(request, pk)
        printed = get_object_or_404(record.documents, pk=doc)
        if not request.user.has_perm("desk.view_document", printed):
            raise Http404
        data, _ = paper.pdf(printed.html)
        response = HttpResponse(data, content_type="application/pdf")
        name = f"{record.reference}-{printed.get_kind_display()}.pdf"
        response["Content-Disposition"] = f"inline; filename=\"{record.reference}.pdf\"; filename*=UTF-8''{quote(name)}"
        return response

    def step(self, request, pk: int, name: str):
        view, spec = self.steps[name], self.model.steps[name]
        record = self.get(request, pk)
        t = township_of(record.township)
        if not request.user.has_perm(f"desk.{spec.perm}", record):
            raise PermissionDenied
        kwargs = view.form_kwargs(t) if view.form_kwargs else {}
        sent = request.POST if request.method == "POST" else None
        conflict = None
        if sent is not None and sent.get("version") != str(record.version):
            conflict = lifecycle.Conflict(record)  # saved by someone else since the form was opened
        elif record.state not in spec.sources:
            messages.error(request, message("desk_wrong_state", state=record.get_state_display()))
            return redirect(record)
        form = view.form(record, None if conflict else sent, **kwargs)
        if sent is not None and not conflict and form.is_valid():
            data = form.cleaned_data
            try:
                done = lifecycle.step(
                    self.model,
                    record.pk,
                    data["version"],
                    request.user,
                    name,
                    lambda locked: view.apply(t, locked, data, request.user),
                )
            except lifecycle.Conflict as e:
                conflict, record = e, e.current
            except lifecycle.StepRefused as e:
                form.add_error(None, message(e.key, **e.values))
            else:
                messages.success(request, done.get_state_display())
                return redirect(done)
        said = None
        if conflict:
            said = message(
                "desk_conflict_kept",
                who=conflict.who or message("desk_conflict_someone"),
                state=conflict.current.get_state_display(),
            )
            if conflict.current.state not in spec.sources:
                messages.error(
                    request, message("desk_conflict", who=conflict.who, state=conflict.current.get_state_display())
                )
                return redirect(conflict.current)
            form = view.form(conflict.current, **kwargs)
            form.initial.update(typed(sent, form))
        status = 409 if conflict else 400 if sent is not None else 200
        return render(
            request,
            view.template or self.step_template,
            {
                self.name: presenters.shown(record, request.user),
                "form": form,
                "step": name,
                "title": view.title,
                "conflict": said,
                "nav": self.nav,
                "t": t,
                **self.context(request, record, t),
            },
            status=status,
        )

    def get(self, request, pk: int):
        return get_object_or_404(self.model.objects.visible_to(request.user), pk=pk)


def typed(sent, form) -> dict:
    """What the person typed into a form, as initial values of a fresh one (the version is the record's now)."""
    out = {}
    for key, values in sent.lists():
        if key in ("version", "csrfmiddlewaretoken") or key not in form.fields:
            continue
        out[key] = values if isinstance(form.fields[key], forms.MultipleChoiceField) else values[-1]
    return out


def printing(model) -> bool:
    """Whether a kind of record prints documents (a 首问登记 prints none)."""
    return hasattr(model, "documents")


def printed(record) -> list:
    return list(record.documents.all()) if printing(type(record)) else []


def township_of(township: str):
    try:
        return catalogues().get(township)
    except Unavailable:
        raise Http404 from None
