"""What one kiosk page weighs and how soon it paints: `kiosk bench`'s page measures, and the size check of
the tests (tests/test_lighter_page.py).

    weight       the bytes of a built page and of every file of the site it loads (stylesheets, scripts,
                 icons, images), read from the built HTML: as the files are (cold, nothing cached) and as
                 `kiosk serve` sends them to a browser that accepts gzip (each file's `.gz`)
    load         Chromium opening the page with its cache disabled, served by `kiosk serve` in a process of
                 its own: the time to its first paint (the Paint Timing API's first-contentful-paint) and
                 the bytes it loaded (decoded and as sent), the median of several loads

Nothing here asserts a time.
"""

from __future__ import annotations

import html.parser
import statistics
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

LOADED = {  # element: the attribute naming a file it loads, and the `rel`s of <link> that load one
    "script": "src",
    "img": "src",
    "link": "href",
}
LINK_RELS = {"stylesheet", "icon", "preload", "modulepreload"}


class _References(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = LOADED.get(tag)
        if not name or not a.get(name):
            return
        if tag == "link" and not LINK_RELS & set((a.get("rel") or "").split()):
            return
        self.found.append(a[name])


def loaded_files(site: Path, page: Path) -> list[Path]:
    """The files of `site` that the built `page` loads, in the order it names them (each once). Addresses
    outside the site (data:, another host) are not files of the site and are left out; a file of the site
    that is not there is a FileNotFoundError (a broken page)."""
    parser = _References()
    parser.feed(page.read_text("utf-8"))
    files: list[Path] = []
    for ref in parser.found:
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc:
            continue
        path = (site / parts.path.lstrip("/")) if parts.path.startswith("/") else (page.parent / parts.path)
        path = path.resolve()
        if path.is_dir() or not path.exists():
            raise FileNotFoundError(f"{page}: {ref}")
        if path not in files:
            files.append(path)
    return files


def weight(site: Path, page: Path) -> tuple[int, int]:
    """Bytes of `page` and the files it loads: as they are, and as sent gzipped (a file's `.gz` beside it,
    else the file itself)."""
    plain = sent = 0
    for path in [page.resolve(), *loaded_files(site, page)]:
        size = path.stat().st_size
        packed = path.with_name(path.name + ".gz")
        plain += size
        sent += packed.stat().st_size if packed.is_file() else size
    return plain, sent


LOAD_SCRIPT = """() => new Promise(done => {
  const paint = () => {
    const entries = performance.getEntriesByType("paint");
    return entries.find(e => e.name === "first-contentful-paint") || entries.find(e => e.name === "first-paint");
  };
  const finish = () => {
    const all = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
    done({
      paint: paint().startTime,
      decoded: all.reduce((n, e) => n + e.decodedBodySize, 0),
      encoded: all.reduce((n, e) => n + e.encodedBodySize, 0),
    });
  };
  if (paint()) finish();
  else new PerformanceObserver(() => paint() && finish()).observe({ type: "paint", buffered: true });
})"""


def load(site: Path, path: str, loads: int = 9) -> dict:
    """Chromium opening the page `path` of `site` `loads` times (after one not counted), as the kiosk shows it:

        first_paint_ms             tapped on the home page (the kiosk's navigation, location.replace) in the
                                   running browser, with its cache disabled, so every byte is loaded again
        first_paint_new_window_ms  in a new browser window each time (an empty cache too), which the browser
                                   takes longer to set up than the page to paint

    each the median ms to the first paint; and the KB the page loaded, decoded (cold) and as sent. The site is
    served by `kiosk serve` in a process of its own, as on the kiosk."""
    from playwright.sync_api import sync_playwright

    from .chromium import PORTRAIT, Browser

    tapped, new_window = [], []
    with sync_playwright() as p, kiosk_serve(site) as url:
        b = Browser(p)
        page = b.page(PORTRAIT, watch=False)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        for _ in range(loads + 1):
            page.goto(url, wait_until="load")
            with page.expect_navigation(wait_until="load"):
                page.evaluate("address => location.replace(address)", url + path)
            tapped.append(page.evaluate(LOAD_SCRIPT))
        for _ in range(loads + 1):
            page = b.page(PORTRAIT, watch=False)
            page.goto(url + path, wait_until="load")
            new_window.append(page.evaluate(LOAD_SCRIPT))
            page.wait_for_load_state("networkidle")  # what the page asks after loading, answered before it goes
            page.context.close()
        b.close()
    tapped, new_window = tapped[1:], new_window[1:]
    return {
        "first_paint_ms": statistics.median(s["paint"] for s in tapped),
        "first_paint_new_window_ms": statistics.median(s["paint"] for s in new_window),
        "page_loaded_kb": statistics.median(s["decoded"] for s in tapped) / 1024,
        "page_sent_kb": statistics.median(s["encoded"] for s in tapped) / 1024,
    }


@contextmanager
def kiosk_serve(site: Path):
    """`kiosk serve` of `site` on a free port, in a process of its own; yields its address."""
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-searches-") as searches:
        command = [
            sys.executable,
            "-m",
            "kiosk",
            "serve",
            "--port",
            "0",
            "--site-dir",
            str(site),
            "--searches",
            searches,
        ]
        server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        try:
            yield server.stdout.readline().strip()  # it says its address first
        finally:
            server.terminate()
            server.wait()
            server.stdout.close()
