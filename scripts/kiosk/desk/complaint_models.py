"""The complaints the center takes (投诉受理, issue 15): one Complaint per complaint, 登记 → 调查 → 答复 (口头, or
书面 with the 答复书; a written complaint must have it) → 跟踪 until 办结.

The complainant's name and phone (署名投诉: 身份严格保密) are shown only to the 中心负责人 role: every other
screen, the history (it says only that they changed) and the printed 投诉登记表 mask them; the 答复书, which
names the complainant, is printed and fetched by the head only. The outcome for the person complained about
(`outcome`) is recorded by the head and shown to no window user.

Who sees a complaint (access.visible through Complaint.scope): the 办不成事 window, which takes complaints,
and the center head every complaint of the township; a window the complaints its staff registered; the
county all, read-only. Nothing is deleted: a complaint is voided with a reason.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from kiosk.problems import message

from . import access
from .case_models import _unresolved_window
from .models import PrintedDocument

SECRET = ("complainant", "complainant_phone")  # the identity: the head's eyes only
HEAD_ONLY = SECRET + ("outcome",)


def label(field: str) -> str:
    return message(f"desk_complaint_field_{field}")


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


class Complaint(models.Model):
    scope = access.Scope(township="township", owner="created_by", whole=_unresolved_window)

    number = models.CharField(label("number"), max_length=32, unique=True)
    township = models.CharField(label("township"), max_length=64)
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
    outcome = models.TextField(label("outcome"), max_length=1000, blank=True)  # for the person complained about
    closed = models.DateField(label("closed"), null=True, blank=True)
    void_reason = models.TextField(label("void_reason"), max_length=1000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=label("created_by"))
    created_at = models.DateTimeField(label("created_at"), auto_now_add=True)
    updated_at = models.DateTimeField(label("updated_at"), auto_now=True)
    version = models.PositiveIntegerField(label("version"), default=1)
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at", "token"])
    objects = access.ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = message("desk_model_complaint")
        indexes = [models.Index(fields=["township", "state", "due"], name="desk_complaint_due"),
                   models.Index(fields=["township", "-received", "-id"], name="desk_complaint_received")]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return _complaint_url().format(self.pk)

    def delete(self, *args, **kwargs):
        raise PermissionError("complaints are never deleted; void them with a reason")

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


@functools.cache
def _complaint_url() -> str:
    return reverse("desk:complaint", args=[987654321]).replace("987654321", "{}")


class ComplaintDocumentKind(models.TextChoices):
    REGISTER = "register", message("desk_complaint_doc_register")
    REPLY = "reply", message("desk_complaint_doc_reply")


class ComplaintDocument(PrintedDocument):
    complaint = models.ForeignKey(Complaint, models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=16, choices=ComplaintDocumentKind.choices)

    class Meta(PrintedDocument.Meta):
        pass

    @property
    def head_only(self) -> bool:
        """The 答复书 names the complainant: only the center head fetches it."""
        return self.kind == ComplaintDocumentKind.REPLY

    def get_absolute_url(self):
        return reverse("desk:complaint_document", args=[self.complaint_id, self.pk])
