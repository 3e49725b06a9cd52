"""`kiosk bench --handwriting`: how often a character of the sample catalogue, drawn as a finger draws it,
comes back from `/api/handwriting` first and among the pad's 8 buttons, and how long the endpoint takes.

The drawings are stroke data of three sources: hanzi-writer-data (what the templates are made from) and,
held out, animCJK's zh-Hans medians and KanjiVG's strokes where its glyph has the sample's stroke count
(tests/fixtures/held-out-strokes). Each is drawn in three WAYS, as the pad sends it (`as_pad`): plain, with
a finger's distortion (`finger`), and carelessly too (`careless`: strokes joined, split, backwards, swapped). They are posted to a tiny site of the sample's characters and templates, served
by `kiosk serve`'s server on 127.0.0.1. tests/test_handwriting.py draws the same way and asserts the goals;
nothing here asserts a time.
"""

from __future__ import annotations

import http.client
import json
import math
import random
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from .build import ROOT, log, machine
from .chromium import served

BOX = 300  # the pad's box (kiosk.js)
BUTTONS = 8  # candidates the pad shows
HELD_OUT = ROOT / "tests" / "fixtures" / "held-out-strokes"


def as_pad(strokes) -> list[list[list[int]]]:
    """Strokes in the BOX (floats, y down) as kiosk.js sends them: the points of a moving finger, a new one
    after 3 pixels (Manhattan), whole pixels inside the box, at most 400 a stroke."""
    drawing = []
    for stroke in strokes:
        dense = []
        for a, b in zip(stroke, stroke[1:]):
            steps = max(1, round(math.dist(a, b) / 2))
            dense += [(a[0] + (b[0] - a[0]) * i / steps, a[1] + (b[1] - a[1]) * i / steps) for i in range(steps)]
        points = []
        for x, y in dense + [stroke[-1]]:
            p = [min(BOX, max(0, round(x))), min(BOX, max(0, round(y)))]
            if not points or abs(p[0] - points[-1][0]) + abs(p[1] - points[-1][1]) >= 3:
                points.append(p)
        drawing.append(points[:400])
    return drawing


def finger(strokes, rng: random.Random) -> list:
    """Strokes (in the BOX, y down) as a finger on a kiosk gets them: the whole turned up to 10°, sheared up
    to 0.15, each axis scaled 0.75 to 1.1 and moved up to 15 pixels; each stroke off by its own few pixels
    (σ 4), each point by a tremor (σ 2)."""
    turn = math.radians(rng.uniform(-10, 10))
    shear = rng.uniform(-0.15, 0.15)
    scale = rng.uniform(0.75, 1.1), rng.uniform(0.75, 1.1)
    shift = rng.uniform(-15, 15), rng.uniform(-15, 15)
    cos, sin, mid = math.cos(turn), math.sin(turn), BOX / 2
    out = []
    for stroke in strokes:
        off = rng.gauss(0, 4), rng.gauss(0, 4)
        moved = []
        for x, y in stroke:
            x, y = (x - mid + shear * (y - mid)) * scale[0], (y - mid) * scale[1]
            x, y = cos * x - sin * y, sin * x + cos * y
            moved.append((x + mid + shift[0] + off[0] + rng.gauss(0, 2), y + mid + shift[1] + off[1] + rng.gauss(0, 2)))
        out.append(moved)
    return out


def careless(strokes, rng: random.Random) -> list:
    """Strokes as a hurried finger writes them: each a little longer or shorter (up to 15%), and now and then
    two in the wrong order (1 in 20), one backwards (1 in 20), one lifted halfway and two joined into one
    (1 in 10 each, the joining line drawn too)."""
    sized = []
    for stroke in strokes:
        cx, cy = sum(x for x, _ in stroke) / len(stroke), sum(y for _, y in stroke) / len(stroke)
        k = rng.uniform(0.85, 1.15)
        sized.append([(cx + (x - cx) * k, cy + (y - cy) * k) for x, y in stroke])
    for i in range(len(sized) - 1):
        if rng.random() < 0.05:
            sized[i], sized[i + 1] = sized[i + 1], sized[i]
    out = []
    for stroke in sized:
        if rng.random() < 0.05:
            stroke = stroke[::-1]
        if len(stroke) > 2 and rng.random() < 0.1:
            half = len(stroke) // 2
            out += [stroke[: half + 1], stroke[half:]]
        elif out and rng.random() < 0.1:
            out[-1] = out[-1] + stroke
        else:
            out.append(stroke)
    return out


