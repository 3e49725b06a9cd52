"""Helpers of the desk's tests: forms posted as a person fills them, a served desk, a logged-in HTTP session."""

from __future__ import annotations

import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

PASSWORD = "Window-desk-2026"
_serial = itertools.count()


def wait_until(predicate, timeout: float, what: str = "", step: float = 0.05):
    """Wait for another process (a served desk starting, its workers dying, a save reaching its pause, a new
    catalogue taken): poll `predicate()` every `step` seconds until it is true, and return its value; fail
    after `timeout` seconds, saying `what` was awaited. For waits across processes only, on a condition and a
    deadline: never a fixed sleep that hopes the other side is done. Code in this process is not waited for:
    the desk's clock is set (`clock.set`), its catalogue told to look again (`catalogues().refresh()`)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, f"not within {timeout} s: {what or predicate}"
        time.sleep(step)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def form_fields(html: str) -> dict:
    """The hidden inputs of a page's form (token, version …)."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def intake(client, matter="dibao-apply", brought=("1", "2"), action="auto", received=None, **fields):
    """Post the intake form of `matter` as a person would: open it, fill it, send it."""
    from kiosk.desk.deadlines import today

    page = client.get(f"/intake/{matter}/")
    assert page.status_code == 200, page.status_code
    data = {
        **form_fields(page.content.decode()),
        "applicant": "王小明",
        "phone": "13800000000",
        "received": received if isinstance(received, str) else (received or today()).isoformat(),
        "brought": list(brought),
        "action": action,
        **fields,
    }
    return client.post(f"/intake/{matter}/", data)


def record_of(response):
    """The record a step redirected to."""
    from kiosk.desk.models import Application

    found = re.fullmatch(r"/records/(\d+)/", response["Location"])
    assert found, response["Location"]
    return Application.objects.get(pk=int(found.group(1)))


def step(client, app, name, **fields):
    """Post a step's form (supplement, finish, refuse, void) with the version the page gave."""
    page = client.get(f"/records/{app.pk}/{name}/")
    data = {**form_fields(page.content.decode()), **fields}
    return client.post(f"/records/{app.pk}/{name}/", data)


def errors(response) -> list[str]:
    """The error messages a page shows next to its fields and at its top."""
    html = response.content.decode()
    out = re.findall(r'<p class="error"[^>]*>(.*?)</p>', html, re.S)
    box = re.search(r'<div class="form-errors".*?</div>', html, re.S)
    if box:
        out += re.findall(r"<p>(.*?)</p>", box.group(0), re.S)
    return [re.sub(r"<[^>]+>", "", e).strip() for e in out]


