"""QR codes: what a scanner reads, and the folder that keeps computed codes across builds."""

from __future__ import annotations

import base64
import subprocess

import pytest

from kiosk.printing import qr

URL = "https://bmfw.example.org/dahepingxiang/matters/dibao-apply/"


@pytest.fixture
def kept(tmp_path):
    qr._png_data_url.cache_clear()
    yield tmp_path / "qr"
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
    out = subprocess.run(
        ["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(tmp_path / "big.png")],
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def test_png_code_scans_to_its_text(tmp_path):
    assert scan_png(png_url(qr.QrCodes().img(URL)), tmp_path) == URL


def test_kept_code_is_the_computed_one_and_a_damaged_file_is_computed_again(kept, tmp_path):
    computed = qr.png(URL)
    assert qr.png(URL, kept) == computed
    files = list(kept.glob("*.png"))
    assert len(files) == 1 and files[0].read_bytes() == computed
    files[0].write_bytes(b"not a png")  # damaged
    assert qr.png(URL, kept) == computed and files[0].read_bytes() == computed, "made again and kept again"
    qr._png_data_url.cache_clear()
    assert scan_png(png_url(qr.QrCodes(kept).img(URL)), tmp_path) == URL


def test_the_big_kiosk_code_scans_and_carries_its_label(tmp_path):
    big = str(qr.QrCodes().svg(URL, "低保<申请>"))
    assert 'alt="低保&lt;申请&gt;"' in big and 'role="img"' in big
    assert scan_png(png_url(big), tmp_path) == URL
