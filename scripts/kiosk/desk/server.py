"""`kiosk desk serve`: the desk under gunicorn, a production WSGI server (never runserver).

On the loopback address it speaks HTTP (only this PC can reach it). Bound anywhere else it speaks only
HTTPS, with the county's certificate (KIOSK_DESK_CERT, KIOSK_DESK_KEY) or the one `kiosk desk init` made:
secure cookies, HSTS, and only the host names the certificate names. The desk's code is imported once, in
gunicorn's master before it forks (preload_app), and each worker loads the fonts and the catalogue before
taking requests, so no one waits for them and a (re)start serves within seconds.

Surviving kill -9: the data folder's lock (lock.py) is taken before gunicorn starts and held by its master
and workers; each worker asks Linux to send it SIGTERM when its master dies (prctl PR_SET_PDEATHSIG, set in
post_fork), so no orphan goes on serving and writing: it finishes the request in hand and exits, within
a second or two. Before gunicorn starts, `serve` binds the port itself once: when something holds it, it
says in Chinese which process (from /proc), instead of gunicorn's five retries and "Connection in use".

Plain http:// to the HTTPS port: browsers and people type http:// first. A second listener on another port
would be one more port to open, explain and keep free; instead each worker peeks at the first byte of a new
connection (MSG_PEEK, so nothing is consumed): a TLS handshake starts with 0x16 (a handshake record), a
plain HTTP request with a letter. A plain request gets a 301 to the same host, port and path over https://
(only for a host name the desk allows: no open redirect), read and answered without Django, and the
connection is closed; nothing but that redirect crosses the network unencrypted.
"""

from __future__ import annotations

import ctypes
import errno
import html
import os
import signal
import socket
import sys
from dataclasses import dataclass

from gunicorn import util
from gunicorn.workers.sync import SyncWorker

from . import config, lock, tls

PR_SET_PDEATHSIG = 1
PEEK_SECONDS = 5  # a browser sends its first bytes at once; an idle connection does not hold a worker long
TLS_HANDSHAKE = 0x16


@dataclass
class Bind:
    host: str
    port: int

    @property
    def loopback(self) -> bool:
        return tls.is_loopback(self.host)

    def __str__(self):
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def parse_bind(text: str) -> Bind:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(text)
    return Bind(host.strip("[]"), int(port))


def certificate() -> tls.Certificate | None:
    """The certificate the desk serves HTTPS with: the county's, else the one `kiosk desk init` made."""
    from .config import TLS_DIR, env

    cert, key = env("KIOSK_DESK_CERT"), env("KIOSK_DESK_KEY")
    if cert or key:
        return tls.read(cert, key) if cert and key and os.path.isfile(cert) and os.path.isfile(key) else None
    if (TLS_DIR / "cert.pem").is_file() and (TLS_DIR / "key.pem").is_file():
        return tls.read(TLS_DIR / "cert.pem", TLS_DIR / "key.pem")
    return None


def https_environment(bind: Bind, cert: tls.Certificate) -> dict[str, str]:
    """What the settings must see for HTTPS: on, and the certificate's names as the allowed hosts."""
    extra = [h for h in (config.env("KIOSK_DESK_HOSTS") or "").split(",") if h.strip()]
    return {"KIOSK_DESK_HTTPS": "1", "KIOSK_DESK_HOSTS": ",".join(dict.fromkeys(extra + tls.host_names(cert.names)))}


def run(bind: Bind, workers: int, cert: tls.Certificate | None, pid_file, access_log: bool = False) -> None:
    """Serve until stopped (Ctrl+C or SIGTERM)."""
    from gunicorn.app.base import BaseApplication

    options = {
        "bind": str(bind),
        "workers": workers,
        "timeout": 60,
        "graceful_timeout": 10,
        "preload_app": True,  # the code is imported once, before the fork: workers start at once (a restart too)
        "pidfile": str(pid_file),
        "post_worker_init": _warm,
        "post_fork": _die_with_master,
        "worker_class": DeskWorker,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "kiosk-desk",
    }
    if cert is not None:
        options.update(certfile=str(cert.cert), keyfile=str(cert.key))

    class Desk(BaseApplication):
        def load_config(self):
            for name, value in options.items():
                if value is not None:
                    self.cfg.set(name, value)

        def load(self):
            from django.db import connections
            from django.urls import get_resolver

            from . import paper  # noqa: F401  (WeasyPrint's import, shared; its fonts load in each worker)
            from .wsgi import application

            get_resolver().url_patterns  # every view, form and model imported here, in the master
            connections.close_all()  # nothing the workers would share
            return application

    Desk().run()


