"""The records of the “办不成事”反映窗口: one Case per matter a person could not get done.

    登记 → 定时限 (即时 / 一般 / 复杂 / 约定延期, or 不纳入受理 with the explanation: closed) → 交办 to a window (the
    交办单) → 办结 by that window → 反馈 to the person → 回访 (满意度) → 归档; 作废 with a reason.

Who sees a case (Scope): the 办不成事 window's staff and the center head every case of their township; another
window the cases passed to it and those its staff registered; the county all, read-only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kiosk.problems import message

from .. import deadlines
from ..deadlines import Deadline
from .base import Kept, Scope, Step, every_state_but, printed_documents
from .base import label as base_label


def label(field: str) -> str:  # its own names first (desk_case_field_*), else the shared ones
    return base_label(field, "case")


class CaseState(models.TextChoices):
    REGISTERED = "registered", message("desk_case_state_registered")
    CLASSIFIED = "classified", message("desk_case_state_classified")
    PASSED = "passed", message("desk_case_state_passed")
    FINISHED = "finished", message("desk_case_state_finished")
    TOLD = "told", message("desk_case_state_told")
    VISITED = "visited", message("desk_case_state_visited")
    ARCHIVED = "archived", message("desk_case_state_archived")
    EXCLUDED = "excluded", message("desk_case_state_excluded")
    VOID = "void", message("desk_case_state_void")


HANDLING_STATES = (CaseState.CLASSIFIED, CaseState.PASSED)  # the clock of 办理 runs
CLOSED_STATES = (CaseState.ARCHIVED, CaseState.EXCLUDED, CaseState.VOID)


class Channel(models.TextChoices):
    WINDOW = "window", message("desk_case_channel_window")
    PHONE = "phone", message("desk_case_channel_phone")
    HOTLINE = "hotline", message("desk_case_channel_hotline")


class Category(models.TextChoices):
    INSTANT = "instant", message("desk_case_category_instant")
    GENERAL = "general", message("desk_case_category_general")  # with the center file's days: Case.category_text
    COMPLEX = "complex", message("desk_case_category_complex")
    AGREED = "agreed", message("desk_case_category_agreed")
    EXCLUDED = "excluded", message("desk_case_category_excluded")


class Satisfaction(models.TextChoices):
    GOOD = "good", message("desk_case_satisfaction_good")
    FAIR = "fair", message("desk_case_satisfaction_fair")
    BAD = "bad", message("desk_case_satisfaction_bad")


def unresolved_window(township: str) -> str | None:
    """The township's 办不成事 window (center file: unresolved.window); None when its catalogue is unavailable."""
    from ..catalogues import Unavailable, catalogues

    try:
        return catalogues().get(township).center.unresolved.window
    except Unavailable:
        return None


class Case(Kept):
    number = models.CharField(label("number"), max_length=32, unique=True)
    window = models.CharField(label("window"), max_length=64, blank=True)  # the window it is passed to
    state = models.CharField(label("state"), max_length=16, choices=CaseState.choices)
    channel = models.CharField(label("channel"), max_length=16, choices=Channel.choices)
    received = models.DateField(label("received"))  # the day it was reported (a paper form's own date)
    matter_name = models.CharField(label("matter_name"), max_length=200)
    units = models.CharField(label("units"), max_length=200)
    person = models.CharField(label("person"), max_length=50)
    phone = models.CharField(label("phone"), max_length=20)
    reason = models.TextField(label("reason"), max_length=1000)  # 未成功办理原因
    category = models.CharField(label("category"), max_length=16, choices=Category.choices, blank=True)
    classified = models.DateField(label("classified"), null=True, blank=True)
    agreed_date = models.DateField(label("agreed_date"), null=True, blank=True)
    consent = models.BooleanField(label("consent"), default=False)
    consent_note = models.CharField(label("consent_note"), max_length=200, blank=True)
    explanation = models.TextField(label("explanation"), max_length=1000, blank=True)
    due = models.DateField(label("due"), null=True, blank=True)
    due_year = models.PositiveSmallIntegerField(label("due_year"), null=True, blank=True)  # 日期待定: the year
    passed = models.DateField(label("passed"), null=True, blank=True)
    handling = models.TextField(label("handling"), max_length=1000, blank=True)
    result = models.TextField(label("result"), max_length=1000, blank=True)
    finished = models.DateField(label("finished"), null=True, blank=True)
    told_on = models.DateField(label("told_on"), null=True, blank=True)
    told_how = models.CharField(label("told_how"), max_length=100, blank=True)
    follow_up_due = models.DateField(label("follow_up_due"), null=True, blank=True)
    follow_up_year = models.PositiveSmallIntegerField(label("follow_up_year"), null=True, blank=True)
    visited = models.DateField(label("visited"), null=True, blank=True)
    satisfaction = models.CharField(label("satisfaction"), max_length=8, choices=Satisfaction.choices, blank=True)
    words = models.TextField(label("words"), max_length=1000, blank=True)
    archived = models.DateField(label("archived"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=label("created_by")
    )

    scope = Scope(whole=unresolved_window)
    steps = {
        "classify": Step((CaseState.REGISTERED,), "coordinate_case", "case-classify"),
        "pass": Step((CaseState.CLASSIFIED,), "coordinate_case", "case-pass"),
        "handle": Step(HANDLING_STATES, "handle_case", "case-handle"),
        "feedback": Step((CaseState.FINISHED,), "handle_case", "case-feedback"),
        "follow_up": Step((CaseState.FINISHED, CaseState.TOLD), "coordinate_case", "case-follow-up"),
        "archive": Step((CaseState.VISITED,), "coordinate_case", "case-archive"),
        "void": Step(every_state_but(CaseState, CaseState.VOID), "coordinate_case", "case-void"),
    }
    deadlines = (
        Deadline("due", HANDLING_STATES, "handle", "due_year", deadlines.recount_case_handling),
        Deadline(
            "follow_up_due",
            (CaseState.FINISHED, CaseState.TOLD),
            "follow_up",
            "follow_up_year",
            deadlines.recount_case_follow_up,
        ),
    )
    number_code = "BB"
    url_name = "case"

    class Meta:
        verbose_name = verbose_name_plural = message("desk_model_case")
        indexes = [
            models.Index(fields=["township", "state", "due", "window"], name="desk_case_due"),
            models.Index(fields=["township", "-received", "-id"], name="desk_case_received"),
        ]

    def __str__(self):
        return f"{self.number} {self.matter_name}"

    @property
    def applicant(self) -> str:  # the shared step and history templates name the person so
        return self.person

    def category_text(self, center) -> str:
        """The category with the center file's days (一般事项（1 个工作日）)."""
        days = {
            "general": center.unresolved.deadlines.general_days,
            "complex": center.unresolved.deadlines.complex_days,
        }
        if self.category in days:
            return message(f"desk_case_category_{self.category}_days", days=days[self.category])
        return self.get_category_display() if self.category else ""


class CaseDocumentKind(models.TextChoices):
    REGISTER = "register", message("desk_case_doc_register")
    ASSIGN = "assign", message("desk_case_doc_assign")


CaseDocument = printed_documents(Case, "case", CaseDocumentKind, "CaseDocument")
