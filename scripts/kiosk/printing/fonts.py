"""The print font of a build: Noto Sans CJK SC cut down, once, to the characters the catalogue and the
print templates can print (kept in the build cache by the set of characters).

WeasyPrint subsets the fonts of every PDF it writes. From Debian's Noto Sans CJK collection (20 MB a face)
that costs about 90 ms a face for every sheet; from a face of the catalogue's thousand-odd characters it
costs a few, and each sheet is a third of the size (measured: 107 against 224 ms to write a sheet, 129
against 386 KB). The layout does not change: the same glyphs with the same metrics. A character the cut
does not hold (an applicant's name on a 补正 notice) comes from the whole font, which print.css names next.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from importlib import resources
from pathlib import Path

from ..files import atomic_write
from ..text.render import SHARED
from .documents import TEMPLATES

FAMILY = "Kiosk Sans"  # what print.css names first
FACES = {"normal": "Noto Sans CJK SC:style=Regular", "bold": "Noto Sans CJK SC:style=Bold"}
VERSION = "1"
MARKERS = "•◦▪"  # what the browser's own stylesheet draws: list bullets
KEEP = 4  # cuts kept in the cache: a county builds a few catalogues in turn


def characters(catalogue) -> str:
    """Every character a printed document of `catalogue` can show: its data, the templates' own words (and
    messages), printable ASCII. A superset: a document prints some of them."""
    found = set(json.dumps(catalogue.model_dump(mode="json"), ensure_ascii=False))
    folders = [resources.files(package).joinpath(folder) for package, folder in (*TEMPLATES, SHARED)]
    for item in [f for folder in folders for f in _files(folder)] + [
        resources.files("kiosk").joinpath("messages.yaml")
    ]:
        found |= set(item.read_text("utf-8"))
    found |= {chr(c) for c in range(0x20, 0x7F)} | set(MARKERS)
    return "".join(sorted(c for c in found if c.isprintable() or c == "\u3000"))


def _files(folder) -> list:
    out = []
    for item in folder.iterdir():
        out += _files(item) if item.is_dir() else [item]
    return out


def font_css(catalogue, cache: Path) -> str:
    """@font-face rules of the cut-down faces for WeasyPrint, made once per set of characters into
    `cache/fonts/`; empty when fontconfig does not find Noto Sans CJK SC (WeasyPrint then uses the
    installed fonts as they are)."""
    sources = {weight: _source(pattern) for weight, pattern in FACES.items()}
    if None in sources.values():
        return ""
    text = characters(catalogue)
    import fontTools

    digest = hashlib.sha256(
        json.dumps(
            [VERSION, fontTools.version, text, {w: [str(p), i, p.stat().st_size] for w, (p, i) in sources.items()}]
        ).encode()
    ).hexdigest()[:24]
    rules, folder = [], Path(cache) / "fonts"
    for weight, (path, index) in sources.items():
        target = folder / f"{digest}-{weight}.otf"
        if not target.is_file():
            atomic_write(target, _cut(path, index, text))
        target.touch()
        rules.append(
            f'@font-face {{ font-family: "{FAMILY}"; src: url("{target.resolve().as_uri()}"); font-weight: {weight}; }}'
        )
    for old in sorted(folder.glob("*.otf"), key=lambda p: p.stat().st_mtime)[: -2 * KEEP]:
        old.unlink(missing_ok=True)  # cuts of earlier catalogues, beyond the newest few
    return "\n".join(rules) + "\n"


def _source(pattern: str) -> tuple[Path, int] | None:
    """The font file and face index fontconfig gives for `pattern`, if it is Noto Sans CJK."""
    if shutil.which("fc-match") is None:
        return None
    found = subprocess.run(
        ["fc-match", "-f", "%{file}\n%{index}\n%{family}", pattern], capture_output=True, text=True
    ).stdout.split("\n")
    if len(found) < 3 or "Noto Sans CJK SC" not in found[2] or not Path(found[0]).is_file():
        return None
    return Path(found[0]), int(found[1] or 0)


def _cut(path: Path, index: int, text: str) -> bytes:
    """The face at `index` of `path` with only the glyphs of `text` (and what shaping them needs)."""
    import io

    from fontTools import subset

    options = subset.Options()
    options.font_number = index
    options.layout_features = ["*"]  # the same shaping, so the same line breaks
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(path), options)
    cutter = subset.Subsetter(options)
    cutter.populate(text=text)
    cutter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
