"""Handwriting for the kiosk's search page: a character drawn with a finger, read as candidate characters.

Two readers, fused. Zinnia (Debian's libzinnia0) with Tegaki's simplified-Chinese model reads any of 6,763
characters; Debian has no Python binding, so its C API is called through ctypes. The model is opened once
per process, on first use; the recognizer is not thread-safe and `kiosk serve` answers requests in threads,
so one lock guards it. kiosk.site.strokes compares the drawing with the stroke medians of the catalogue's
own characters, whatever the order, direction or number of strokes. `classify` ranks the catalogue's
characters by both. A machine without the library or the model has no handwriting: `available()` is
False and the kiosk offers the keyboard only.

A drawing arrives from the browser as JSON, `{"strokes": [[[x, y], ...], ...], "width": W, "height": H}`
(pixels of the drawing box, y pointing down); `parse` checks all of it before the C library sees it.
"""

from __future__ import annotations

import ctypes
import json
import os
import threading
from functools import cache
from typing import NamedTuple

from .. import settings
from ..exceptions import BadDrawing
from ..problems import message

MODEL = "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model"  # tegaki-zinnia-simplified-chinese
MAX_BODY = 64 * 1024  # bytes of JSON; 5000 points take about 50 KiB
MAX_STROKES = 30
MAX_STROKE_POINTS = 500
MAX_POINTS = 5000
MAX_SIDE = 4096
POOL = 1000  # Zinnia's guesses read: past them its order tells nothing, and reading all 6,763 triples its time
WEIGHT = 0.1  # how much Zinnia's score (about -1.5 to 1) counts against a template's distance (0 to 2)
UNGUESSED = -1.5  # Zinnia's score for a character it does not guess among its first POOL

_lock = threading.Lock()


class Drawing(NamedTuple):
    strokes: list[list[tuple[int, int]]]
    width: int
    height: int


def model_path() -> str:
    """The recognizer's model: KIOSK_ZINNIA_MODEL when set (tests point it at a missing file), else Debian's."""
    return settings.env("KIOSK_ZINNIA_MODEL") or MODEL


def available() -> bool:
    """Whether this machine can read handwriting (library and model present and loadable)."""
    with _lock:
        return _open(model_path()) is not None


def classify(strokes, width: int, height: int, n: int = 10, prefer: str = "", templates=None) -> list[str]:
    """The characters `strokes` (points in a `width` × `height` box) most likely are, at most `n`.

    The characters in `prefer` (the catalogue's) come first, so what a person writes to find a matter wins
    over look-alikes that name nothing. With `templates` (kiosk.site.strokes.Templates of the catalogue's
    characters) they are ranked by the distance to their template less WEIGHT times Zinnia's score; one
    without a template keeps the place Zinnia gives it among the catalogue's characters. Without, they keep
    Zinnia's order. Then the rest of Zinnia's guesses. Raises RuntimeError when `available()` is False.
    """
    guesses = _zinnia(strokes, width, height)
    wanted = set(prefer)
    ranked = [c for c, _ in guesses if c in wanted]
    if templates is not None:
        score = dict(guesses)
        distance = templates.distances(strokes)
        fused = sorted(distance, key=lambda c: distance[c] - WEIGHT * score.get(c, UNGUESSED))
        for place, char in enumerate(ranked):
            if char not in distance:
                fused.insert(place, char)
        ranked = fused
    taken = set(ranked)
    return (ranked + [c for c, _ in guesses if c not in taken])[:n]


def _zinnia(strokes, width: int, height: int) -> list[tuple[str, float]]:
    """Zinnia's first POOL guesses with their scores, best first."""
    with _lock:
        opened = _open(model_path())
        if opened is None:
            raise RuntimeError(message("hw_unavailable"))
        lib, recognizer = opened
        character = lib.zinnia_character_new()
        try:
            lib.zinnia_character_set_width(character, width)
            lib.zinnia_character_set_height(character, height)
            for number, stroke in enumerate(strokes):
                for x, y in stroke:
                    lib.zinnia_character_add(character, number, x, y)
            result = lib.zinnia_recognizer_classify(recognizer, character, POOL)
        finally:
            lib.zinnia_character_destroy(character)
        if not result:  # zinnia found nothing to compare
            return []
        try:
            return [
                (lib.zinnia_result_value(result, i).decode(), lib.zinnia_result_score(result, i))
                for i in range(lib.zinnia_result_size(result))
            ]
        finally:
            lib.zinnia_result_destroy(result)


