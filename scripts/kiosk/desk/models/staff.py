"""The desk's own bookkeeping: who a user is, and the record numbers given so far.

StaffProfile  a desk user's township, staff id (from the township's center file), window and name; the
              user's role is their group (roles.Role)
Counter       the last record number of a prefix and year (DHP-2026-000123), taken in the save's own
              transaction
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from kiosk.problems import message

from .base import label


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


class Counter(models.Model):
    """The last number given under a record-number prefix (a township's code) in a year."""

    code = models.CharField(max_length=16)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "year"], name="desk_counter_code_year")]
