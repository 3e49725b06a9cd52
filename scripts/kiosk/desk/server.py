"""`kiosk desk serve`: the desk under gunicorn, a production WSGI server (never runserver).

On the loopback address it speaks HTTP (only this PC can reach it). Bound anywhere else it speaks only
HTTPS, with the county's certificate (KIOSK_DESK_CERT, KIOSK_DESK_KEY) or the one `kiosk desk init` made:
secure cookies, HSTS, and only the host names the certificate names. Each worker loads the fonts and the
catalogue before taking requests, so no one waits for them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from . import tls


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
    extra = [h for h in (os.environ.get("KIOSK_DESK_HOSTS") or "").split(",") if h.strip()]
    return {"KIOSK_DESK_HTTPS": "1", "KIOSK_DESK_HOSTS": ",".join(dict.fromkeys(extra + tls.host_names(cert.names)))}


def run(bind: Bind, workers: int, cert: tls.Certificate | None, pid_file, access_log: bool = False) -> None:
    """Serve until stopped (Ctrl+C or SIGTERM)."""
    from gunicorn.app.base import BaseApplication

    options = {
        "bind": str(bind),
        "workers": workers,
        "worker_class": "sync",
        "timeout": 60,
        "graceful_timeout": 10,
        "pidfile": str(pid_file),
        "post_worker_init": _warm,
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
            from .wsgi import application

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
