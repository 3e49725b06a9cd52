"""The desk's records.

    Application   one applicant's application for one matter (受理件): who, what, its state and dates, and a
                  snapshot of what was told that day (`told`); every change kept in its history
    Document      a printed document of an application, as the HTML it was printed from (proof of what was
                  told: reprinted, it is the same paper); never changed
    Counter       the last record number of a prefix and year (DHP-2026-000123), taken in the save's own
                  transaction
    StaffProfile  a desk user's township, staff id (from the township's center file), window and name; the
                  user's role is their group (access.Role)

Nothing is deleted: a record is voided (作废) with a reason. Who sees which record is decided in one
place, `access.visible`, through `Application.objects.visible_to(user)`.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from kiosk.problems import message

from . import access


def label(field: str) -> str:
    return message(f"desk_field_{field}")


class State(models.TextChoices):
    CORRECTING = "correcting", message("desk_state_correcting")  # 补正中: materials still to bring
    ACCEPTED = "accepted", message("desk_state_accepted")  # 已受理: the clock runs
    FINISHED = "finished", message("desk_state_finished")  # 已办结
    REJECTED = "rejected", message("desk_state_rejected")  # 不予受理
    DENIED = "denied", message("desk_state_denied")  # 不予许可
    VOID = "void", message("desk_state_void")  # 作废, with a reason


OPEN_STATES = (State.CORRECTING, State.ACCEPTED)


class DueKind(models.TextChoices):
    """How the due date was found, as the matter states its limits."""
    TOTAL = "total", message("desk_due_total")  # a committed total (or the applicant type's own)
    INSTANT = "instant", message("desk_due_instant")  # 即办件: the same day
    STAGES = "stages", message("desk_due_stages")  # no total: the last stage's date
    NONE = "none", message("desk_due_none")  # no date can be given (no limit stated, or "日" only)
    UNKNOWN_YEAR = "unknown_year", message("desk_due_unknown_year")  # the calendar does not know the year yet


class Application(models.Model):
    scope = access.Scope(township="township", window="window", owner="created_by")

    number = models.CharField(label("number"), max_length=32, unique=True)
    township = models.CharField(label("township"), max_length=64)
    window = models.CharField(label("window"), max_length=64)
    matter_id = models.CharField(label("matter_id"), max_length=100)
    matter_name = models.CharField(label("matter_name"), max_length=200)
    applicant = models.CharField(label("applicant"), max_length=50)
    phone = models.CharField(label("phone"), max_length=20, blank=True)
    id_last4 = models.CharField(label("id_last4"), max_length=4, blank=True)
    applicant_type = models.CharField(label("applicant_type"), max_length=50, blank=True)
    state = models.CharField(label("state"), max_length=16, choices=State.choices)
    received = models.DateField(label("received"))
    accepted = models.DateField(label("accepted"), null=True, blank=True)
    due = models.DateField(label("due"), null=True, blank=True)
    due_kind = models.CharField(label("due_kind"), max_length=16, choices=DueKind.choices, blank=True)
    due_year = models.PositiveSmallIntegerField(label("due_year"), null=True, blank=True)
    finished = models.DateField(label("finished"), null=True, blank=True)
    result = models.TextField(label("result"), max_length=500, blank=True)
    reason = models.TextField(label("reason"), max_length=1000, blank=True)
    brought = models.JSONField(label("brought"), default=list)  # material numbers brought so far
    not_needed = models.JSONField(label("not_needed"), default=list)  # numbers that do not apply to this applicant
    told = models.JSONField(label("told"))  # the snapshot of that day: records.snapshot
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=label("created_by"))
    created_at = models.DateTimeField(label("created_at"), auto_now_add=True)
    updated_at = models.DateTimeField(label("updated_at"), auto_now=True)
    version = models.PositiveIntegerField(label("version"), default=1)  # optimistic locking: a save checks it
    intake_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)  # a form sent twice saves once

    history = HistoricalRecords(excluded_fields=["updated_at", "intake_token"])
    objects = access.ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = message("desk_model_application")
        permissions = access.PERMISSIONS
        indexes = [
            # the home screen's counts and lists read only these (no table rows): records in progress by due
            # date, and finished ones by day; the window and who took it in for a window's own screen
            models.Index(fields=["township", "state", "due", "due_kind", "window", "created_by"], name="desk_app_due"),
            models.Index(fields=["township", "state", "finished", "window", "created_by"], name="desk_app_finished"),
            models.Index(fields=["township", "-received", "-id"], name="desk_app_received"),  # the record list
        ]

    def __str__(self):
        return f"{self.number} {self.matter_name}"

    def get_absolute_url(self):
        return _record_url().format(self.pk)

    def delete(self, *args, **kwargs):
        raise PermissionError("records are never deleted; void them with a reason")

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def materials(self) -> list[dict]:
        """The materials as told ({"no", "name", …}), each with its status now: brought, missing, not_needed."""
        brought, not_needed = set(self.brought), set(self.not_needed)
        return [{**m, "status": "brought" if m["no"] in brought else "not_needed" if m["no"] in not_needed
                 else "missing"} for m in self.told["materials"]]

    @property
    def missing(self) -> list[int]:
        return [m["no"] for m in self.materials if m["status"] == "missing"]


@functools.cache
def _record_url() -> str:
    """A record's address with {} for its id, reversed once (a list of records asks for it on every row)."""
    return reverse("desk:record", args=[987654321]).replace("987654321", "{}")


class DocumentKind(models.TextChoices):
    CORRECTION = "correction", message("desk_doc_correction")  # 材料补正一次性告知书
    RECEIPT = "receipt", message("desk_doc_receipt")  # 受理回执
    REJECTION = "rejection", message("desk_doc_rejection")  # 不予受理通知书
    DENIAL = "denial", message("desk_doc_denial")  # 不予许可决定书


class PrintedDocument(models.Model):
    """A printed document of a record, as the HTML it was printed from, whole: reprinting gives the same
    paper, and it is proof of what was told. Never changed, never deleted. Each kind of record has its own
    table (Document, CaseDocument, ComplaintDocument, ProxyDocument), naming its record."""
    html = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("a printed document is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("a printed document is never deleted")


class Document(PrintedDocument):
    application = models.ForeignKey(Application, models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)

    class Meta(PrintedDocument.Meta):
        pass

    def get_absolute_url(self):
        return reverse("desk:document", args=[self.application_id, self.pk])


class Counter(models.Model):
    """The last number given under a record-number prefix (a township's code) in a year."""
    code = models.CharField(max_length=16)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "year"], name="desk_counter_code_year")]


class StaffProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.PROTECT, related_name="desk")
    township = models.CharField(label("township"), max_length=64, blank=True)  # empty: county (every township)
    staff_id = models.CharField(label("staff_id"), max_length=64)
    window = models.CharField(label("window"), max_length=64, blank=True)
    name = models.CharField(label("name"), max_length=50)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = message("desk_model_profile")

    def __str__(self):
        return f"{self.name}（{self.staff_id}）"


# the 办不成事 cases, the complaints, 首问 and 帮代办 live in modules of their own; Django finds them through this one
from .case_models import Case, CaseDocument  # noqa: E402,F401
from .complaint_models import Complaint, ComplaintDocument  # noqa: E402,F401
from .help_models import FirstAsk, ProxyCase, ProxyDocument  # noqa: E402,F401
