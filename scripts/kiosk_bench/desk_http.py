"""The HTTP side of the desk's benchmark (kiosk_bench.desk): a person's session on a served desk in raw HTTP
connections (login, CSRF, timing each request), clients under load flat out or paced, percentiles, and
the small helpers of starting a desk to measure.
"""

from __future__ import annotations

import http.client
import random
import re
import socket
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

PASSWORD = "Bench-desk-2026"
MATTER = "dibao-apply"
TOWNSHIP = "dahepingxiang"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_database(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(admin_url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


class Client:
    """A logged-in person on raw HTTP (gunicorn's sync workers close each connection)."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict, bytes, float]:
        data = urlencode(body, doseq=True).encode() if body is not None else None
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Referer": f"http://127.0.0.1:{self.port}{path}",
        }
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        conn.request(method, path, data, headers)
        response = conn.getresponse()
        content = response.read()
        elapsed = time.perf_counter() - started
        conn.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, dict(response.headers), content, elapsed

    def login(self, staff_id: str) -> None:
        _, _, page, _ = self.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        status, _, _, _ = self.request(
            "POST",
            "/login/",
            {"csrfmiddlewaretoken": token, "township": TOWNSHIP, "username": staff_id, "password": PASSWORD},
        )
        if status != 302:
            raise RuntimeError(f"login of {staff_id} failed ({status})")

    def intake_form(self) -> dict:
        _, _, page, _ = self.request("GET", f"/intake/{MATTER}/")
        fields = dict(re.findall(rb'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
        return {k.decode(): v.decode() for k, v in fields.items()}


def _load(clients: list[Client], job, seconds: float, warmup: float, pace: float = 0) -> tuple[list[float], float]:
    """Run `job(client)` (returning a latency) on every client at once; the latencies after the warm-up.
    `pace`: each client waits this many seconds on average between two requests (random, exponential), as
    people at windows do; 0: flat out, each client sends its next request as soon as it has the answer."""
    rng = random.Random(1)
    latencies: list[float] = []
    lock = threading.Lock()
    start = time.monotonic()
    measure_from, stop_at = start + warmup, start + warmup + seconds
    failures: list[BaseException] = []

    def loop(client):
        try:
            while time.monotonic() < stop_at:
                began = time.monotonic()
                took = job(client)
                if began >= measure_from:
                    with lock:
                        latencies.append(took)
                if pace:
                    time.sleep(rng.expovariate(1 / pace))
        except BaseException as e:  # noqa: BLE001 - reported after the run
            failures.append(e)

    threads = [threading.Thread(target=loop, args=(c,)) for c in clients]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    if failures:
        raise failures[0]
    return latencies, seconds


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))] * 1000


def _today() -> str:
    import datetime

    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date().isoformat()


def _wait(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the desk did not start:\n" + log.read_text("utf-8", "replace")[-2000:])
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/login/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the desk did not start in time")
