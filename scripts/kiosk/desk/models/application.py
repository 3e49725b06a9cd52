"""The applications (受理件): one applicant's application for one matter: who, what, its state and dates, and
a snapshot of what was told that day (`told`, made once at intake: a later catalogue never rewrites it).

    收件 → 补正中 (the 补正 notice) → 已受理 (the clock runs; the 受理回执) → 已办结, or 不予受理 / 不予许可 with
    the reason in writing; 作废 with a reason from any state. steps/application.py carries each step out.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kiosk.problems import message

from .. import deadlines
from ..deadlines import Deadline
from .base import Kept, Step, every_state_but, label, printed_documents


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
    LEGAL = "legal", message("desk_due_legal")  # no committed limit that gives a date: the 法定 limit
    INSTANT = "instant", message("desk_due_instant")  # 即办件: the same day
    STAGES = "stages", message("desk_due_stages")  # no total: the last stage's date
    NONE = "none", message("desk_due_none")  # no date can be given (no limit stated, or "日" only)
    UNKNOWN_YEAR = "unknown_year", message("desk_due_unknown_year")  # the calendar does not know the year yet


class Application(Kept):
    number = models.CharField(label("number"), max_length=32, unique=True)
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
    reason = models.TextField(label("reason"), max_length=1000, blank=True)  # of 不予受理 / 不予许可
    brought = models.JSONField(label("brought"), default=list)  # material numbers brought so far
    not_needed = models.JSONField(label("not_needed"), default=list)  # numbers that do not apply to this applicant
    told = models.JSONField(label("told"))  # the snapshot of that day: steps.application.snapshot
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=label("created_by")
    )

    steps = {
        "supplement": Step((State.CORRECTING,), "change_application", "supplement"),
        "finish": Step((State.ACCEPTED,), "change_application", "finish"),
        "refuse": Step(OPEN_STATES, "change_application", "refuse"),
        "void": Step(every_state_but(State, State.VOID), "void_application", "void"),
    }
    deadlines = (Deadline("due", (State.ACCEPTED,), "finish", "due_year", deadlines.recount_application),)
    number_code = ""
    url_name = "record"

    class Meta:
        verbose_name = verbose_name_plural = message("desk_model_application")
        permissions = [
            ("view_township", message("desk_perm_view_township")),
            ("view_county", message("desk_perm_view_county")),
            ("export_records", message("desk_perm_export_records")),
            ("void_application", message("desk_perm_void_application")),
        ]
        indexes = [
            # the home screen's counts and lists read only these (no table rows): records in progress by due
            # date, and finished ones by day; the window and who took it in for a window's own screen
            models.Index(fields=["township", "state", "due", "due_kind", "window", "created_by"], name="desk_app_due"),
            models.Index(fields=["township", "state", "finished", "window", "created_by"], name="desk_app_finished"),
            models.Index(fields=["township", "-received", "-id"], name="desk_app_received"),  # the record list
        ]

    def __str__(self):
        return f"{self.number} {self.matter_name}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def materials(self) -> list[dict]:
        """The materials as told ({"no", "name", …}), each with its status now: brought, missing, not_needed."""
        brought, not_needed = set(self.brought), set(self.not_needed)
        return [
            {**m, "status": "brought" if m["no"] in brought else "not_needed" if m["no"] in not_needed else "missing"}
            for m in self.told["materials"]
        ]

    @property
    def missing(self) -> list[int]:
        return [m["no"] for m in self.materials if m["status"] == "missing"]


class DocumentKind(models.TextChoices):
    CORRECTION = "correction", message("desk_doc_correction")  # 材料补正一次性告知书
    RECEIPT = "receipt", message("desk_doc_receipt")  # 受理回执
    REJECTION = "rejection", message("desk_doc_rejection")  # 不予受理通知书
    DENIAL = "denial", message("desk_doc_denial")  # 不予许可决定书


Document = printed_documents(Application, "application", DocumentKind, "Document")
