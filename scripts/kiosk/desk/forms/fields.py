"""What every form of the desk checks the same way, written once: typed text, days, months, phones, lists.

text(value, multiline)  typed text, stripped; invisible characters refused with what they are: direction
                        controls anywhere; in one-line fields (names, phones, units …) also zero-width
                        characters, line and paragraph separators and every other control or format character
TextField               a CharField checked by text(), its messages in Chinese
DayField                a day that has happened: not in the future, not over a year back, not before `earliest`
PromiseField            a day agreed for later (约定延期, 帮代办): not before `earliest`, at most a year ahead
month(value)            a month typed as 2026-03, from 2000-01 to next year's December (BadMonth otherwise)
choice(choices)         a required choice from a list
phone(value)            a phone number as people write it, or ""
token_field(), version_field()   the hidden fields of a new record's form and of a step on a record
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from django import forms

from kiosk.problems import message

from ..deadlines import today

BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
LINE_BREAKS = frozenset("\u2028\u2029")
PHONE = re.compile(r"^[0-9][0-9 \-]{2,18}[0-9]$|^\+[0-9][0-9 \-]{2,18}[0-9]$")
OLDEST_DAYS = 366  # a day further back than this is a typing mistake
AHEAD_DAYS = 366  # a day agreed for later: at most a year ahead
FIRST_YEAR = 2000  # no record of the desk is older (months of the ledger and report)


def _refused(ch: str, multiline: bool) -> str | None:
    """The message key for a character that has no place in typed text, or None."""
    if BIDI.match(ch):
        return "desk_bidi"
    category = unicodedata.category(ch)
    if category == "Cc":
        return None if multiline and ch in "\n\r\t" else "desk_control"
    if multiline:
        return None
    if ch in ZERO_WIDTH:
        return "desk_zero_width"
    if ch in LINE_BREAKS or category in ("Zl", "Zp"):
        return "desk_line_break"
    if category == "Cf":
        return "desk_control"
    return None


def text(value: str, multiline: bool = False) -> str:
    """Typed text, stripped; invisible controls that would scramble it on screen and paper are refused."""
    value = (value or "").strip()
    for ch in value:
        key = _refused(ch, multiline)
        if key:
            raise forms.ValidationError(message(key, code=f"U+{ord(ch):04X}"))
    return value


class TextField(forms.CharField):
    def __init__(self, *, multiline: bool = False, **kwargs):
        self.multiline = multiline
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", message("desk_required"))
        if "max_length" in kwargs:
            kwargs["error_messages"].setdefault("max_length", message("desk_too_long", max=kwargs["max_length"]))
        super().__init__(**kwargs)

    def to_python(self, value):
        return text(super().to_python(value), self.multiline)


class DayField(forms.DateField):
    """A day that has happened, typed as 2026-03-02 (the browser's date picker sends that): not in the future,
    not over a year back, not before `earliest`."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    ahead = 0  # days after today allowed

    def __init__(self, earliest: datetime.date | None = None, earliest_key: str = "", **kwargs):
        self.earliest, self.earliest_key = earliest, earliest_key
        super().__init__(
            input_formats=["%Y-%m-%d"],
            error_messages={"required": message("desk_required"), "invalid": message("desk_bad_date")},
            **kwargs,
        )

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        day = today()
        latest = day + datetime.timedelta(days=self.ahead)
        if value > latest:
            raise forms.ValidationError(
                message("desk_far_date", latest=latest.isoformat())
                if self.ahead
                else message("desk_future_date", today=day.isoformat())
            )
        if self.earliest and value < self.earliest:
            raise forms.ValidationError(message(self.earliest_key, day=self.earliest.isoformat()))
        if value < day - datetime.timedelta(days=OLDEST_DAYS):
            raise forms.ValidationError(message("desk_old_date"))


class PromiseField(DayField):
    """A day agreed for later (约定延期, 帮代办): not before `earliest`, at most a year from today."""

    ahead = AHEAD_DAYS


class BadMonth(ValueError):
    """A month that month() refuses; str() says why in Chinese, `values` fill the message desk_bad_month."""

    def __init__(self, value: str):
        self.values = {"month": value, "first": f"{FIRST_YEAR}-01", "last": f"{today().year + 1}-12"}
        super().__init__(message("desk_bad_month", **self.values))


def month(value: str) -> datetime.date:
    """The first day of a month typed as 2026-03, from 2000-01 to next year's December; BadMonth otherwise."""
    found = re.fullmatch(r"(\d{4})-(\d{1,2})", (value or "").strip())
    if not found or not (FIRST_YEAR <= int(found.group(1)) <= today().year + 1 and 1 <= int(found.group(2)) <= 12):
        raise BadMonth(value)
    return datetime.date(int(found.group(1)), int(found.group(2)), 1)


def choice(choices, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=[("", "")] + list(choices),
        error_messages={"required": message("desk_required"), "invalid_choice": message("desk_choose_from_list")},
        **kwargs,
    )


def phone(value: str) -> str:
    if value and not PHONE.match(value):
        raise forms.ValidationError(message("desk_bad_phone"))
    return value


def token_field() -> forms.UUIDField:
    """The hidden token of a new record's form: a second send of the same form saves nothing twice."""
    return forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={"invalid": message("desk_form_expired"), "required": message("desk_form_expired")},
    )


def version_field() -> forms.IntegerField:
    """The hidden version of a record the person saw (optimistic locking)."""
    return forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": message("desk_form_expired"), "invalid": message("desk_form_expired")},
    )


class StepForm(forms.Form):
    """A step on any kind of record: carries the version the person saw (lifecycle.step checks it again)."""

    version = version_field()

    def __init__(self, record, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record
        self.fields["version"].initial = record.version

    def day(self, name: str, earliest, required: bool = True) -> None:
        """A date field of the step, not before `earliest` (the record's own date), today to start with."""
        self.fields[name] = DayField(
            earliest=earliest, earliest_key="desk_case_before", initial=today(), required=required
        )


class VoidForm(StepForm):
    """作废, the last step of every kind: the reason, always."""

    reason = TextField(max_length=1000, multiline=True)
