"""`kiosk serve`: the built site on 127.0.0.1 for the kiosk browser, and handwriting for its search page.

Each request resolves the site folder anew, so when a publish swaps the
folder (or the symlink to it) the kiosk shows the new release without a restart.

`/api/handwriting`: GET answers whether this machine reads handwriting (200 `{"ok": true}`, else 503
`{"ok": false}`); POST of a drawing (see `handwriting`) answers `{"candidates": [...]}`, the catalogue's
characters first (the site's `assets/kiosk-chars.txt`). A mistake in the request is answered
`{"error": "<plain Chinese>"}`: 400, 411 without a length, 413 over handwriting.MAX_BODY (not read),
503 without a recognizer, 405 for another method.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import os
import re
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from . import handwriting
from ..exceptions import BadDrawing
from ..problems import message

API = "/api/handwriting"
CHARS = "assets/kiosk-chars.txt"  # the catalogue's characters, most frequent first (written by the build)
BODY_TIMEOUT = 10  # seconds a client may take to send a body it announced


class Handler(http.server.SimpleHTTPRequestHandler):
    cache_control = "no-cache"
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".opus": "audio/ogg"}  # 朗读

    def __init__(self, *args, site: Path, **kwargs):
        super().__init__(*args, directory=os.path.realpath(site), **kwargs)

    def end_headers(self):
        # the kiosk must never show a stale page after an update, nor cache personal views
        self.send_header("Cache-Control", self.cache_control)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; frame-src 'none'",
        )
        super().end_headers()

    def log_message(self, format, *args):  # quiet: a kiosk runs all day
        pass

    def do_GET(self):
        if self._on_api():
            self._send_status()
        else:
            super().do_GET()

    def do_HEAD(self):
        if self._on_api():
            self._send_status()
        else:
            super().do_HEAD()

    def do_POST(self):
        if self._on_api():
            self._send_candidates()
        else:
            self.send_error(HTTPStatus.NOT_IMPLEMENTED)

    def send_error(self, code, message=None, explain=None):
        """Every error in Chinese: JSON on the API, else the site's own 404.html or a line of text."""
        if self._on_api():
            # the base class answers a method it has no do_<METHOD> for with 501; on the API that is a 405
            if code == HTTPStatus.NOT_IMPLEMENTED:
                return self._send_error_json(
                    HTTPStatus.METHOD_NOT_ALLOWED, "hw_method", headers={"Allow": "GET, HEAD, POST"}
                )
            return self._send_error_json(code, "page_error", code=int(code))
        body = self._error_page(code)
        self.send_response(code)
        self.send_header("Connection", "close")
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _on_api(self) -> bool:
        # no path yet when the request line itself could not be read
        return urlsplit(getattr(self, "path", "")).path == API

    def _send_status(self):
        ok = handwriting.available()
        self._send_json(HTTPStatus.OK if ok else HTTPStatus.SERVICE_UNAVAILABLE, {"ok": ok})

    def _send_candidates(self):
        length = (self.headers.get("Content-Length") or "").strip()
        if not length:
            return self._send_error_json(HTTPStatus.LENGTH_REQUIRED, "hw_no_length")
        if not re.fullmatch(r"[0-9]+", length):
            return self._send_error_json(HTTPStatus.BAD_REQUEST, "hw_bad_length")
        digits = length.lstrip("0") or "0"  # int() refuses thousands of digits; 7 already say too large
        if len(digits) > 7 or int(digits) > handwriting.MAX_BODY:
            return self._send_error_json(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "hw_too_large", kib=handwriting.MAX_BODY // 1024
            )
        size = int(digits)
        # read the whole body before anything else is answered: a reply that leaves it unread may be lost
        self.connection.settimeout(BODY_TIMEOUT)
        try:
            body = self.rfile.read(size)
        except TimeoutError:
            body = b""
        if len(body) < size:
            return self._send_error_json(HTTPStatus.BAD_REQUEST, "hw_incomplete")
        if not handwriting.available():
            return self._send_error_json(HTTPStatus.SERVICE_UNAVAILABLE, "hw_unavailable")
        try:
            drawing = handwriting.parse(body)
        except BadDrawing as e:
            return self._send_json(HTTPStatus.BAD_REQUEST, {"error": str(e)})
        prefer = _catalogue_chars(os.path.join(self.directory, CHARS))
        self._send_json(HTTPStatus.OK, {"candidates": handwriting.classify(*drawing, prefer=prefer)})

    def _send_error_json(self, status, key, headers=None, **values):
        self._send_json(status, {"error": message(key, **values)}, headers)

    def _send_json(self, status, data, headers=None):
        body = json.dumps(data, ensure_ascii=False).encode()
        self.cache_control = "no-store"  # answers about one drawing: nothing to keep
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error_page(self, code) -> bytes:
        """The site's own 404.html for a missing page; otherwise, or when it has none, a line of Chinese."""
        if code == HTTPStatus.NOT_FOUND:
            try:
                return Path(self.directory, "404.html").read_bytes()
            except OSError:
                pass
        text = html.escape(
            message("page_not_found") if code == HTTPStatus.NOT_FOUND else message("page_error", code=int(code))
        )
        return (
            f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{text}</title>'
            f'<p>{text}</p><p><a href="/">{html.escape(message("page_home"))}</a></p></html>'
        ).encode()


def _catalogue_chars(path: str) -> str:
    """The characters in the site's `path`, read again only when the file (or the release) changes;
    "" when the site has none, so candidates keep the recognizer's order."""
    real = os.path.realpath(path)
    try:
        return _read_chars(real, os.stat(real).st_mtime_ns)
    except OSError:
        return ""


@functools.lru_cache(maxsize=4)
def _read_chars(path: str, mtime_ns: int) -> str:
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def make_server(site: Path, port: int = 8000) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(Handler, site=site)
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def serve(site: Path, port: int = 8000) -> None:
    server = make_server(site, port)
    print(f"http://127.0.0.1:{server.server_address[1]}/")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
