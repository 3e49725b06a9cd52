"""QR codes: one PNG of one pixel per module (qrcode's own PIL image factory), scaled up without smoothing by
the stylesheet (`image-rendering: pixelated`), on the kiosk screen and on paper alike.

A PNG, not SVG: WeasyPrint draws an SVG path slowly (about 35 ms a code, four codes a sheet) while a PNG is
decoded once per process and reused by every sheet that shows it; and qrcode's SVG factories write a
rectangle per module (4.5 KB for tel:12345 against the PNG's 0.2 KB), which the kiosk's page weight does not
need.

Computing a code is slow in qrcode (about 10 ms: it tries all eight mask patterns), and a build of N
matters draws about N of them, so each code's PNG can be kept in a folder across builds (`QrCodes(folder)`:
the build context gives it the build cache; templates call `qr.img`, or `qr.svg` for the big code of a
kiosk dialog).
"""

from __future__ import annotations

import base64
import hashlib
import io
from functools import lru_cache
from pathlib import Path

import qrcode
import qrcode.constants
from markupsafe import Markup
from qrcode.image.pil import PilImage

from ..files import atomic_write

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class QrCodes:
    """QR codes of one build: each computed once, and kept across builds in `folder` (one PNG per code; the
    build cache) when one is given."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder) if folder else None

    def img(self, data: str, label: str = "") -> Markup:
        """An <img> of the PNG QR code of `data` (for print and the kiosk page; the stylesheet sizes it)."""
        return Markup('<img class="qr" src="{}" alt="{}">').format(_png_data_url(data, self.folder), label or data)

    def svg(self, data: str, label: str = "") -> Markup:
        """The big code of a kiosk dialog: the same PNG, marked as a picture with its label."""
        return Markup('<img class="qr qr-big" src="{}" alt="{}" role="img">').format(
            _png_data_url(data, self.folder), label or data
        )


@lru_cache(maxsize=4096)
def _png_data_url(data: str, folder: Path | None) -> str:
    return "data:image/png;base64," + base64.b64encode(png(data, folder)).decode("ascii")


def png(data: str, folder: Path | None = None) -> bytes:
    """The QR code of `data` (error correction M, the 4-module quiet zone) as a 1-bit PNG, one pixel per
    module; read from `folder` when kept there, else made by qrcode and kept."""
    kept = folder / f"{hashlib.sha256(data.encode('utf-8')).hexdigest()[:40]}.png" if folder else None
    if kept:
        try:
            found = kept.read_bytes()
            if found.startswith(PNG_MAGIC):
                return found
        except FileNotFoundError:
            pass
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, box_size=1)
    code.add_data(data)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image(image_factory=PilImage).save(out, format="PNG", optimize=True)
    made = out.getvalue()
    if kept:
        try:
            atomic_write(kept, made)
        except OSError:  # a cache: the code was made, keeping it is only a saving
            pass
    return made
