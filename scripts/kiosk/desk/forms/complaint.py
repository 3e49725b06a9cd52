"""The forms of the complaints: each checks what a person typed and says what is wrong in plain Chinese next to
the field, as forms.py does."""

from __future__ import annotations

import uuid

from django import forms

from kiosk.problems import message

from ..deadlines import today
from ..models import AnswerKind, Complaint, ComplaintChannel
from .fields import DayField, StepForm, TextField, choice, phone, token_field


class ComplaintForm(forms.Form):
    channel = choice(ComplaintChannel.choices)
    received = DayField()  # a paper form entered later keeps its own date
    target_unit = TextField(max_length=100)
    target_person = TextField(max_length=50, required=False)
    matter = TextField(max_length=1000, multiline=True)
    happened = TextField(max_length=50)
    place = TextField(max_length=100)
    grounds = forms.MultipleChoiceField(choices=[], required=False)
    complainant = TextField(max_length=50, required=False)  # both empty: anonymous
    complainant_phone = TextField(max_length=20, required=False)
    token = token_field()

    def __init__(self, *args, center=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received"].initial = today()
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
        return phone(self.cleaned_data["complainant_phone"])


class NoteForm(StepForm):
    day = DayField()
    text = TextField(max_length=500, multiline=True)

    def __init__(self, complaint: Complaint, *args, **kwargs):
        super().__init__(complaint, *args, **kwargs)
        self.day("day", complaint.received)


class AnswerForm(StepForm):
    answer_kind = choice(AnswerKind.choices)
    answered = DayField()
    answer = TextField(max_length=2000, multiline=True)
    reply_to = TextField(max_length=200, required=False)  # where the written answer goes (an address, or how)

    def __init__(self, complaint: Complaint, *args, **kwargs):
        super().__init__(complaint, *args, **kwargs)
        self.day("answered", complaint.received)

    def clean_answer_kind(self):
        kind = self.cleaned_data["answer_kind"]
        if self.record.written and kind != AnswerKind.WRITTEN:
            raise forms.ValidationError(message("desk_complaint_written_needs_reply"))
        return kind

    def clean(self):
        data = super().clean()
        if data.get("answer_kind") == AnswerKind.WRITTEN and not data.get("reply_to") and "reply_to" not in self.errors:
            self.add_error("reply_to", message("desk_complaint_reply_to_needed"))
        return data


class OutcomeForm(StepForm):
    outcome = TextField(max_length=1000, multiline=True)


class CloseForm(StepForm):
    closed = DayField()

    def __init__(self, complaint: Complaint, *args, **kwargs):
        super().__init__(complaint, *args, **kwargs)
        self.day("closed", complaint.answered or complaint.received)

    def clean(self):
        data = super().clean()
        if not self.record.answered:
            raise forms.ValidationError(message("desk_complaint_needs_answer"))
        return data
