"""Pinyin of the catalogue's words in their standard readings: pypinyin, told the phrases of pinyin.yaml
where its own dictionary reads a word otherwise (供养 as gòng yǎng, 照片 as zhào piān) or cuts a sentence
into the wrong words (本行政区域 as 本行 háng). Everything that says or matches pinyin (read-aloud, the
keyboard's index, the desk's search, the list's order) reads it through `lazy_pinyin` here.

pinyin.yaml also lists, read as they should be, the catalogue's words that hold a character of several
readings (`reviewed`, over the characters of `polyphones`); tests/test_speech.py reads every such word of
the catalogue against it, so a new one is heard by a person before the kiosk says it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from functools import cache
from pathlib import Path

import yaml

LIST = Path(__file__).with_name("pinyin.yaml")


@cache
def readings() -> dict:
    """pinyin.yaml: {"phrases": {word: "gōng yǎng"}, "polyphones": str, "reviewed": {word: "gōng yǎng"}}."""
    return yaml.safe_load(LIST.read_text("utf-8"))


@cache
def _pypinyin():
    """pypinyin, told the phrases of pinyin.yaml. Loaded on first use (its dictionaries take a quarter of a
    second): a build that makes no new pinyin, its index and audio kept, never loads it."""
    import pypinyin

    pypinyin.load_phrases_dict({w: [[s] for s in said.split()] for w, said in readings()["phrases"].items()})
    return pypinyin


def lazy_pinyin(text: str, *args, style: str | None = None, **kwargs) -> list:
    """pypinyin.lazy_pinyin, with the phrases of pinyin.yaml; `style` the name of a pypinyin.Style ("NORMAL",
    "TONE3"), its default where None."""
    pypinyin = _pypinyin()
    if style is not None:
        kwargs["style"] = pypinyin.Style[style]
    return pypinyin.lazy_pinyin(text, *args, **kwargs)


@cache
def version() -> str:
    """What decides the readings: pypinyin's version, this module and pinyin.yaml (part of the keys of what
    is kept from pinyin: the read-aloud audio, the keyboard's index)."""
    h = hashlib.sha256(importlib.metadata.version("pypinyin").encode())
    for path in (Path(__file__), LIST):
        h.update(path.read_bytes())
    return h.hexdigest()
