"""The searches that got nothing at the kiosk (kiosk.site.searches): kept as words and a day only, bounded,
listed for the staff with the matter each may belong to."""

from __future__ import annotations

import datetime
import json

import pytest
from conftest import SAMPLE

from kiosk.catalogue.load import load_or_raise
from kiosk.catalogue.view import CatalogueView
from kiosk.site import searches

DAY = datetime.date(2026, 9, 14)


@pytest.mark.parametrize(
    "text, kept",
    [
        ("房子盖好了", "房子盖好了"),
        ("  DiBao ", "dibao"),
        ("ｄｂ", "db"),  # full-width letters, as NFKC makes them
        ("娃娃 没人管", "娃娃 没人管"),
        ("13800000000", None),  # a phone number is never kept
        ("张三430102199001011234", None),  # nor an ID number
        ("低保<script>", None),
        ("", None),
        ("   ", None),
        ("长" * 21, None),
        (None, None),
        (["低保"], None),
    ],
)
def test_only_words_that_could_name_a_matter_are_kept(text, kept):
    assert searches.clean(text) == kept


def test_counts_by_day_and_outcome_bounded_in_words_and_days(tmp_path, monkeypatch):
    kept = searches.Searches(tmp_path)
    assert kept.add("房子盖好了", "none", DAY)
    assert kept.add("房子盖好了", "none", DAY)
    assert kept.add("db", "left", DAY)
    assert not kept.add("db", "opened", DAY), "only the two outcomes"
    assert json.loads((tmp_path / "2026-09-14.json").read_text("utf-8")) == {
        "db": {"left": 1, "none": 0},
        "房子盖好了": {"left": 0, "none": 2},
    }
    monkeypatch.setattr(searches, "MAX_WORDS", 3)
    assert kept.add("娃娃没人管", "none", DAY)
    assert not kept.add("另一个词", "none", DAY), "a day holds at most MAX_WORDS different words"
    assert kept.add("db", "left", DAY), "one already there is still counted"
    old = DAY - datetime.timedelta(days=searches.DAYS_KEPT + 1)
    kept.add("很久以前", "none", old)
    assert (tmp_path / f"{old}.json").exists()
    kept.add("今天", "none", DAY)
    assert not (tmp_path / f"{old}.json").exists(), "days older than DAYS_KEPT are let go"
    assert searches.summary(tmp_path)[:2] == [("房子盖好了", 2, 0), ("db", 0, 2)]
    assert searches.summary(tmp_path, DAY + datetime.timedelta(days=1)) == []


def test_a_suggestion_is_the_matter_with_most_in_common():
    from kiosk.site.pages import search_index

    index = search_index(CatalogueView(load_or_raise(SAMPLE).catalogue))
    assert searches.suggest("低保怎么领", index)["id"].startswith("dibao")
    assert searches.suggest("dibao", index)["id"].startswith("dibao")
    assert searches.suggest("vvvv", index) is None  # no syllable starts with v
    assert searches.suggest("zzzm", index)["id"] == "juzhu-zhengming"  # 住址证明, by its initials
