"""What residents searched for at the kiosk and did not get: the words only the people in the hall know
(房子盖好了, 娃娃没人管), for the staff to add to a matter as its 俗称 (keywords).

`kiosk serve` keeps, one file a day, how often each search ended with nothing found (`none`) or ended
without a matter opened (`left`), and nothing else: the words only (no time finer than the day, no
address, no order, nothing of the visit), only words that could be a matter's name (letters and Chinese
characters, no digits, at most MAX_TEXT of them, so no phone or ID number is ever kept), at most MAX_WORDS
different ones a day, and only the last DAYS_KEPT days.

    <folder>/2026-09-14.json     {"低保怎么领": {"none": 2, "left": 0}, "dibao": {"none": 0, "left": 1}}

`kiosk searches` lists the most common, each with the matter it may belong to (`suggest`); the desk shows
the same list to the center's head.
"""

from __future__ import annotations

import datetime
import json
import re
import threading
import unicodedata
from pathlib import Path

from ..files import atomic_write

MAX_TEXT = 20  # characters of one search kept
MAX_WORDS = 500  # different searches kept a day
DAYS_KEPT = 180
OUTCOMES = ("none", "left")  # nothing found; found, but no matter opened
_WORD = re.compile(r"[a-z\u3400-\u4dbf\u4e00-\u9fff ]+")
_FILE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\.json")


def clean(text) -> str | None:
    """The search as kept, or None when it is not one to keep (empty, too long, a digit, a symbol)."""
    if not isinstance(text, str):
        return None
    text = " ".join(unicodedata.normalize("NFKC", text).lower().split())
    if not text or len(text) > MAX_TEXT or not _WORD.fullmatch(text):
        return None
    return text


class Searches:
    """The searches kept in `folder` (one `kiosk serve`: its threads take turns)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._lock = threading.Lock()

    def add(self, text, outcome: str, day: datetime.date) -> bool:
        """Count one search that ended with `outcome`; False when it is not kept."""
        text = clean(text)
        if text is None or outcome not in OUTCOMES:
            return False
        with self._lock:
            first = (day - datetime.timedelta(days=DAYS_KEPT)).isoformat()
            for old in self.folder.glob("*.json"):  # days no longer kept
                if _FILE.fullmatch(old.name) and old.stem < first:
                    old.unlink(missing_ok=True)
            path = self.folder / f"{day.isoformat()}.json"
            counts = _read(path)
            if text not in counts and len(counts) >= MAX_WORDS:
                return False
            entry = counts.setdefault(text, dict.fromkeys(OUTCOMES, 0))
            entry[outcome] = entry.get(outcome, 0) + 1
            atomic_write(path, json.dumps(counts, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        return True


def summary(folder: Path, since: datetime.date | None = None) -> list[tuple[str, int, int]]:
    """(search, times nothing was found, times nothing was opened) over the days kept since `since`,
    the most common first (of as many, the ones that found nothing)."""
    total: dict[str, list[int]] = {}
    for path in sorted(Path(folder).glob("*.json")) if Path(folder).is_dir() else []:
        if not _FILE.fullmatch(path.name) or (since and path.stem < since.isoformat()):
            continue
        for text, entry in _read(path).items():
            row = total.setdefault(text, [0, 0])
            row[0] += int(entry.get("none", 0))
            row[1] += int(entry.get("left", 0))
    return sorted(((t, n, left) for t, (n, left) in total.items()), key=lambda r: (-(r[1] + r[2]), -r[1], r[0]))


def suggest(text: str, index: list[dict]) -> dict | None:
    """The entry of the keyboard's index (kiosk.site.pages.search_index: every matter in use, its name and
    俗称 with their pinyin) that `text` most likely means: most characters, or pinyin letters (of the whole
    words or their initials, two at least), in common; None when nothing is in common."""
    letters = text.replace(" ", "")
    best, score = None, 1 if letters.isascii() else 0  # one letter in common says nothing
    for entry in index:
        words = [(entry["name"], entry["py"]), *((k, py) for k, py in entry["kw"])]
        if letters.isascii():
            spelled = [s for _, py in words for s in ("".join(py), "".join(p[0] for p in py))]
            shared = max(_common_prefix(letters, s) for s in spelled)
        else:
            shared = len(set(letters) & set("".join(w for w, _ in words)))
        if shared > score:
            best, score = entry, shared
    return best


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text("utf-8"))
        return data if isinstance(data, dict) else {}
    except (FileNotFoundError, ValueError):
        return {}
