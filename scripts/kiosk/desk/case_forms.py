"""The forms of the 办不成事 cases: each checks what a person typed and says what is wrong in plain Chinese
next to the field (messages.yaml, keys desk_*), as forms.py does for applications."""

from __future__ import annotations

import uuid

from django import forms

from kiosk.problems import message

from . import records
from .case_models import Case, CaseState, Category, Channel, Satisfaction
from .forms import PHONE, DayField, TextField


def _choice(choices, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(choices=[("", "")] + list(choices), error_messages={
        "required": message("desk_required"), "invalid_choice": message("desk_choose_from_list")}, **kwargs)


class RegisterForm(forms.Form):
    channel = _choice(Channel.choices)
    received = DayField()  # a paper form entered later keeps its own date (never a day in the future)
    matter_name = TextField(max_length=200)
    units = TextField(max_length=200)
    person = TextField(max_length=50)
    phone = TextField(max_length=20)
    reason = TextField(max_length=1000, multiline=True)
    token = forms.UUIDField(widget=forms.HiddenInput, error_messages={"invalid": message("desk_form_expired"),
                                                                      "required": message("desk_form_expired")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received"].initial = records.today()
        self.fields["token"].initial = uuid.uuid4()

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if not PHONE.match(phone):
            raise forms.ValidationError(message("desk_bad_phone"))
        return phone


class CaseStepForm(forms.Form):
    """A step on a case: the version the person saw, as forms.StepForm."""

    version = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": message("desk_form_expired"),
                                                                           "invalid": message("desk_form_expired")})

    def __init__(self, case: Case, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["version"].initial = case.version

    def day(self, name: str, earliest, required: bool = True) -> None:
        self.fields[name] = DayField(earliest=earliest, earliest_key="desk_case_before", initial=records.today(),
                                     required=required)


class ClassifyForm(CaseStepForm):
    category = _choice(Category.choices)
    classified = DayField()
    agreed_date = forms.DateField(required=False, input_formats=["%Y-%m-%d"],
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                  error_messages={"invalid": message("desk_bad_date")})
    consent = forms.BooleanField(required=False)
    consent_note = TextField(max_length=200, required=False)
    explanation = TextField(max_length=1000, required=False, multiline=True)

    def __init__(self, case: Case, *args, center=None, **kwargs):
        super().__init__(case, *args, **kwargs)
        self.day("classified", case.received)
        if center is not None:  # the days as the center file says them
            self.fields["category"].choices = [("", "")] + [
                (c.value, Case(category=c.value).category_text(center)) for c in Category]

    def clean(self):
        data = super().clean()
        category = data.get("category")
        if category == Category.AGREED:
            agreed = data.get("agreed_date")
            if agreed is None and "agreed_date" not in self.errors:
                self.add_error("agreed_date", message("desk_case_agreed_needs_date"))
            elif agreed is not None and agreed < self.case.received:
                self.add_error("agreed_date", message("desk_case_agreed_too_early", day=self.case.received.isoformat()))
            if not data.get("consent") or not data.get("consent_note"):
                self.add_error("consent_note", message("desk_case_agreed_needs_consent"))
        elif category == Category.EXCLUDED and not data.get("explanation") and "explanation" not in self.errors:
            self.add_error("explanation", message("desk_case_excluded_needs_explanation"))
        return data


class PassForm(CaseStepForm):
    window = _choice([])
    passed = DayField()

    def __init__(self, case: Case, *args, center=None, **kwargs):
        super().__init__(case, *args, **kwargs)
        self.day("passed", case.classified or case.received)
        windows = [(w.id, w.name) for w in center.windows if w.id != center.unresolved.window] if center else []
        self.fields["window"].choices = [("", "")] + windows
        self.fields["window"].error_messages["invalid_choice"] = message("desk_case_unknown_window")


class HandleForm(CaseStepForm):
    handling = TextField(max_length=1000, multiline=True)
    result = TextField(max_length=1000, multiline=True)
    finished = DayField()

    def __init__(self, case: Case, *args, **kwargs):
        super().__init__(case, *args, **kwargs)
        self.day("finished", case.passed or case.classified or case.received)


class FeedbackForm(CaseStepForm):
    told_on = DayField()
    told_how = TextField(max_length=100)

    def __init__(self, case: Case, *args, **kwargs):
        super().__init__(case, *args, **kwargs)
        self.day("told_on", case.finished)


class FollowUpForm(CaseStepForm):
    visited = DayField()
    satisfaction = _choice(Satisfaction.choices)
    words = TextField(max_length=1000, required=False, multiline=True)

    def __init__(self, case: Case, *args, **kwargs):
        super().__init__(case, *args, **kwargs)
        self.day("visited", case.told_on or case.finished)


class ArchiveForm(CaseStepForm):
    archived = DayField()

    def __init__(self, case: Case, *args, **kwargs):
        super().__init__(case, *args, **kwargs)
        self.day("archived", case.visited)


class CaseVoidForm(CaseStepForm):
    reason = TextField(max_length=1000, multiline=True)


class CaseFilter(forms.Form):
    """The case list's filters (GET): anything wrong is ignored."""

    q = forms.CharField(required=False, max_length=50)
    state = forms.ChoiceField(choices=[("", "")] + list(CaseState.choices), required=False)
    late = forms.BooleanField(required=False)
