"""`kiosk county-server`: the county's publish folder over HTTP for every hall, and the halls' reports back.

    GET  /<township>/…                     the folder's files as they are (kept-alive connections, byte
                                           ranges so a hall resumes a file); never a listing, never a
                                           hidden file (the publish lock)
    POST /<township>/hall-status.json      a hall's signed report (kiosk.publish.status.accept): 204, or
                                           403 not that township's hall, 409 older than the one held,
                                           400 not a report, 413 too long, in {"error": "<plain Chinese>"}
    GET  /  and  /status.json              what every hall shows, for the county office (HTML, JSON)

Any web server can serve the folder's files instead (nginx, `python3 -m http.server`); the reports then
need this one, or a folder the halls can write (see kiosk.publish.status).
"""

from __future__ import annotations

import functools
import os
from http import HTTPStatus
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..exceptions import ReportRefused
from ..problems import message
from ..site.server import Handler as FileHandler
from ..site.server import Server, run
from ..text.render import environment
from . import status

TEMPLATES = ("kiosk.publish", "templates")
REPORT_TIMEOUT = 10  # seconds a hall may take to send its report


class Handler(FileHandler):  # kept-alive connections (the kiosk's own): a pull asks for thousands of files
    def __init__(self, *args, folder: Path, **kwargs):
        self.folder = Path(folder)
        super().__init__(*args, site=folder, **kwargs)

    def do_GET(self):
        path = urlsplit(self.path).path
        if path in ("/", "/index.html"):
            return self._send(HTTPStatus.OK, "text/html; charset=utf-8", page(self.folder).encode())
        if path == "/status.json":
            rows = [h.row for h in status.halls(self.folder)]
            return self._send_json(HTTPStatus.OK, rows)
        if self._hidden(path) or os.path.isdir(self.translate_path(self.path)):
            return self.send_error(HTTPStatus.NOT_FOUND)
        return super().do_GET()

    def do_HEAD(self):
        if self._hidden(urlsplit(self.path).path) or os.path.isdir(self.translate_path(self.path)):
            return self.send_error(HTTPStatus.NOT_FOUND)
        return super().do_HEAD()

    def do_POST(self):
        parts = unquote(urlsplit(self.path).path).strip("/").split("/")
        if len(parts) != 2 or parts[1] != status.REPORT or self._hidden("/" + parts[0]):
            return self._refuse(HTTPStatus.NOT_FOUND, message("report_where"))
        township = parts[0]
        if not (self.folder / township).is_dir():
            return self._refuse(HTTPStatus.NOT_FOUND, message("report_unknown_township", township=township))
        length = (self.headers.get("Content-Length") or "").strip()
        if not length.isdigit() or int(length) > status.REPORT_MAX:
            return self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, message("report_garbage"))
        self.connection.settimeout(REPORT_TIMEOUT)
        try:
            body = self.rfile.read(int(length))
        except TimeoutError:
            return self._refuse(HTTPStatus.REQUEST_TIMEOUT, message("report_garbage"))
        try:
            status.accept(self.folder, township, body)
        except ReportRefused as e:
            code = {"report_older": HTTPStatus.CONFLICT, "report_garbage": HTTPStatus.BAD_REQUEST}
            return self._refuse(code.get(e.key, HTTPStatus.FORBIDDEN), str(e))
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def list_directory(self, path):  # the folder is not browsable: a hall asks for the files its manifest names
        self.send_error(HTTPStatus.NOT_FOUND)

    def _hidden(self, path: str) -> bool:
        return any(part.startswith(".") for part in unquote(path).split("/") if part)

    def _refuse(self, code, text: str):
        self._send_json(code, {"error": text})  # the kiosk server's: it closes the connection, the body maybe unread


def page(folder: Path) -> str:
    """The county office's page: every township's hall, as `kiosk status` lists them."""
    return environment(TEMPLATES).get_template("halls.html").render(halls=status.halls(folder), **status.wording())


def make_server(folder: Path, port: int = 8080, bind: str = "0.0.0.0") -> Server:
    server = Server((bind, port), functools.partial(Handler, folder=folder))
    server.daemon_threads = True
    return server


def serve(folder: Path, port: int = 8080, bind: str = "0.0.0.0") -> None:
    run(make_server(folder, port, bind))
