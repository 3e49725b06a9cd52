"""Every form of the desk. A form checks everything a person typed and says what is wrong in plain
Chinese next to the field (messages.yaml, keys desk_*); a view saves only what a form cleaned.

    LoginForm       township, staff id, password (django-axes counts the failures); a disabled account with
                    its right password is told it is disabled
    IntakeForm      收件: applicant, what was brought, and what to do (补正 / 受理 / 当场办结)
    SupplementForm  补交 and 受理
    FinishForm      办结, with the result
    RefuseForm      不予受理 / 不予许可, with the reason
    VoidForm        作废, with the reason
A 受理 on a rest day (周末 or a holiday of the township's calendar) is refused until the person ticks rest_day_ok
(日期没错), shown once the date is one: a date typed wrong would count every deadline from the wrong day.
Labels and hints are in the templates; the forms hold only rules and their messages.
"""

from __future__ import annotations

import hashlib
import re
import uuid

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from kiosk.exceptions import UnknownYear
from kiosk.problems import message

from .. import roles
from ..deadlines import today
from ..models import Application, State
from ..steps import application as records
from .fields import DayField, StepForm, TextField, phone, text, token_field

ID_LAST4 = re.compile(r"^[0-9]{3}[0-9Xx]$")


def rest_day(calendar, day) -> bool:
    """Whether `day` is a rest day (周末, a holiday) in the township's calendar; a year the calendar does not know
    is not said to be one (never a guess)."""
    if calendar is None or day is None:
        return False
    try:
        return not calendar.is_workday(day)
    except UnknownYear:
        return False


def check_rest_day(form: forms.Form, data: dict, field: str) -> None:
    """A 受理 (or 收件 and 办结 at once) dated on a rest day needs rest_day_ok ticked: else an error at `field`.
    form.rest_day is that day (the template then shows the box)."""
    day = data.get(field)
    form.rest_day = day if rest_day(form.calendar, day) else None
    if form.rest_day and not data.get("rest_day_ok") and field not in form.errors:
        form.add_error(field, message("desk_rest_day", month=day.month, day=day.day))


class NumbersField(forms.MultipleChoiceField):
    """Material numbers as on the matter's 一次性告知单."""

    def __init__(self, numbers: list[int], **kwargs):
        super().__init__(choices=[(str(n), str(n)) for n in numbers], required=False, **kwargs)
        self.count = len(numbers)

    def validate(self, value):
        for v in value:
            if not self.valid_value(v):
                raise forms.ValidationError(message("desk_unknown_material", number=v))

    def clean(self, value):
        return {int(v) for v in super().clean(value)}


def materials_key(materials: list[dict]) -> str:
    """A short hash of the materials' names in order: the intake form checks it has not changed under it."""
    return hashlib.sha256("\n".join(m["name"] for m in materials).encode()).hexdigest()[:16]


# ---------------------------------------------------------------- login


