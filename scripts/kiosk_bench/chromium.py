"""The kiosk in a real browser, offline: Debian's chromium driven by Playwright, a built site served on
127.0.0.1 (kiosk.site.server). For `kiosk bench` and the browser tests (tests/browser.py); needs the test extra.

No host but 127.0.0.1 resolves (OFFLINE), and every request that does not go to 127.0.0.1 is aborted and
recorded in `Browser.outside`, so nothing ever leaves the machine and a test can fail when the kiosk tries to.
A page opened with `watch=False` is not watched so (its requests do not pass through this process, which
slows each one down as no kiosk's browser is): for timing the kiosk as it runs; nothing leaves it either.
"""

from __future__ import annotations

import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from kiosk.site.server import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"  # no host is found but 127.0.0.1
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=TranslateUI",
    "--touch-events=enabled",
    OFFLINE,
]
PORTRAIT = {"width": 1080, "height": 1920}
LANDSCAPE = {"width": 1920, "height": 1080}


@contextmanager
def served(site: Path, searches: Path | None = None):
    """`site` served by `kiosk serve`'s server on a free port of 127.0.0.1 (keeping the searches that got
    nothing in `searches`, if given); yields its address."""
    server = make_server(site, 0, searches)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class Browser:
    """One chromium; `outside` lists every request that tried to leave."""

    def __init__(self, playwright):
        self.outside: list[str] = []
        self.browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)

    def page(self, viewport=PORTRAIT, watch: bool = True, **kwargs):
        context = self.browser.new_context(viewport=viewport, has_touch=True, locale="zh-CN", **kwargs)
        if watch:
            context.route("**/*", self._route)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        return page

    def _route(self, route):
        host = urlparse(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def close(self):
        self.browser.close()