def parse(body: bytes) -> Drawing:
    """The drawing in a request body; BadDrawing on anything else (the body comes from outside)."""
    if len(body) > MAX_BODY:
        raise BadDrawing(message("hw_too_large", kib=MAX_BODY // 1024))
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not UTF-8, not JSON, nested too deep, a number of 5000 digits
        raise BadDrawing(message("hw_not_json")) from None
    if not isinstance(data, dict):
        raise BadDrawing(message("hw_not_object"))
    width, height = data.get("width"), data.get("height")
    if not (_whole(width) and _whole(height) and 1 <= width <= MAX_SIDE and 1 <= height <= MAX_SIDE):
        raise BadDrawing(message("hw_bad_box", max=MAX_SIDE))
    strokes = data.get("strokes")
    if not (isinstance(strokes, list) and all(isinstance(s, list) and all(map(_point, s)) for s in strokes)):
        raise BadDrawing(message("hw_bad_strokes"))
    if not strokes or not all(strokes):
        raise BadDrawing(message("hw_no_strokes"))
    if len(strokes) > MAX_STROKES:
        raise BadDrawing(message("hw_too_many_strokes", count=len(strokes), max=MAX_STROKES))
    for number, stroke in enumerate(strokes, 1):
        if len(stroke) > MAX_STROKE_POINTS:
            raise BadDrawing(message("hw_long_stroke", stroke=number, count=len(stroke), max=MAX_STROKE_POINTS))
    if sum(map(len, strokes)) > MAX_POINTS:
        raise BadDrawing(message("hw_too_many_points", count=sum(map(len, strokes)), max=MAX_POINTS))
    for number, stroke in enumerate(strokes, 1):
        for x, y in stroke:
            if not (0 <= x <= width and 0 <= y <= height):
                raise BadDrawing(message("hw_outside", stroke=number, x=x, y=y, width=width, height=height))
    return Drawing([[(x, y) for x, y in stroke] for stroke in strokes], width, height)


def _whole(value) -> bool:
    """An integer in JSON: not a float such as 3.0, not true/false (which Python counts as integers)."""
    return type(value) is int


def _point(value) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(map(_whole, value))


@cache
def _open(path: str):
    """(library, recognizer) with the model at `path` open, or None when either cannot be had."""
    try:
        lib = ctypes.CDLL("libzinnia.so.0")
    except OSError:
        return None
    _declare(lib)
    recognizer = lib.zinnia_recognizer_new()
    if not lib.zinnia_recognizer_open(recognizer, os.fsencode(path)):
        lib.zinnia_recognizer_destroy(recognizer)
        return None
    return lib, recognizer


def _declare(lib) -> None:
    """The C signatures of the zinnia functions used (zinnia.h); handles are opaque pointers."""
    handle, size, text = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p
    for name, restype, argtypes in [
        ("zinnia_recognizer_new", handle, []),
        ("zinnia_recognizer_open", ctypes.c_int, [handle, text]),
        ("zinnia_recognizer_classify", handle, [handle, handle, size]),
        ("zinnia_recognizer_destroy", None, [handle]),
        ("zinnia_character_new", handle, []),
        ("zinnia_character_set_width", None, [handle, size]),
        ("zinnia_character_set_height", None, [handle, size]),
        ("zinnia_character_add", ctypes.c_int, [handle, size, ctypes.c_int, ctypes.c_int]),
        ("zinnia_character_destroy", None, [handle]),
        ("zinnia_result_size", size, [handle]),
        ("zinnia_result_value", text, [handle, size]),
        ("zinnia_result_score", ctypes.c_float, [handle, size]),
        ("zinnia_result_destroy", None, [handle]),
    ]:
        function = getattr(lib, name)
        function.restype, function.argtypes = restype, argtypes
