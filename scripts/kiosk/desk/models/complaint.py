"""The complaints the center takes (投诉受理): 登记 → 调查 → 答复 (口头, or 书面 with the 答复书; a written complaint
must have it) → 办结; 作废 with a reason.

The complainant's name and phone (署名投诉: 身份严格保密) are seen only with the permission view_complainant (the
中心负责人, permissions.py); every other screen, the history and the printed 投诉登记表 mask them (presenters.py).
The outcome for the person complained about (`outcome`) is recorded by the head and shown to no window user.

Who sees a complaint (Scope): the 办不成事 window, which takes complaints, and the center head every complaint
of the township; a window the complaints its staff registered; the county all, read-only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kiosk.problems import message

from .. import deadlines
from ..deadlines import Deadline
from .base import Kept, Scope, Step, every_state_but, printed_documents
from .base import label as base_label
from .case import unresolved_window

SECRET = ("complainant", "complainant_phone")  # the identity: seen with view_complainant only
HEAD_ONLY = SECRET + ("outcome", "reply_to")


def label(field: str) -> str:  # its own names first (desk_complaint_field_*), else the shared ones
    return base_label(field, "complaint")


class ComplaintState(models.TextChoices):
    REGISTERED = "registered", message("desk_complaint_state_registered")
    INVESTIGATING = "investigating", message("desk_complaint_state_investigating")
    ANSWERED = "answered", message("desk_complaint_state_answered")
    CLOSED = "closed", message("desk_complaint_state_closed")
    VOID = "void", message("desk_complaint_state_void")


OPEN = (ComplaintState.REGISTERED, ComplaintState.INVESTIGATING, ComplaintState.ANSWERED)


class ComplaintChannel(models.TextChoices):
    ORAL = "oral", message("desk_complaint_channel_oral")
    WRITTEN = "written", message("desk_complaint_channel_written")
    PHONE = "phone", message("desk_complaint_channel_phone")
    ONLINE = "online", message("desk_complaint_channel_online")
    BOX = "box", message("desk_complaint_channel_box")
    DISCIPLINE = "discipline", message("desk_complaint_channel_discipline")
    HOTLINE = "hotline", message("desk_complaint_channel_hotline")


class AnswerKind(models.TextChoices):
    ORAL = "oral", message("desk_complaint_answer_oral")
    WRITTEN = "written", message("desk_complaint_answer_written")


class Complaint(Kept):
    number = models.CharField(label("number"), max_length=32, unique=True)
    window = models.CharField(label("window"), max_length=64, blank=True)  # the window that took it
    state = models.CharField(label("state"), max_length=16, choices=ComplaintState.choices)
    channel = models.CharField(label("channel"), max_length=16, choices=ComplaintChannel.choices)
    received = models.DateField(label("received"))
    target_unit = models.CharField(label("target_unit"), max_length=100)
    target_person = models.CharField(label("target_person"), max_length=50, blank=True)
    matter = models.TextField(label("matter"), max_length=1000)
    happened = models.CharField(label("happened"), max_length=50)
    place = models.CharField(label("place"), max_length=100)
    grounds = models.JSONField(label("grounds"), default=list)  # the center file's complaints.grounds, as chosen
    complainant = models.CharField(label("complainant"), max_length=50, blank=True)  # empty: anonymous
    complainant_phone = models.CharField(label("complainant_phone"), max_length=20, blank=True)
    due = models.DateField(label("due"), null=True, blank=True)  # complaints.reply_days working days after
    due_year = models.PositiveSmallIntegerField(label("due_year"), null=True, blank=True)
    notes = models.TextField(label("notes"), max_length=4000, blank=True)  # investigation and follow-up
    answer_kind = models.CharField(label("answer_kind"), max_length=8, choices=AnswerKind.choices, blank=True)
    answered = models.DateField(label("answered"), null=True, blank=True)
    answer = models.TextField(label("answer"), max_length=2000, blank=True)
    reply_to = models.CharField(label("reply_to"), max_length=200, blank=True)  # where the 书面答复 is delivered
    outcome = models.TextField(label("outcome"), max_length=1000, blank=True)  # for the person complained about
    closed = models.DateField(label("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=label("created_by")
    )

    scope = Scope(window=None, whole=unresolved_window)
    steps = {
        "note": Step(OPEN, "take_complaint", "complaint-note"),
        "answer": Step((ComplaintState.REGISTERED, ComplaintState.INVESTIGATING), "take_complaint", "complaint-answer"),
        "outcome": Step(every_state_but(ComplaintState, ComplaintState.VOID), "view_complainant", "complaint-outcome"),
        "close": Step((ComplaintState.ANSWERED,), "take_complaint", "complaint-close"),
        "void": Step(every_state_but(ComplaintState, ComplaintState.VOID), "take_complaint", "complaint-void"),
    }
    deadlines = (
        Deadline(
            "due",
            (ComplaintState.REGISTERED, ComplaintState.INVESTIGATING),
            "answer",
            "due_year",
            deadlines.recount_complaint,
        ),
    )
    number_code = "TS"
    url_name = "complaint"

    class Meta:
        verbose_name = verbose_name_plural = message("desk_model_complaint")
        indexes = [
            models.Index(fields=["township", "state", "due"], name="desk_complaint_due"),
            models.Index(fields=["township", "-received", "-id"], name="desk_complaint_received"),
        ]

    def __str__(self):
        return self.number

    @property
    def written(self) -> bool:
        """A written complaint must be answered in writing (书面投诉必须书面答复)."""
        return self.channel == ComplaintChannel.WRITTEN

    @property
    def matter_name(self) -> str:  # the shared history template's title
        return self.target_unit

    @property
    def anonymous(self) -> bool:
        return not (self.complainant or self.complainant_phone)


class ComplaintDocumentKind(models.TextChoices):
    REGISTER = "register", message("desk_complaint_doc_register")
    REPLY = "reply", message("desk_complaint_doc_reply")


ComplaintDocument = printed_documents(Complaint, "complaint", ComplaintDocumentKind, "ComplaintDocument")
NAMES_COMPLAINANT = {ComplaintDocumentKind.REPLY}  # the 答复书: only the head and the one who wrote it fetch it
