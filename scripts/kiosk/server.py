"""`kiosk serve`: the built site on 127.0.0.1 for the kiosk browser.

Each request resolves the site folder anew, so when a publish swaps the
folder (or the symlink to it) the kiosk shows the new release without a restart.
"""

from __future__ import annotations

import functools
import http.server
import os
from pathlib import Path


class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, site: Path, **kwargs):
        super().__init__(*args, directory=os.path.realpath(site), **kwargs)

    def end_headers(self):
        # the kiosk must never show a stale page after an update, nor cache personal views
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy",
                         "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                         "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; frame-src 'none'")
        super().end_headers()

    def log_message(self, format, *args):  # quiet: a kiosk runs all day
        pass


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
