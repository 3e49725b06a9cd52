"""The forms of 首问登记 and 帮代办 (plain-Chinese errors next to the field, as forms.py)."""

from __future__ import annotations

import uuid

from django import forms

from kiosk.problems import message

from ..deadlines import today
from ..models import AskWay
from .fields import DayField, PromiseField, StepForm, TextField, choice, phone, token_field

# the fields of each outcome of a 首问 (the form shows only the chosen one's; the others are not kept)
OUTCOME_FIELDS = {"answer": ("answer",), "refer": ("ref_unit", "ref_place", "ref_phone", "ref_person"), "follow": ()}


class _New(forms.Form):
    token = token_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].initial = uuid.uuid4()


class AskForm(_New):
    asked = DayField()
    way = choice(AskWay.choices)
    person = TextField(max_length=50, required=False)
    phone = TextField(max_length=20, required=False)
    question = TextField(max_length=1000, multiline=True)
    outcome = choice([("answer", "answer"), ("refer", "refer"), ("follow", "follow")])
    answer = TextField(max_length=1000, required=False, multiline=True)
    ref_unit = TextField(max_length=100, required=False)
    ref_place = TextField(max_length=100, required=False)
    ref_phone = TextField(max_length=20, required=False)
    ref_person = TextField(max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asked"].initial = today()

    def clean_phone(self):
        return phone(self.cleaned_data["phone"])

    def clean_ref_phone(self):
        return phone(self.cleaned_data["ref_phone"])

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        for other, names in OUTCOME_FIELDS.items():  # what was typed for another outcome is not kept
            for name in names if other != outcome and outcome else ():
                data[name] = ""
                self.errors.pop(name, None)
        if outcome == "answer" and not data.get("answer") and "answer" not in self.errors:
            self.add_error("answer", message("desk_ask_needs_answer"))
        elif outcome == "refer":
            for name in OUTCOME_FIELDS["refer"]:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message("desk_ask_needs_referral"))
        elif outcome == "follow" and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", message("desk_ask_needs_phone"))
        return data


class TellForm(StepForm):
    told = DayField()
    result = TextField(max_length=1000, multiline=True)

    def __init__(self, a, *args, **kwargs):
        super().__init__(a, *args, **kwargs)
        self.day("told", a.asked)


class ProxyForm(_New):
    received = DayField()
    person = TextField(max_length=50)
    phone = TextField(max_length=20)
    agent = choice([])
    matter_name = TextField(max_length=200)
    due = PromiseField()
    handed = TextField(max_length=1000, multiline=True)

    def __init__(self, *args, center=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received"].initial = today()
        self.fields["agent"].choices = [("", "")] + [
            (s.id, f"{s.name}（{s.role}）") for s in (center.staff if center else [])
        ]
        self.fields["agent"].error_messages["invalid_choice"] = message("desk_proxy_unknown_agent")

    def clean_phone(self):
        return phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if data.get("due") and data.get("received") and data["due"] < data["received"]:
            self.add_error("due", message("desk_proxy_due_early", day=data["received"].isoformat()))
        return data


class ReturnForm(StepForm):
    returned = DayField()
    returned_what = TextField(max_length=1000, multiline=True)

    def __init__(self, p, *args, **kwargs):
        super().__init__(p, *args, **kwargs)
        self.day("returned", p.received)
