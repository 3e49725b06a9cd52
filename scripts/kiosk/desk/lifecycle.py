"""One service registers and steps every kind of record, each in one transaction: the record, its history row,
its record number and the documents it prints are saved together or not at all.

    create(record, user, …)         a new record: a form sent twice (the same token) saves once; its number
                                    (DHP-2026-000123, DHP-BB-…, DHP-TS-…) taken inside the transaction; its
                                    documents printed with the number in place of paper.placeholder()
    step(model, pk, version, user, name, apply)
                                    lock the record, check the person may see it and may take this step
                                    (permissions.py), that nobody saved it since the form was opened (version)
                                    and that the step starts from its state (the model's `steps`); apply the
                                    step's changes, bump the version, save with the step's change reason,
                                    print what it prints

A step someone else saved first raises Conflict (with who it was); a step that does not fit the record raises
StepRefused (a message key). Nothing is ever deleted: voiding is a step like any other.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from .config import env
from .models import Counter

Printed = list[tuple[str, str]]  # (document kind, HTML) pairs a step prints


class Conflict(Exception):
    """The record was saved by someone else since the form was opened; `current` is the record now, `who` the
    name of who saved it last."""

    def __init__(self, current):
        self.current = current
        last = current.history.select_related("history_user__desk").first()
        profile = getattr(getattr(last, "history_user", None), "desk", None)
        self.who = profile.name if profile else ""
        super().__init__(f"{current.reference} changed (version {current.version})")


class StepRefused(Exception):
    """The step does not fit the record as it is now; `key` and `values` make its plain-Chinese message."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(key)


def create(record, user, printed: Printed = (), placeholder: str = "", code: str = ""):
    """Save the new `record` (its `token` set, its number not yet) with the documents it prints; `code`: the
    township's record-number code, for a kind with numbers."""
    model = type(record)
    existing = model.objects.filter(token=record.token).first()
    if existing is not None:  # the same form sent twice (a double Enter): one record
        return existing
    record.created_by = record._history_user = user
    try:
        with transaction.atomic():
            if model.number_code is not None:
                record.number = next_number(code, model.number_code, record.received.year)
            record.save()
            for kind, html in printed:
                _print(record, kind, html.replace(placeholder, record.reference) if placeholder else html, user)
            pause("before-commit")
    except IntegrityError:  # sent twice at the same moment: the other one saved it
        existing = model.objects.filter(token=record.token).first()
        if existing is None:
            raise
        return existing
    pause("after-commit")
    return record


def step(model, pk: int, version: int, user, name: str, apply: Callable[[object], Printed | None]):
    """Take step `name` on the record `pk` of `model` that the person saw at `version`; `apply(record)` makes the
    step's changes on the locked record and returns what it prints. Raises model.DoesNotExist (also for a record
    the person may not see), PermissionDenied, Conflict or StepRefused; on any of them nothing is saved."""
    spec = model.steps[name]
    with transaction.atomic():
        record = model.objects.visible_to(user).select_for_update().get(pk=pk)
        if not user.has_perm(f"desk.{spec.perm}", record):
            raise PermissionDenied
        if record.version != version:
            raise Conflict(record)
        if record.state not in spec.sources:
            raise StepRefused("desk_wrong_state", state=record.get_state_display())
        printed = apply(record) or []
        record.version += 1
        if not getattr(record, "_change_reason", ""):  # a step may name itself more closely (supplement-accept)
            record._change_reason = spec.reason
        record._history_user = user  # the history names who, with or without a request
        record.save()
        for kind, html in printed:
            _print(record, kind, html, user)
        pause("before-commit")
    pause("after-commit")
    return record


def void(t, record, data: dict, user) -> None:
    """作废, the last step of every kind, with the reason given: nothing is ever deleted."""
    record.state, record.void_reason = "void", data["reason"]


def allowed(record, user, name: str) -> bool:
    """Whether the person may take step `name` on `record` now (its state and their permission)."""
    spec = type(record).steps[name]
    return record.state in spec.sources and user.has_perm(f"desk.{spec.perm}", record)


def next_number(code: str, infix: str, year: int) -> str:
    """The next record number of a township's code, an infix (办不成事 BB, 投诉 TS, none for applications) and a
    year: DHP-2026-000123, DHP-BB-2026-000001. Taken in the caller's transaction: two saves at once never get
    the same number, and a save that fails takes none."""
    prefix = f"{code}-{infix}" if infix else code
    Counter.objects.bulk_create([Counter(code=prefix, year=year)], ignore_conflicts=True)
    counter = Counter.objects.select_for_update().get(code=prefix, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:06d}"


def _print(record, kind: str, html: str, user):
    return record.documents.create(kind=kind, html=html, created_by=user)


PAUSE = env("KIOSK_DESK_PAUSE") or ""  # read once, when a worker starts: never on a save


def pause(point: str) -> None:
    """For the crash test only (KIOSK_DESK_PAUSE=point:FILE): create FILE and wait here to be killed."""
    spec = PAUSE
    if not spec.startswith(point + ":"):
        return
    Path(spec.split(":", 1)[1]).write_text(str(os.getpid()))
    while True:
        time.sleep(1)
