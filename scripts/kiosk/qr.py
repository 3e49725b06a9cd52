"""QR codes: small inline SVG for the kiosk screen (with a viewBox, so it scales), and for print a PNG
of one pixel per module that the stylesheet scales up without smoothing (`image-rendering: pixelated`).

Print uses PNG because WeasyPrint draws an SVG path slowly (about 35 ms a code, four codes a sheet),
while a PNG is decoded once per process and reused by every sheet that shows it (the 12345, complaint
and rating codes are the same on every sheet).

Computing a code is slow in qrcode (about 10 ms: it tries all eight mask patterns), and a build of
N matters draws about N of them, so the modules of each code can be kept in a folder across builds
(`QrCodes(folder)`: the build context gives it the build cache; templates call `qr.img`/`qr.svg`).
"""

from __future__ import annotations

import base64
import hashlib
import struct
import zlib
from functools import lru_cache
from pathlib import Path

import qrcode
import qrcode.constants
from markupsafe import Markup

from .files import atomic_write


class QrCodes:
    """QR codes of one build: each computed once, and kept across builds in `folder` (a text file of 0 and
    1 per code; the build cache) when one is given."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder) if folder else None

    def matrix(self, data: str) -> list[list[bool]]:
        return _matrix(data, self.folder)

    def img(self, data: str, label: str = "") -> Markup:
        """An <img> of the PNG QR code of `data` (for print and the kiosk page; the stylesheet sizes it)."""
        return Markup(f'<img class="qr" src="{_png_data_url(data, self.folder)}" alt="{_escape(label or data)}">')

    def svg(self, data: str, label: str = "") -> Markup:
        """An SVG QR code of `data` (for a big code in a kiosk dialog); dark modules as one path of runs."""
        return Markup(_svg(data, label, self.folder))


@lru_cache(maxsize=8192)
def _matrix(data: str, folder: Path | None) -> list[list[bool]]:
    """The modules of the QR code of `data` (error correction M), with the 4-module quiet zone."""
    kept = folder / f"{hashlib.sha256(data.encode('utf-8')).hexdigest()[:40]}.txt" if folder else None
    if kept:
        try:
            rows = kept.read_text("ascii").split()
            if rows and all(len(r) == len(rows) and set(r) <= {"0", "1"} for r in rows):
                return [[c == "1" for c in r] for r in rows]
        except (FileNotFoundError, UnicodeDecodeError):
            pass
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    rows = code.get_matrix()
    if kept:
        try:
            atomic_write(kept, "\n".join("".join("1" if m else "0" for m in r) for r in rows).encode("ascii") + b"\n")
        except OSError:  # a cache: the code was computed, keeping it is only a saving
            pass
    return rows


@lru_cache(maxsize=4096)
def _png_data_url(data: str, folder: Path | None) -> str:
    """A QR code of `data` as a 1-bit grayscale PNG, one pixel per module, as a data: URL."""
    rows = _matrix(data, folder)
    size = len(rows)
    raw = bytearray()
    for row in rows:
        raw.append(0)  # filter: none
        bits = 0
        for x, dark in enumerate(row):
            bits = bits << 1 | (not dark)  # 1 is white in 1-bit grayscale
            if x % 8 == 7:
                raw.append(bits)
                bits = 0
        if size % 8:
            raw.append(bits << (8 - size % 8))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 1, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


@lru_cache(maxsize=4096)
def _svg(data: str, label: str, folder: Path | None) -> str:
    matrix_ = _matrix(data, folder)
    size = len(matrix_)
    runs = []
    for y, row in enumerate(matrix_):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    title = f"<title>{_escape(label)}</title>" if label else ""
    return (
        f'<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges" role="img">{title}'
        f'<rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{"".join(runs)}"/></svg>'
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
