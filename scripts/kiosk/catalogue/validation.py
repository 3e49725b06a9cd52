"""The typing errors of pydantic as plain Chinese, for YAML files and spreadsheets alike.

`explain(model, err)` turns one error of `ValidationError.errors()` into the message a county editor
reads; `catalogue.py` puts it at the file's line, `xlsx.py` at the cell. No English of pydantic's ever
reaches a message: every error type has a wording in messages.yaml (`v_<type>`), and a type we did not
foresee gets a general one (`v_other`).
"""

from __future__ import annotations

import difflib
import typing

from pydantic import BaseModel, ValidationError

from ..model import ID_PATTERN, PHONE_PATTERN, URL_PATTERN, Unit
from ..problems import message

PATTERNS = {URL_PATTERN: "url", PHONE_PATTERN: "phone", ID_PATTERN: "id"}
UNITS = typing.get_args(Unit)
INSTANT_WORDS = {"当场", "即办", "当天", "立即", "即时"}


def errors(model: type[BaseModel], data) -> tuple[BaseModel | None, list[dict]]:
    """`model` made from `data`, or None and pydantic's errors (with `loc` cleaned of '[key]')."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        found = exc.errors(include_url=False)
        for err in found:
            err["loc"] = tuple(p for p in err["loc"] if p != "[key]")
        return None, found


def explain(model: type[BaseModel], err: dict) -> str:
    """The plain-Chinese message of one pydantic error."""
    loc, kind, ctx = tuple(err["loc"]), err["type"], dict(err.get("ctx") or {})
    given = short(err.get("input"))
    if kind == "missing":
        return message("missing", field=loc[-1] if loc else "")
    if err.get("input", "") is None:  # `~`, `null` or nothing written where a value is wanted
        return message("empty_value")
    if kind == "extra_forbidden":
        known = list(model_at(model, loc[:-1]).model_fields)
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = message("did_you_mean", name=close[0]) if close else ""
        return message("extra_forbidden", field=loc[-1], hint=hint)
    if kind == "string_pattern_mismatch":
        pattern = PATTERNS.get(ctx.get("pattern"), "other")
        if pattern == "id":
            return message("pattern_id", what=message(f"id_{id_kind(loc)}"), input=given)
        return message(f"pattern_{pattern}", input=given)
    if kind == "literal_error":
        options = [o.strip().strip("'") for o in ctx.get("expected", "").replace(" or ", ", ").split(", ") if o.strip()]
        if given in INSTANT_WORDS and set(options) == set(UNITS):
            return message("unit_instant", input=given)
        return message("literal_error", input=given, expected=" / ".join(f"“{o}”" for o in options))
    if kind == "value_error":  # a model's own rule: its message key is the error's text (model/matter.py)
        try:
            return message(f"v_{ctx.get('error')}")
        except (KeyError, IndexError):
            return message("v_other")
    try:
        return message(f"v_{kind}", input=given, **{k: short(v) for k, v in ctx.items()})
    except (KeyError, IndexError):
        return message("v_other")


def id_kind(loc: tuple) -> str:
    """What kind of id a field holds, for an example in the message: a 工号 looks like s03, not dibao-apply."""
    names = [p for p in loc if isinstance(p, str)]
    last = names[-1] if names else ""
    if last == "person" or (last == "id" and "staff" in names):
        return "staff"
    if last == "window" or (last == "id" and "windows" in names):
        return "window"
    if "user_topic_type" in names or (last == "id" and "topics" in names):
        return "topic"
    if "audiences" in names:
        return "audience"
    if last == "id" and len(names) > 1:
        return "other"
    return "matter"


def short(value, limit: int = 40) -> str:
    text = value if isinstance(value, str) else "" if value is None else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def model_at(model: type[BaseModel], loc) -> type[BaseModel]:
    """The model class that holds the field at `loc` (list indexes and dict keys skipped)."""
    for part in loc:
        if isinstance(part, int) or part not in model.model_fields:
            continue
        inner = _inner_model(model.model_fields[part].annotation)
        if inner is None:
            break
        model = inner
    return model


def _inner_model(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
