"""Real-browser helpers for the tests: the offline chromium and server of kiosk_bench.chromium, and taps."""

from __future__ import annotations

from kiosk_bench.chromium import ARGS, CHROMIUM, LANDSCAPE, PORTRAIT, Browser, served  # noqa: F401


def tap(page, selector):
    """Tap something that navigates, and wait for the new page."""
    with page.expect_navigation():
        page.locator(selector).first.tap()


def type_keys(page, letters):
    """Tap letters on the search page's on-screen keyboard."""
    for k in letters:
        page.locator(f'#kiosk-keyboard [data-key="{k}"]').tap()
