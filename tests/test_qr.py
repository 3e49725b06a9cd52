"""QR codes: what a scanner reads, and the folder that keeps computed codes across builds."""

from __future__ import annotations

import base64
import subprocess

import pytest

from kiosk import qr

URL = "https://bmfw.example.org/dahepingxiang/matters/dibao-apply/"


@pytest.fixture
def kept(tmp_path):
    qr._matrix.cache_clear()
    qr._png_data_url.cache_clear()
    yield tmp_path / "qr"
    qr._matrix.cache_clear()
    qr._png_data_url.cache_clear()


def png_url(img) -> str:
    """The data: URL of an <img> that QrCodes.img made."""
    return str(img).split('src="', 1)[1].split('"', 1)[0]


def scan_png(data_url: str, tmp_path) -> str:
    """Decode the PNG of a data: URL, scaled up 8× with no smoothing as the stylesheets show it."""
    from PIL import Image

    small = tmp_path / "small.png"
    small.write_bytes(base64.b64decode(data_url.split(",", 1)[1]))
    with Image.open(small) as im:
        im.resize((im.width * 8, im.height * 8), Image.NEAREST).save(tmp_path / "big.png")
    out = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(tmp_path / "big.png")],
                         capture_output=True, text=True)
    return out.stdout.strip()


def test_png_code_scans_to_its_text(tmp_path):
    assert scan_png(png_url(qr.QrCodes().img(URL)), tmp_path) == URL


def test_kept_code_is_the_computed_one_and_a_damaged_file_is_computed_again(kept, tmp_path):
    codes = qr.QrCodes(kept)
    computed = codes.matrix(URL)
    files = list(kept.glob("*.txt"))
    assert len(files) == 1
    qr._matrix.cache_clear()
    assert codes.matrix(URL) == computed  # read back from the file
    files[0].write_text("01\n1", "ascii")  # damaged: not a square of 0 and 1
    qr._matrix.cache_clear()
    assert codes.matrix(URL) == computed
    assert files[0].read_text("ascii").split()[0] == "".join("1" if m else "0" for m in computed[0])
    qr._png_data_url.cache_clear()
    assert scan_png(png_url(codes.img(URL)), tmp_path) == URL