class LoginForm(AuthenticationForm):
    """乡镇, 工号, 密码. The login name is made from the township and the staff id (roles.username_for)."""

    township = forms.ChoiceField(choices=[])
    field_order = ["township", "username", "password"]

    def __init__(self, request=None, *args, townships: list[tuple[str, str]] = (), **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["township"].choices = list(townships) + [("county", roles.Role.COUNTY.label)]
        self.fields["township"].error_messages["invalid_choice"] = message("desk_unknown_township")
        self.fields["username"].error_messages["required"] = message("desk_required")
        self.fields["password"].error_messages["required"] = message("desk_required")
        self.error_messages = {
            **self.error_messages,
            "invalid_login": message("desk_bad_login"),
            "inactive": message("desk_inactive"),
        }

    def clean_username(self):
        staff_id = text(self.cleaned_data.get("username", ""))
        township = self.cleaned_data.get("township")
        return roles.username_for(None if township in (None, "county") else township, staff_id)

    def get_invalid_login_error(self):
        """Django's ModelBackend refuses a disabled account before the form sees it (so a disabled user's
        session ends at once): the right password of a disabled account is told apart here. django-axes has
        counted the attempt already; a locked-out login learns nothing."""
        from django.contrib.auth.models import User

        if not getattr(self.request, "axes_locked_out", False):
            found = User.objects.filter(username=self.cleaned_data.get("username"), is_active=False).first()
            if found is not None and found.check_password(self.cleaned_data.get("password")):
                return forms.ValidationError(self.error_messages["inactive"], code="inactive")
        return super().get_invalid_login_error()


# ---------------------------------------------------------------- intake


class IntakeForm(forms.Form):
    applicant = TextField(max_length=50)
    phone = TextField(max_length=20, required=False)
    id_last4 = TextField(max_length=4, required=False)
    applicant_type = forms.ChoiceField(choices=[], required=False)
    received = DayField()
    brought = NumbersField([])
    not_needed = NumbersField([])
    result = TextField(max_length=500, required=False, multiline=True)
    materials_key = forms.CharField(widget=forms.HiddenInput)
    token = token_field()
    rest_day_ok = forms.BooleanField(required=False)  # 日期没错: the received day is a rest day, and right
    # auto (the form's first button, and Enter): 补正 when something is missing, else 受理
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("auto", "correct", "accept", "finish")],
        error_messages={"required": message("desk_choose_action"), "invalid_choice": message("desk_choose_action")},
    )

    def __init__(self, told: dict, *args, calendar=None, **kwargs):
        """`told`: the snapshot the record would keep (records.snapshot) of the matter as the desk has it now;
        `calendar`: the township's working-day calendar (a rest day asks for rest_day_ok)."""
        super().__init__(*args, **kwargs)
        self.told, self.calendar, self.rest_day = told, calendar, None
        self.materials = told["materials"]
        self.types = records.applicant_types(told)
        self.instant = records.is_instant(told) or any(records.is_instant(told, w) for w in self.types)
        numbers = [m["no"] for m in self.materials]
        self.fields["brought"] = NumbersField(numbers)
        self.fields["not_needed"] = NumbersField([m["no"] for m in self.materials if m["conditional"]])
        self.fields["applicant_type"].choices = [("", "")] + [(w, w) for w in self.types]
        self.fields["applicant_type"].error_messages["invalid_choice"] = message("desk_unknown_type")
        self.fields["received"].initial = today()
        self.fields["materials_key"].initial = materials_key(self.materials)
        self.fields["token"].initial = uuid.uuid4()

    def clean_phone(self):
        return phone(self.cleaned_data["phone"])

    def clean_id_last4(self):
        value = self.cleaned_data["id_last4"]
        if value and not ID_LAST4.match(value):
            raise forms.ValidationError(message("desk_bad_id_last4"))
        return value.upper()

    def clean_applicant_type(self):
        value = self.cleaned_data["applicant_type"]
        if self.types and not value:
            raise forms.ValidationError(message("desk_choose_type"))
        return value

    def clean_materials_key(self):
        if self.cleaned_data["materials_key"] != materials_key(self.materials):
            raise forms.ValidationError(message("desk_catalogue_changed_form"))
        return self.cleaned_data["materials_key"]

    def clean(self):
        data = super().clean()
        action, missing = checked_materials(self, data)
        if action is None:
            if data.get("action") in ("accept", "finish"):
                check_rest_day(self, data, "received")
            return data
        if action == "auto":
            action = data["action"] = "correct" if missing else "accept"
        if action == "correct" and not missing:
            self.add_error("action", message("desk_nothing_missing"))
        elif action in ("accept", "finish") and missing:
            self.add_error("action", message("desk_still_missing", numbers="、".join(map(str, missing))))
        elif action == "finish" and not records.is_instant(self.told, data.get("applicant_type", "")):
            self.add_error("action", message("desk_not_instant"))
        if data.get("action") in ("accept", "finish"):
            check_rest_day(self, data, "received")
        return data


