"""What every kept record of the desk shares, declared once.

    Kept            the abstract base of every record: its township and window, who made it and when, when it
                    changed, its version (a save checks it: no silent overwrite), the token that makes a form sent
                    twice save once, the reason it was voided; history of every change; never deleted; the
                    scoped manager (`Model.objects.visible_to(user)`); its printed documents (`documents`)
    Step            one step of a kind's lifecycle as data: the states it starts from, the permission it needs,
                    its change reason in the history (lifecycle.step carries it out)
    PrintedDocument the abstract base of a record's printed documents (the HTML it was printed from, whole)
    Scope, visible  which records a person may see (roles.py names the roles)

A kind of record is a model with `Kept` as its base, its states (TextChoices), `steps` (name → Step),
`deadlines` (deadlines.Deadline) and `scope`; adding a state or a step touches that declaration only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from kiosk.problems import message

from .. import roles


def label(field: str, kind: str = "") -> str:
    """A field's name as people read it: messages.yaml's desk_<kind>_field_<field>, else desk_field_<field>."""
    if kind:
        try:
            return message(f"desk_{kind}_field_{field}")
        except KeyError:
            pass
    return message(f"desk_field_{field}")


# ---------------------------------------------------------------- who sees which record


@dataclass(frozen=True)
class Scope:
    """The fields of a model that place a record: its township, its window, and the user who made it;
    `whole(township)`: a window whose staff see every record of the township (the 办不成事 window)."""

    township: str = "township"
    window: str | None = "window"
    owner: str | None = "created_by"
    whole: Callable[[str], str | None] | None = None


def visible(queryset: models.QuerySet, user) -> models.QuerySet:
    """The records of `queryset` that `user` may see: window staff their window's and their own, the 办不成事
    window (Scope.whole) the township's, the center head the township's, the county every township's."""
    scope: Scope = queryset.model.scope
    p = roles.profile(user)
    if p is None:
        return queryset.none()
    if roles.has(user, "view_county"):
        served = settings.TOWNSHIPS
        return queryset.filter(**{f"{scope.township}__in": served}) if served else queryset
    if not p.township or (settings.TOWNSHIPS and p.township not in settings.TOWNSHIPS):
        return queryset.none()
    queryset = queryset.filter(**{scope.township: p.township})
    if roles.has(user, "view_township"):
        return queryset
    if not roles.has(user, f"view_{queryset.model._meta.model_name}"):
        return queryset.none()
    if scope.whole and p.window and scope.whole(p.township) == p.window:
        return queryset
    mine = Q(**{scope.window: p.window}) if scope.window else Q(pk__in=[])
    if scope.owner:
        mine |= Q(**{scope.owner: user})
    return queryset.filter(mine)


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ScopedQuerySet":
        return visible(self, user)


# ---------------------------------------------------------------- the lifecycle as data


@dataclass(frozen=True)
class Step:
    sources: tuple[str, ...]  # the states it starts from
    perm: str  # the permission it needs on the record (permissions.py), without "desk."
    reason: str  # the change reason the history keeps (changes.py words it)


def every_state_but(states, *left_out) -> tuple[str, ...]:
    return tuple(s for s in states if s not in left_out)


class Kept(models.Model):
    township = models.CharField(label("township"), max_length=64)
    window = models.CharField(label("window"), max_length=64, blank=True)
    void_reason = models.TextField(label("void_reason"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=label("kept_by")
    )
    created_at = models.DateTimeField(label("created_at"), auto_now_add=True)
    updated_at = models.DateTimeField(label("updated_at"), auto_now=True)
    version = models.PositiveIntegerField(label("version"), default=1)  # optimistic locking: a step checks it
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)  # a form sent twice saves once

    history = HistoricalRecords(inherit=True, excluded_fields=["updated_at", "token"])
    objects = ScopedQuerySet.as_manager()

    scope = Scope()
    steps: dict[str, Step] = {}
    deadlines: tuple = ()
    number_code: str | None = None  # the record number's infix after the township's code (None: no number)
    url_name = ""  # the name of its page's address (desk:<url_name>); its steps' are <url_name>_<step>

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise PermissionError("records are never deleted; void them with a reason")

    def get_absolute_url(self):
        return url_pattern(self.url_name).format(self.pk)

    @property
    def reference(self) -> str:
        """The record as people name it: its number, else its id."""
        return getattr(self, "number", "") or str(self.pk)


@functools.cache
def url_pattern(name: str, arguments: int = 1) -> str:
    """The address named desk:`name` with {} for each argument, reversed once (a list asks on every row)."""
    return reverse(f"desk:{name}", args=[987654321] * arguments).replace("987654321", "{}")


class PrintedDocument(models.Model):
    """A printed document of a record, as the HTML it was printed from, whole: reprinting gives the same
    paper, and it is proof of what was told. Never changed, never deleted. Each kind of record has its own
    table naming its record (`record`), reached from the record as `documents`."""

    html = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    record_field = ""  # the name of the foreign key to its record

    @property
    def record(self):
        return getattr(self, self.record_field)

    def get_absolute_url(self):
        record_id = getattr(self, f"{self.record_field}_id")
        model = self._meta.get_field(self.record_field).related_model
        return url_pattern(f"{model.url_name}_document", 2).format(record_id, self.pk)

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("a printed document is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("a printed document is never deleted")


def printed_documents(record, field: str, kinds, name: str, default: str | None = None):
    """The table of a kind's printed documents: `field` names its record (whose `documents` they are), `kinds`
    (TextChoices) what each document is."""
    kind = models.CharField(max_length=16, choices=kinds.choices, **({"default": default} if default else {}))
    meta = type("Meta", (PrintedDocument.Meta,), {})
    return type(
        name,
        (PrintedDocument,),
        {
            "__module__": record.__module__,
            "__qualname__": name,
            "Meta": meta,
            "kind": kind,
            "record_field": field,
            field: models.ForeignKey(record, models.PROTECT, related_name="documents"),
        },
    )