def in_box(strokes, box: int) -> list:
    """Strokes given in a `box` square (y down) scaled to the pad's BOX."""
    return [[(x * BOX / box, y * BOX / box) for x, y in stroke] for stroke in strokes]


def sources(chars: str, data: Path) -> dict[str, dict[str, list]]:
    """Each source's strokes of `chars`, in the BOX: {source: {char: strokes}}."""
    from kiosk.site import strokes

    found = {"hanzi-writer-data": {c: in_box(s, 1024) for c, s in strokes.medians(chars, data).items()}}
    for name, file in (("animCJK", "animcjk-zh-hans.json"), ("KanjiVG", "kanjivg.json")):
        held = json.loads((HELD_OUT / file).read_text("utf-8"))
        found[name] = {c: in_box(s, held["box"]) for c, s in held["strokes"].items() if c in chars}
    return found


WAYS = {  # how a drawing is made from a source's strokes
    "plain": lambda strokes, rng: strokes,
    "finger": finger,
    "careless": lambda strokes, rng: finger(careless(strokes, rng), rng),
}


def drawings(strokes: dict[str, list], way: str = "plain", seed: int = 1) -> list[tuple[str, list]]:
    """(char, drawing) for each character, drawn in one of the WAYS."""
    rng = random.Random(seed)
    return [(c, as_pad(WAYS[way](s, rng))) for c, s in strokes.items()]


def score(answers: list[tuple[str, list[str]]]) -> dict:
    """How often the drawn character came first and among the buttons; the characters missing from the
    buttons at least once, and those never among them however often drawn."""
    missed = {c for c, found in answers if c not in found[:BUTTONS]}
    offered = {c for c, found in answers if c in found[:BUTTONS]}
    return {
        "drawn": len(answers),
        "first": sum(found[:1] == [c] for c, found in answers) / len(answers),
        "buttons": sum(c in found[:BUTTONS] for c, found in answers) / len(answers),
        "missed": "".join(sorted(missed)),
        "never": "".join(sorted(missed - offered)),
    }


def bench(out: Path | None, seeds: int = 3) -> dict:
    from kiosk.catalogue.load import load_or_raise
    from kiosk.catalogue.view import CatalogueView
    from kiosk.settings import stroke_data
    from kiosk.site import pages

    chars = pages.catalogue_characters(CatalogueView(load_or_raise(ROOT / "matters").catalogue))
    data = stroke_data(ROOT)
    rows, times = [], []
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-hw-") as tmp:
        site = Path(tmp)
        (site / "assets").mkdir()
        (site / "assets" / "kiosk-chars.txt").write_text(chars + "\n", "utf-8")
        for name, text in pages.handwriting_templates(chars, data).items():
            (site / name).write_text(text, "utf-8")
        with served(site) as url:
            post(url, as_pad([[(60, 150), (240, 150)], [(150, 40), (150, 270)]]))  # 十: the first one loads all
            for source, strokes in sources(chars, data).items():
                for way in WAYS:
                    answers = []
                    for seed in range(1, (1 if way == "plain" else seeds) + 1):
                        for char, drawing in drawings(strokes, way, seed):
                            start = time.perf_counter()
                            answers.append((char, post(url, drawing)))
                            times.append(time.perf_counter() - start)
                    rows.append({"source": source, "way": way, **score(answers)})
                    log(line(rows[-1]))
    times.sort()
    timing = {
        "requests": len(times),
        "median_ms": statistics.median(times) * 1000,
        "p95_ms": times[int(len(times) * 0.95)] * 1000,
        "max_ms": times[-1] * 1000,
    }
    print("\n".join(line(r) for r in rows))
    print(
        f"/api/handwriting: {timing['requests']} requests, median {timing['median_ms']:.1f} ms, "
        f"95% within {timing['p95_ms']:.1f} ms, slowest {timing['max_ms']:.1f} ms"
    )
    result = {"machine": machine(), "chars": len(chars), "rows": rows, "time": timing}
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return result


def line(row: dict) -> str:
    return (
        f"{row['source']:18} {row['way']:8} {row['drawn']:5d} drawn  "
        f"first {row['first']:6.1%}  among {BUTTONS} {row['buttons']:6.1%}  "
        f"missed {row['missed'] or '-'}  never offered {row['never'] or '-'}"
    )


def post(url: str, drawing: list) -> list[str]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        body = json.dumps({"strokes": drawing, "width": BOX, "height": BOX})
        connection.request("POST", "/api/handwriting", body, {"Content-Type": "application/json"})
        return json.loads(connection.getresponse().read())["candidates"]
    finally:
        connection.close()
