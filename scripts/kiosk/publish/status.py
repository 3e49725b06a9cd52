"""What each hall shows, told to the county: the hall's own record after every pull, signed by the hall.

    hall:   DIR/status.json                      township, live release, version, sequence, since when, the
                                                 last pull and its error (kept whatever the pull did)
    county: COUNTY/<township>/hall.pub           the hall's public key, installed by the county once
            COUNTY/<township>/hall-status.json   the hall's last report: {"status", "key", "signature"}

After each pull (`kiosk pull --hall-key`), the hall signs its record and delivers it to its township's folder
at the county: written there when the county's folder is a folder, POSTed to `<township URL>hall-status.json`
when it is a URL (`kiosk county-server` takes it). The county checks the signature against that township's
`hall.pub`, so a hall can only ever speak for its own township, and refuses a report older than the one it
holds. A report says nothing of any person; it is the same whichever way it travels.
"""

from __future__ import annotations

import datetime
import json
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ..exceptions import PublishError, ReportRefused
from ..problems import message
from . import releases, signing

HALL_STATUS = "status.json"  # in the hall's folder
REPORT = "hall-status.json"  # in the township's folder at the county
HALL_KEY = "hall.pub"
SILENT = datetime.timedelta(days=1)  # a hall not heard from for longer is marked silent
REPORT_MAX = 64 * 1024


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def record(to: Path, error: str | None, at: datetime.datetime | None = None, reached: bool = True) -> dict:
    """Write the hall's record after a pull (`error`: what stopped it, in Chinese; `reached`: whether the
    county answered at all) and return it."""
    at = (at or now()).isoformat()
    path = Path(to) / HALL_STATUS
    path.parent.mkdir(parents=True, exist_ok=True)
    old = read_json(path) or {}
    live = releases.live_release(to)
    shown = releases.read_manifest(live) if live is not None else {}
    status = {
        "township": shown.get("township") or old.get("township"),
        "center_name": shown.get("center_name") or old.get("center_name"),
        "release": live.name if live is not None else None,
        "catalogue_version": shown.get("catalogue_version"),
        "sequence": shown.get("sequence"),
        "live_since": old.get("live_since") if live is not None and old.get("release") == live.name else at,
        "last_pull": at,
        "last_contact": at if reached else old.get("last_contact"),
        "last_ok": at if error is None else old.get("last_ok"),
        "last_error": error,
        "report": (old.get("report") or 0) + 1 if isinstance(old.get("report"), int) else 1,  # only grows
    }
    if live is None:
        status["live_since"] = None
    releases.atomic_text(path, json.dumps(status, ensure_ascii=False, indent=2) + "\n")
    return status