def _warm(worker) -> None:
    """Before a worker takes requests: fonts and stylesheet loaded, every township's catalogue read."""
    from . import paper
    from .catalogues import Unavailable, catalogues

    paper.warm()
    for tid in catalogues().townships():
        try:
            catalogues().get(tid).index
        except Unavailable:
            pass


def _die_with_master(server, worker) -> None:
    """In a new worker: SIGTERM from Linux when the master dies, whatever kills it (kill -9 included)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != worker.ppid:  # the master died before the line above: nobody would send the signal
        os._exit(0)


class PortBusy(Exception):
    """The address cannot be bound; `key` and `values` make its plain-Chinese message."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(key)


def check_port(bind: Bind) -> None:
    """Bind the address once as gunicorn will (SO_REUSEADDR); raises PortBusy saying what holds it."""
    family = socket.AF_INET6 if ":" in bind.host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((bind.host, bind.port))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                pids = lock.port_holders(bind.port)
                if pids:
                    raise PortBusy("desk_serve_port_held", port=bind.port, who=lock.who(pids)) from None
                raise PortBusy("desk_serve_port_busy", port=bind.port) from None
            if e.errno == errno.EACCES:
                raise PortBusy("desk_serve_port_denied", port=bind.port) from None
            raise PortBusy(
                "desk_serve_port_bad", bind=str(bind), detail=errno.errorcode.get(e.errno, e.errno)
            ) from None


class DeskWorker(SyncWorker):
    """gunicorn's sync worker that answers plain HTTP on the HTTPS port with a redirect to https://."""

    def handle(self, listener, client, addr):
        if self.cfg.is_ssl:
            try:
                client.settimeout(PEEK_SECONDS)
                first = client.recv(1, socket.MSG_PEEK)
                if first and first[0] != TLS_HANDSHAKE:
                    _redirect(client, listener.getsockname()[1])
                client.settimeout(None)
            except OSError:  # silent, reset or timed out: nothing to answer
                first = b""
            if not first or first[0] != TLS_HANDSHAKE:
                util.close_graceful(client)
                return
        super().handle(listener, client, addr)


def _redirect(client, port: int) -> None:
    """Answer the plain HTTP request on `client` with a 301 to the same address over https://."""
    from django.conf import settings
    from django.http.request import split_domain_port, validate_host

    from kiosk.problems import message

    head = b""
    while b"\r\n\r\n" not in head and len(head) < 8192:
        more = client.recv(4096)
        if not more:
            break
        head += more
    lines = head.split(b"\r\n")
    target = lines[0].split(b" ")[1] if len(lines[0].split(b" ")) == 3 else b"/"
    path = target.decode("ascii", "replace")
    if not path.startswith("/") or path.startswith("//") or any(not 32 < ord(c) < 127 for c in path):
        path = "/"
    host = next(
        (
            line.split(b":", 1)[1].strip().decode("ascii", "replace")
            for line in lines[1:]
            if line.lower().startswith(b"host:")
        ),
        "",
    )
    domain, _ = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        client.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        return
    location = f"https://{domain}{'' if port == 443 else f':{port}'}{path}"
    body = message("desk_http_redirect", url=html.escape(location)).encode("utf-8")
    client.sendall(
        f"HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\n"
        f"Content-Type: text/html; charset=utf-8\r\nContent-Length: {len(body)}\r\n"
        f"Connection: close\r\n\r\n".encode("ascii")
        + body
    )