class Server:
    """`kiosk desk serve` in a process group of its own, with its data folder and database."""

    def __init__(self, root: Path, env: dict, bind: str, scheme: str):
        self.root, self.env, self.bind, self.scheme = root, env, bind, scheme
        self.port = int(bind.rsplit(":", 1)[1])
        self.url = f"{scheme}://127.0.0.1:{self.port}/"
        self.process: subprocess.Popen | None = None

    def kiosk(self, *args, input=None, check=True, env_extra: dict | None = None) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-m", "kiosk", "desk", *map(str, args)],
            cwd=self.root,
            env={**self.env, **(env_extra or {})},
            input=input,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check:
            assert done.returncode == 0, done.stdout + done.stderr
        return done

    def start(self, extra_env: dict | None = None, workers: int = 2) -> "Server":
        self.log = open(self.root / f"serve-{next(_serial)}.log", "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "desk", "serve", "--bind", self.bind, "--workers", str(workers)],
            cwd=self.root,
            env={**self.env, **(extra_env or {})},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def serving() -> bool:
            if self.process.poll() is not None:  # it ended: say why, without waiting out the deadline
                raise RuntimeError((self.root / self.log.name).read_text())
            return self.ready()

        try:
            wait_until(serving, 60, "the desk to serve")
        except AssertionError:
            raise RuntimeError("the desk did not start: " + Path(self.log.name).read_text()) from None
        return self

    def ready(self) -> bool:
        try:
            import ssl

            context = (
                ssl.create_default_context(cafile=str(self.root / "desk-data" / "tls" / "ca.pem"))
                if self.scheme == "https"
                else None
            )
            with urllib.request.urlopen(self.url + "login/", timeout=5, context=context) as r:
                return r.status == 200
        except Exception:
            return False

    def kill(self, sig=signal.SIGKILL) -> None:
        """Kill the whole server: gunicorn's master and every worker at once (the process group stays
        while any of them lives, so this also ends workers a master killed alone left behind)."""
        if self.process:
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=30)
        self.process = None
        if getattr(self, "log", None):
            self.log.close()

    def stop(self) -> None:
        self.kill(signal.SIGTERM)

    def workers(self) -> list[int]:
        """The pids of gunicorn's workers: its master's children."""
        pid = self.process.pid
        return sorted(
            int(c) for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()
        )

    def kill_master(self) -> None:
        """kill -9 of gunicorn's master alone, as a crash or an impatient person would; its workers are not
        signalled by this."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    @staticmethod
    def exited(pid: int) -> bool:
        """Whether process `pid` has exited (a zombie nobody reaped counts: it runs nothing, holds nothing)."""
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return True
        return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")

    def add_user(self, staff_id, role, township=None):
        args = ["user", "add", staff_id, "--role", role, "--password-stdin"]
        if township:
            args += ["--township", township]
        self.kiosk(*args, input=PASSWORD + "\n")


class Session:
    """A person's browser session on a served desk, in plain HTTP requests (cookies, CSRF token)."""

    def __init__(self, base: str, context=None):
        import http.cookiejar

        self.base, self.context = base, context
        self.jar = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.jar)]
        if context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=context))
        self.opener = urllib.request.build_opener(*handlers, _NoRedirect())

    def request(self, path: str, data: dict | None = None, timeout=60):
        body = urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(
            self.base.rstrip("/") + path, data=body, headers={"Referer": self.base.rstrip("/") + path}
        )
        try:
            with self.opener.open(req, timeout=timeout) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def get(self, path):
        return self.request(path)

    def post(self, path, data):
        return self.request(path, data)

    def login(self, staff_id="s03", township="dahepingxiang", password=PASSWORD):
        status, _, page = self.get("/login/")
        fields = form_fields(page.decode())
        return self.post("/login/", {**fields, "township": township, "username": staff_id, "password": password})

    def intake_fields(self, matter="dibao-apply", brought=("1", "2"), received=None):
        status, _, page = self.get(f"/intake/{matter}/")
        assert status == 200, status
        from kiosk.clock import today

        received = received or today()
        return {
            **form_fields(page.decode()),
            "applicant": "王小明",
            "received": received.isoformat(),
            "brought": list(brought),
            "action": "auto",
        }


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# ---------------------------------------------------------------- 办不成事 cases


def register_case(client, **fields):
    """Post the 办不成事 登记 form as a person would."""
    from kiosk.desk.deadlines import today

    page = client.get("/cases/new/")
    assert page.status_code == 200, page.status_code
    data = {
        **form_fields(page.content.decode()),
        "channel": "window",
        "received": today().isoformat(),
        "matter_name": "城乡低保申请",
        "units": "社会事务窗口",
        "person": "李大姐",
        "phone": "13900000001",
        "reason": "材料交了三次还没受理",
        **fields,
    }
    return client.post("/cases/new/", data)


def case_of(response):
    """The case a step redirected to."""
    from kiosk.desk.models import Case

    found = re.fullmatch(r"/cases/(\d+)/", response["Location"])
    assert found, (response.status_code, response.get("Location"), errors(response))
    return Case.objects.get(pk=int(found.group(1)))


def case_step(client, case, step, **fields):
    """Post a step's form on a case (classify, pass, handle, feedback, follow-up, archive, void)."""
    page = client.get(f"/cases/{case.pk}/{step}/")
    assert page.status_code == 200, (step, page.status_code)
    return client.post(f"/cases/{case.pk}/{step}/", {**form_fields(page.content.decode()), **fields})