def signed(status: dict, key: signing.Ed25519PrivateKey) -> bytes:
    """The report of `status`, signed by the hall's key."""
    return (
        json.dumps(
            {
                "status": status,
                "key": signing.fingerprint(key),
                "signature": signing.sign(key, canonical(status)).decode(),
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    ).encode("utf-8")


def canonical(status: dict) -> bytes:
    return json.dumps(status, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def deliver(report: bytes, target: str, ca: Path | None = None) -> None:
    """Hand a signed report to the township's folder at the county: a folder, or its URL (POST)."""
    parsed = urllib.parse.urlsplit(target)
    if parsed.scheme in ("http", "https"):
        url = (target if target.endswith("/") else target + "/") + REPORT
        request = urllib.request.Request(url, data=report, method="POST")
        request.add_header("Content-Type", "application/json")
        try:
            from .pull import tls_context

            with urllib.request.urlopen(request, timeout=30, context=tls_context(ca)) as answer:
                answer.read()
        except urllib.error.HTTPError as e:
            said = e.read(2000).decode("utf-8", "replace")
            raise PublishError(message("report_refused", status=e.code, detail=_said(said))) from e
        except OSError as e:
            raise PublishError(message("report_unreachable", target=target, detail=getattr(e, "reason", e))) from e
        return
    folder = Path(parsed.path if parsed.scheme == "file" else target)
    try:
        releases.atomic_text(folder / REPORT, report.decode("utf-8"))
    except OSError as e:
        raise PublishError(message("report_unreachable", target=target, detail=e.strerror or e)) from e


def _said(body: str) -> str:
    try:
        return json.loads(body)["error"]
    except (ValueError, KeyError, TypeError):
        return body[:200]


# ---------------------------------------------------------------- the county side


def accept(folder: Path, township: str, body: bytes, at: datetime.datetime | None = None) -> None:
    """Take a hall's report for `township` (the county's publish folder `folder`), or refuse it with a
    PublishError: not this township's hall, not newer than the report held."""
    status = verify(folder / township, body)
    held = read_json(folder / township / REPORT)
    if isinstance(held, dict) and isinstance(held.get("status"), dict) and not newer(status, held["status"]):
        raise ReportRefused("report_older")
    releases.atomic_text(folder / township / REPORT, body.decode("utf-8"))


def newer(status: dict, held: dict) -> bool:
    """Whether a report is newer than the one held: its count is higher (a hall whose clock went back), or
    its time is later (a hall set up again, counting from 1). An old report replayed is neither."""
    count, held_count = status.get("report"), held.get("report")
    if isinstance(count, int) and isinstance(held_count, int) and count > held_count:
        return True
    later, held_time = _time(status.get("last_pull")), _time(held.get("last_pull"))
    return later is not None and (held_time is None or later > held_time)


def verify(township_folder: Path, body: bytes) -> dict:
    """The status in a report, if the township's own hall signed it for that township; else PublishError."""
    if len(body) > REPORT_MAX:
        raise ReportRefused("report_garbage")
    try:
        report = json.loads(body.decode("utf-8"))
        status, signature = report["status"], report["signature"].encode()
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        raise ReportRefused("report_garbage") from None
    if not isinstance(status, dict):
        raise ReportRefused("report_garbage")
    keyfile = township_folder / HALL_KEY
    if not keyfile.is_file():
        raise ReportRefused("report_no_key", path=keyfile)
    key = signing.load_public(keyfile)
    if status.get("township") != township_folder.name or not signing.verifies(key, canonical(status), signature):
        raise ReportRefused("report_not_theirs", township=township_folder.name)
    return status


@dataclass
class Hall:
    township: str
    latest: dict  # the county's latest.json
    status: dict | None  # what the hall reported, verified
    problem: str | None  # why there is no verified report
    state: str  # up_to_date | behind | silent | unknown

    @property
    def row(self) -> dict:
        s = self.status or {}
        return {
            "township": self.township,
            "center_name": self.latest.get("center_name") or s.get("center_name"),
            "county_release": self.latest.get("release"),
            "county_sequence": self.latest.get("sequence"),
            "hall_release": s.get("release"),
            "hall_version": s.get("catalogue_version"),
            "hall_sequence": s.get("sequence"),
            "since": s.get("live_since"),
            "last_contact": s.get("last_contact"),
            "last_error": s.get("last_error"),
            "state": self.state,
            "problem": self.problem,
        }


def halls(folder: Path, at: datetime.datetime | None = None) -> list[Hall]:
    """Every township published under `folder` (or `folder` itself, one township's), with what its hall said."""
    at = at or now()
    folder = Path(folder)
    if (folder / releases.LATEST).is_file():
        places = [folder]
    else:
        places = sorted(p for p in folder.iterdir() if (p / releases.LATEST).is_file()) if folder.is_dir() else []
    found = []
    for place in places:
        latest = read_json(place / releases.LATEST) or {}
        status, problem = None, None
        if (place / REPORT).is_file():
            try:
                status = verify(place, (place / REPORT).read_bytes())
            except PublishError as e:
                problem = str(e)
        else:
            problem = message("status_no_report")
        found.append(Hall(place.name, latest, status, problem, _state(latest, status, at)))
    return found


def _state(latest: dict, status: dict | None, at: datetime.datetime) -> str:
    if status is None:
        return "unknown"
    contact = _time(status.get("last_contact"))
    if contact is None or at - contact > SILENT:
        return "silent"
    if (status.get("sequence") or 0) < (latest.get("sequence") or 0):
        return "behind"
    return "up_to_date"


def _time(text) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def read_json(path: Path):
    try:
        return json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError):
        return None


def local(text: str | None) -> str:
    """A recorded time as the county reads it: Beijing time to the minute."""
    t = _time(text)
    if t is None:
        return "—"
    return t.astimezone(datetime.timezone(datetime.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")


def wording() -> dict:
    """What the county's page and `kiosk status` say of a hall: its state and times, worded once."""
    return {"state_label": lambda state: message(f"hall_{state}"), "local": local}
