"""首问负责 and 帮代办 on the desk:

FirstAsk      首问登记: what was asked, in person or by phone, and the answer, or the referral (部门、地点、
              电话、姓名, as the rule requires), or a promise to find out (帮助其咨询了解或请示报告) followed
              until the person is told; the staff member who was asked is the 首问责任人 (created_by)
ProxyCase     帮代办: one 委托 — the 委托人, the 代办员 (a staff member of the center file), the matter and
              its due date, what was handed over, what was handed back and when; the 委托书 printed from
              it. There is no fee field anywhere: the rule forbids any charge.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kiosk.problems import message

from ..deadlines import Deadline
from .base import Kept, Step, every_state_but, printed_documents
from .base import label as base_label


def label(field: str) -> str:  # its own names first (desk_help_field_*), else the shared ones
    return base_label(field, "help")


class AskState(models.TextChoices):
    ANSWERED = "answered", message("desk_ask_state_answered")
    REFERRED = "referred", message("desk_ask_state_referred")
    FOLLOWING = "following", message("desk_ask_state_following")
    TOLD = "told", message("desk_ask_state_told")
    VOID = "void", message("desk_ask_state_void")


class AskWay(models.TextChoices):
    IN_PERSON = "in_person", message("desk_ask_way_in_person")
    PHONE = "phone", message("desk_ask_way_phone")


class FirstAsk(Kept):
    state = models.CharField(label("state"), max_length=16, choices=AskState.choices)
    asked = models.DateField(label("asked"))
    way = models.CharField(label("way"), max_length=16, choices=AskWay.choices)
    person = models.CharField(label("person"), max_length=50, blank=True)
    phone = models.CharField(label("phone"), max_length=20, blank=True)
    question = models.TextField(label("question"), max_length=1000)
    answer = models.TextField(label("answer"), max_length=1000, blank=True)
    ref_unit = models.CharField(label("ref_unit"), max_length=100, blank=True)
    ref_place = models.CharField(label("ref_place"), max_length=100, blank=True)
    ref_phone = models.CharField(label("ref_phone"), max_length=20, blank=True)
    ref_person = models.CharField(label("ref_person"), max_length=50, blank=True)
    told = models.DateField(label("told"), null=True, blank=True)
    result = models.TextField(label("result"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=label("created_by")
    )

    steps = {
        "tell": Step((AskState.FOLLOWING,), "change_firstask", "ask-tell"),
        "void": Step(every_state_but(AskState, AskState.VOID), "change_firstask", "void"),
    }
    url_name = "ask"

    class Meta:
        verbose_name = verbose_name_plural = message("desk_model_first_ask")
        indexes = [models.Index(fields=["township", "state", "-asked"], name="desk_ask_state")]

    @property
    def matter_name(self) -> str:
        return self.question[:30]

    @property
    def applicant(self) -> str:
        return self.person

    @property
    def number(self) -> str:  # the shared history template's title
        return f"{self.pk}"


class ProxyState(models.TextChoices):
    ENTRUSTED = "entrusted", message("desk_proxy_state_entrusted")
    RETURNED = "returned", message("desk_proxy_state_returned")
    VOID = "void", message("desk_proxy_state_void")


class ProxyCase(Kept):
    state = models.CharField(label("state"), max_length=16, choices=ProxyState.choices)
    received = models.DateField(label("received"))
    person = models.CharField(label("person"), max_length=50)
    phone = models.CharField(label("phone"), max_length=20)
    agent = models.CharField(label("agent"), max_length=64)  # the 代办员's staff id (center file)
    agent_name = models.CharField(label("agent_name"), max_length=50)
    matter_name = models.CharField(label("matter_name"), max_length=200)
    due = models.DateField(label("due"))
    handed = models.TextField(label("handed"), max_length=1000)  # the materials handed over
    returned = models.DateField(label("returned"), null=True, blank=True)
    returned_what = models.TextField(label("returned_what"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=label("created_by")
    )

    steps = {
        "return": Step((ProxyState.ENTRUSTED,), "change_proxycase", "proxy-return"),
        "void": Step(every_state_but(ProxyState, ProxyState.VOID), "change_proxycase", "void"),
    }
    deadlines = (Deadline("due", (ProxyState.ENTRUSTED,), "give_back"),)
    url_name = "proxy"

    class Meta:
        verbose_name = verbose_name_plural = message("desk_model_proxy")
        indexes = [models.Index(fields=["township", "state", "due"], name="desk_proxy_due")]

    @property
    def applicant(self) -> str:
        return self.person

    @property
    def number(self) -> str:
        return f"{self.pk}"


class ProxyDocumentKind(models.TextChoices):
    LETTER = "letter", message("desk_proxy_doc")  # 帮代办委托书


ProxyDocument = printed_documents(ProxyCase, "proxy", ProxyDocumentKind, "ProxyDocument", default="letter")
