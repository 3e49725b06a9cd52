"""What a person may read of a record, decided in one place: a complaint's identity (its complainant's name
and phone) and what only the center head reads (the outcome for the person complained about, where the
written answer goes) are blanked out for anyone without view_complainant (permissions.py). Every page of a
record, its steps and its history show it through `shown`; lists never select those fields; exports never
hold them.
"""

from __future__ import annotations

import copy

from .models.complaint import HEAD_ONLY, SECRET, Complaint


def secret_fields(model) -> tuple[str, ...]:
    """The fields of `model` whose values no history or list shows to anyone: only that they changed."""
    return SECRET if model is Complaint else ()


def head_only_fields(model) -> tuple[str, ...]:
    """The fields of `model` only a person with view_complainant reads."""
    return HEAD_ONLY if model is Complaint else ()


def may_read_all(record, user) -> bool:
    return not head_only_fields(type(record)) or user.has_perm("desk.view_complainant", record)


def shown(record, user):
    """`record` as `user` may read it: a copy with what they may not read blanked out (never saved)."""
    if may_read_all(record, user):
        return record
    out = copy.copy(record)
    for name in head_only_fields(type(record)):
        setattr(out, name, "")
    out._masked = True
    out.save = _never
    return out


def _never(*args, **kwargs):
    raise PermissionError("a record shown to a person is never saved")
