"""The forms of the complaints: each checks what a person typed and says what is wrong in plain Chinese next to
the field, as forms.py does."""

from __future__ import annotations

import uuid

from django import forms

from kiosk.problems import message

from . import records
from .case_forms import CaseStepForm, _choice
from .complaint_models import AnswerKind, Complaint, ComplaintChannel
from .forms import PHONE, DayField, TextField


class ComplaintForm(forms.Form):
    channel = _choice(ComplaintChannel.choices)
    received = DayField()  # a paper form entered later keeps its own date
    target_unit = TextField(max_length=100)
    target_person = TextField(max_length=50, required=False)
    matter = TextField(max_length=1000, multiline=True)
    happened = TextField(max_length=50)
    place = TextField(max_length=100)
    grounds = forms.MultipleChoiceField(choices=[], required=False)
    complainant = TextField(max_length=50, required=False)  # both empty: anonymous
    complainant_phone = TextField(max_length=20, required=False)
    token = forms.UUIDField(widget=forms.HiddenInput, error_messages={"invalid": message("desk_form_expired"),
                                                                      "required": message("desk_form_expired")})

    def __init__(self, *args, center=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received"].initial = records.today()
        self.fields["token"].initial = uuid.uuid4()
        self.grounds = list(center.complaints.grounds) if center else []
        self.fields["grounds"].choices = [(str(i), g) for i, g in enumerate(self.grounds, 1)]
        self.fields["grounds"].error_messages["invalid_choice"] = message("desk_complaint_unknown_ground")

    def clean_grounds(self):
        chosen = self.cleaned_data["grounds"]
        if not chosen:
            raise forms.ValidationError(message("desk_complaint_choose_ground"))
        return [self.grounds[int(i) - 1] for i in sorted(chosen, key=int)]

    def clean_complainant_phone(self):
        phone = self.cleaned_data["complainant_phone"]
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(message("desk_bad_phone"))
        return phone


class NoteForm(CaseStepForm):
    day = DayField()
    text = TextField(max_length=500, multiline=True)

    def __init__(self, complaint: Complaint, *args, **kwargs):
        super().__init__(complaint, *args, **kwargs)
        self.day("day", complaint.received)


class AnswerForm(CaseStepForm):
    answer_kind = _choice(AnswerKind.choices)
    answered = DayField()
    answer = TextField(max_length=2000, multiline=True)

    def __init__(self, complaint: Complaint, *args, **kwargs):
        super().__init__(complaint, *args, **kwargs)
        self.day("answered", complaint.received)

    def clean_answer_kind(self):
        kind = self.cleaned_data["answer_kind"]
        if self.case.written and kind != AnswerKind.WRITTEN:
            raise forms.ValidationError(message("desk_complaint_written_needs_reply"))
        return kind


class OutcomeForm(CaseStepForm):
    outcome = TextField(max_length=1000, multiline=True)


class CloseForm(CaseStepForm):
    closed = DayField()

    def __init__(self, complaint: Complaint, *args, **kwargs):
        super().__init__(complaint, *args, **kwargs)
        self.day("closed", complaint.answered or complaint.received)

    def clean(self):
        data = super().clean()
        if not self.case.answered:
            raise forms.ValidationError(message("desk_complaint_needs_answer"))
        return data


class ComplaintVoidForm(CaseStepForm):
    reason = TextField(max_length=1000, multiline=True)
