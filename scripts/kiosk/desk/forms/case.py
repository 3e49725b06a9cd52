"""The forms of the 办不成事 cases: each checks what a person typed and says what is wrong in plain Chinese
next to the field (messages.yaml, keys desk_*), as forms.py does for applications."""

from __future__ import annotations

import uuid

from django import forms

from kiosk.problems import message

from ..deadlines import today
from ..models import Case, CaseState, Category, Channel, Satisfaction
from .fields import DayField, PromiseField, StepForm, TextField, choice, phone, token_field


class RegisterForm(forms.Form):
    channel = choice(Channel.choices)
    received = DayField()  # a paper form entered later keeps its own date (never a day in the future)
    matter_name = TextField(max_length=200)
    units = TextField(max_length=200)
    person = TextField(max_length=50)
    phone = TextField(max_length=20)
    reason = TextField(max_length=1000, multiline=True)
    token = token_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received"].initial = today()
        self.fields["token"].initial = uuid.uuid4()

    def clean_phone(self):
        return phone(self.cleaned_data["phone"])


class ClassifyForm(StepForm):
    category = choice(Category.choices)
    classified = DayField()
    agreed_date = PromiseField(required=False)
    consent = forms.BooleanField(required=False)
    consent_note = TextField(max_length=200, required=False)
    explanation = TextField(max_length=1000, required=False, multiline=True)

    def __init__(self, case: Case, *args, center=None, **kwargs):
        super().__init__(case, *args, **kwargs)
        self.day("classified", case.received)
        self.fields["agreed_date"] = PromiseField(
            required=False, earliest=case.received, earliest_key="desk_case_agreed_too_early"
        )
        if center is not None:  # the days as the center file says them
            self.fields["category"].choices = [("", "")] + [
                (c.value, Case(category=c.value).category_text(center)) for c in Category
            ]

    def clean(self):
        data = super().clean()
        category = data.get("category")
        if category == Category.AGREED:
            agreed = data.get("agreed_date")
            if agreed is None and "agreed_date" not in self.errors:
                self.add_error("agreed_date", message("desk_case_agreed_needs_date"))
            if not data.get("consent") or not data.get("consent_note"):
                self.add_error("consent_note", message("desk_case_agreed_needs_consent"))
        elif category == Category.EXCLUDED and not data.get("explanation") and "explanation" not in self.errors:
            self.add_error("explanation", message("desk_case_excluded_needs_explanation"))
        return data


class PassForm(StepForm):
    window = choice([])
    passed = DayField()

    def __init__(self, case: Case, *args, center=None, **kwargs):
        super().__init__(case, *args, **kwargs)
        self.day("passed", case.classified or case.received)
        windows = [(w.id, w.name) for w in center.windows if w.id != center.unresolved.window] if center else []
        self.fields["window"].choices = [("", "")] + windows
        self.fields["window"].error_messages["invalid_choice"] = message("desk_case_unknown_window")


class HandleForm(StepForm):
    handling = TextField(max_length=1000, multiline=True)
    result = TextField(max_length=1000, multiline=True)
    finished = DayField()

    def __init__(self, case: Case, *args, **kwargs):
        super().__init__(case, *args, **kwargs)
        self.day("finished", case.passed or case.classified or case.received)


class FeedbackForm(StepForm):
    told_on = DayField()
    told_how = TextField(max_length=100)

    def __init__(self, case: Case, *args, **kwargs):
        super().__init__(case, *args, **kwargs)
        self.day("told_on", case.finished)


class FollowUpForm(StepForm):
    visited = DayField()
    satisfaction = choice(Satisfaction.choices)
    words = TextField(max_length=1000, required=False, multiline=True)

    def __init__(self, case: Case, *args, **kwargs):
        super().__init__(case, *args, **kwargs)
        self.day("visited", case.told_on or case.finished)


class ArchiveForm(StepForm):
    archived = DayField()

    def __init__(self, case: Case, *args, **kwargs):
        super().__init__(case, *args, **kwargs)
        self.day("archived", case.visited)


class CaseFilter(forms.Form):
    """The case list's filters (GET): anything wrong is ignored."""

    q = forms.CharField(required=False, max_length=50)
    state = forms.ChoiceField(choices=[("", "")] + list(CaseState.choices), required=False)
    late = forms.BooleanField(required=False)