def checked_materials(form: forms.Form, data: dict) -> tuple[str | None, list[int] | None]:
    """brought and not_needed do not overlap; the action chosen and the numbers neither brought nor not needed
    (data["missing"]), or (None, None) when the form's own checks failed."""
    brought, not_needed = data.get("brought"), data.get("not_needed")
    if brought is None or not_needed is None:
        return None, None
    both = sorted(brought & not_needed)
    if both:
        form.add_error("not_needed", message("desk_both_ticked", numbers="、".join(map(str, both))))
        return None, None
    data["missing"] = [m["no"] for m in form.materials if m["no"] not in brought and m["no"] not in not_needed]
    action = data.get("action")
    return (action, data["missing"]) if action is not None else (None, None)


# ---------------------------------------------------------------- steps on a record


class SupplementForm(StepForm):
    brought = NumbersField([])
    not_needed = NumbersField([])
    applicant_type = forms.ChoiceField(choices=[], required=False)
    accepted = DayField(required=False)
    rest_day_ok = forms.BooleanField(required=False)  # 日期没错: the accept day is a rest day, and right
    action = forms.ChoiceField(
        choices=[("save", "save"), ("notice", "notice"), ("accept", "accept")],
        error_messages={"required": message("desk_choose_action"), "invalid_choice": message("desk_choose_action")},
    )

    def __init__(self, app: Application, *args, calendar=None, **kwargs):
        super().__init__(app, *args, **kwargs)
        self.calendar, self.rest_day = calendar, None
        self.materials = app.told["materials"]
        self.rows = [(m, None) for m in self.materials]  # as told: the catalogue may have changed since
        self.types = records.applicant_types(app.told)
        self.fields["brought"] = NumbersField([m["no"] for m in self.materials], initial=[str(n) for n in app.brought])
        self.fields["not_needed"] = NumbersField(
            [m["no"] for m in self.materials if m["conditional"]], initial=[str(n) for n in app.not_needed]
        )
        self.fields["applicant_type"].choices = [("", "")] + [(w, w) for w in self.types]
        self.fields["applicant_type"].initial = app.applicant_type
        self.fields["applicant_type"].error_messages["invalid_choice"] = message("desk_unknown_type")
        self.fields["accepted"] = DayField(
            required=False, earliest=app.received, earliest_key="desk_before_received", initial=today()
        )

    def clean(self):
        data = super().clean()
        action, missing = checked_materials(self, data)
        if action is None:
            if data.get("action") == "accept":
                check_rest_day(self, data, "accepted")
            return data
        if action == "accept":
            if missing:
                self.add_error("action", message("desk_still_missing", numbers="、".join(map(str, missing))))
            if not data.get("accepted") and "accepted" not in self.errors:
                self.add_error("accepted", message("desk_required"))
            if self.types and not (data.get("applicant_type") or self.record.applicant_type):
                self.add_error("applicant_type", message("desk_choose_type"))
            check_rest_day(self, data, "accepted")
        elif action == "notice" and not missing:
            self.add_error("action", message("desk_nothing_missing"))
        return data


class FinishForm(StepForm):
    finished = DayField()
    result = TextField(max_length=500, multiline=True)

    def __init__(self, app: Application, *args, **kwargs):
        super().__init__(app, *args, **kwargs)
        self.fields["finished"] = DayField(earliest=app.accepted, earliest_key="desk_before_accepted", initial=today())


class RefuseForm(StepForm):
    decided = DayField()
    reason = TextField(max_length=1000, multiline=True)

    def __init__(self, app: Application, *args, **kwargs):
        super().__init__(app, *args, **kwargs)
        first = app.accepted or app.received
        self.fields["decided"] = DayField(earliest=first, earliest_key="desk_before_received", initial=today())


class RecordFilter(forms.Form):
    """The record list's filters (GET): anything wrong is ignored, never an error page."""

    q = forms.CharField(required=False, max_length=50)
    state = forms.ChoiceField(choices=[("", "")] + [(s.value, s.label) for s in State], required=False)
    due = forms.ChoiceField(
        choices=[(x, x) for x in ("", "overdue", "today", "soon", "unknown", "month")], required=False
    )
    window = forms.CharField(required=False, max_length=64)
    township = forms.CharField(required=False, max_length=64)
