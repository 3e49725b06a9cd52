"""The desk's benchmark (`kiosk bench --desk`, or `python3 -m kiosk_bench.desk`): saves per second and the
latency of a save and of the home screen, with N records already in the database and C clients at once on
loopback, on SQLite and on PostgreSQL; and the time to print the 补正 notice.

For each database it makes a fresh desk in a temporary folder (`kiosk desk init`, staff s01 … s12 of the
sample's 大合坪乡), fills it with N records of that township (received over the last three years; most
finished, some voided or refused, the rest in progress with due dates around today, so every list of the
home screen has something: 93 % finished, 1 % voided, 1.5 % refused, 2.5 % accepted in the last 40 days and due
28 days later (so some are overdue, some due today, some soon), 2 % waiting for materials; inserted in bulk,
without history rows or printed documents), starts
`kiosk desk serve` (gunicorn, W workers) and then measures, each for S seconds after a warm-up:

    save     C clients, each logged in as its own window staff member, take in applications (an intake with
             missing materials: the record, its number, its history row and its 补正 notice's HTML, in one
             transaction): flat out (each sends the next as soon as it has the answer: the most the desk can
             do), then paced (each waits P seconds on average between two, as people at windows do, and far
             more often than they do)
    home     C clients load the home screen of the center head (every record of the township: the counts and
             the lists of what is due, the table per window), flat out, then paced
    pdf      one client opens the 补正 notice PDF of a record, again and again (WeasyPrint renders it each time)

The clients run in this process (threads on raw HTTP connections), on the same two cores as the server: the
numbers include the load generator's cost.

With `ledger` (`kiosk bench --desk --ledger`) it fills N 办不成事 cases and N/10 complaints instead (bench_fill
--cases) and times, for the center head, the 跟踪台账 (all, and overdue only) and the month's report on screen
and as xlsx.

Nothing here asserts a time; the README's table is read by a
person against the issue's targets (save p95 ≤ 50 ms, home ≤ 200 ms at 100,000 records, PDF ≤ 1 s).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from .desk_http import MATTER, PASSWORD, TOWNSHIP, Client, _free_port, _load, _p, _pg_database, _today, _wait


@contextlib.contextmanager
def _desk(database: str, records: int, workers: int, pg_admin: str | None, say, fill: tuple[str, ...] = ()):
    """A fresh desk filled with `records` (bench_fill, with `fill`'s options), served; yields its port."""
    root = Path(tempfile.mkdtemp(prefix=f"desk-bench-{database}-"))
    catalogue = Path(__file__).resolve().parents[3] / "matters"
    env = {
        **os.environ,
        "KIOSK_DESK_DATA": str(root / "desk-data"),
        "KIOSK_DESK_CATALOGUE": str(catalogue),
        "DJANGO_SETTINGS_MODULE": "kiosk.desk.settings",
        "KIOSK_DESK_TOWNSHIPS": TOWNSHIP,
    }
    env.pop("DATABASE_URL", None)
    env.pop("KIOSK_DESK_PAUSE", None)
    if database == "postgresql":
        env["DATABASE_URL"] = _pg_database(pg_admin, f"desk_bench_{os.getpid()}")
    kiosk = [sys.executable, "-m", "kiosk", "desk"]
    server = None
    try:
        subprocess.run(kiosk + ["init"], env=env, cwd=root, check=True, capture_output=True)
        staff = [f"s{n:02d}" for n in range(1, 13)]
        for sid in staff:
            role = "head" if sid == "s01" else "window"
            subprocess.run(
                kiosk + ["user", "add", sid, "--role", role, "--password-stdin"],
                env=env,
                cwd=root,
                input=PASSWORD + "\n",
                text=True,
                check=True,
                capture_output=True,
            )
        say(f"{database}: {records} records …")
        started = time.monotonic()
        filled = subprocess.run(
            [sys.executable, "-m", "kiosk_bench.desk_fill", str(records), *fill],
            env=env,
            cwd=root,
            check=True,
            capture_output=True,
            text=True,
        )
        say(f"{database}: {filled.stdout.strip()} records in {time.monotonic() - started:.0f} s; serving …")
        port = _free_port()
        log = open(root / "serve.log", "w")
        server = subprocess.Popen(
            kiosk + ["serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
            env=env,
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wait(port, server, root / "serve.log")
        yield port
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)


def measure(
    database: str,
    records: int,
    clients: int,
    seconds: float,
    workers: int,
    pg_admin: str | None,
    say=print,
    pace: float = 1.0,
) -> dict:
    """One row of the table: `database` is "sqlite" or "postgresql" (on the server `pg_admin`)."""
    staff = [f"s{n:02d}" for n in range(1, 13)]
    with _desk(database, records, workers, pg_admin, say) as port:
        people = [Client(port) for _ in range(clients)]
        for person, sid in zip(people, staff[1:] * clients):
            person.login(sid)
        forms = [p.intake_form() for p in people]

        def save(person):
            form = forms[people.index(person)]
            data = {
                **form,
                "token": str(uuid.uuid4()),
                "applicant": "测速",
                "received": _today(),
                "brought": ["1"],
                "action": "auto",
            }
            status, _, _, took = person.request("POST", f"/intake/{MATTER}/", data)
            if status != 302:
                raise RuntimeError(f"a save failed ({status})")
            return took

        say(f"{database}: saves, {clients} clients flat out, {seconds:.0f} s …")
        saves, span = _load(people, save, seconds, warmup=3)
        say(f"{database}: saves, {clients} clients at one every {pace:g} s each, {seconds:.0f} s …")
        paced_saves, _ = _load(people, save, seconds, warmup=2, pace=pace)

        head = [Client(port) for _ in range(clients)]
        for person in head:
            person.login("s01")

        def home(person):
            status, _, _, took = person.request("GET", "/")
            if status != 200:
                raise RuntimeError(f"the home screen failed ({status})")
            return took

        say(f"{database}: home screen, {clients} clients flat out, {seconds:.0f} s …")
        homes, _ = _load(head, home, seconds, warmup=3)
        say(f"{database}: home screen, {clients} clients at one every {pace:g} s each, {seconds:.0f} s …")
        paced_homes, _ = _load(head, home, seconds, warmup=2, pace=pace)

        say(f"{database}: the 补正 notice PDF …")
        status, headers, _, _ = people[0].request(
            "POST",
            f"/intake/{MATTER}/",
            {
                **forms[0],
                "token": str(uuid.uuid4()),
                "applicant": "测速",
                "received": _today(),
                "brought": ["1"],
                "action": "auto",
            },
        )
        _, _, page, _ = people[0].request("GET", urlsplit(headers["Location"]).path)
        document = re.search(rb'href="(/records/\d+/documents/\d+\.pdf)"', page).group(1).decode()
        pdfs = []
        for _ in range(15):
            status, _, body, took = people[0].request("GET", document)
            assert status == 200 and body.startswith(b"%PDF")
            pdfs.append(took)
        pdfs = pdfs[3:]
        return {
            "database": database,
            "records": records,
            "clients": clients,
            "workers": workers,
            "seconds": span,
            "saves": len(saves),
            "saves_per_s": round(len(saves) / span, 1),
            "save_p50_ms": round(_p(saves, 0.5), 1),
            "save_p95_ms": round(_p(saves, 0.95), 1),
            "home_per_s": round(len(homes) / span, 1),
            "home_p50_ms": round(_p(homes, 0.5), 1),
            "home_p95_ms": round(_p(homes, 0.95), 1),
            "pace_s": pace,
            "paced_saves": len(paced_saves),
            "paced_save_p50_ms": round(_p(paced_saves, 0.5), 1),
            "paced_save_p95_ms": round(_p(paced_saves, 0.95), 1),
            "paced_home_p50_ms": round(_p(paced_homes, 0.5), 1),
            "paced_home_p95_ms": round(_p(paced_homes, 0.95), 1),
            "pdf_p50_ms": round(_p(pdfs, 0.5), 1),
            "pdf_p95_ms": round(_p(pdfs, 0.95), 1),
        }


LEDGER_PAGES = {
    "ledger": "/ledger/",
    "ledger_overdue": "/ledger/?overdue=1",
    "report": "/reports/?month={month}",
    "report_xlsx": "/reports/report.xlsx?month={month}",
}


def measure_ledger(database: str, cases: int, pg_admin: str | None, say=print, reps: int = 12) -> dict:
    """The 跟踪台账 and the monthly report of the center head with `cases` 办不成事 cases in the database: each
    page `reps` times by one client (the first two not counted), p50 and p95 in ms."""
    with _desk(database, cases, 2, pg_admin, say, fill=("--cases",)) as port:
        head = Client(port)
        head.login("s01")
        month = _today()[:7]
        row = {"database": database, "cases": cases}
        for name, path in LEDGER_PAGES.items():
            say(f"{database}: {path.format(month=month)} …")
            took = []
            for _ in range(reps):
                status, _, _, t = head.request("GET", path.format(month=month))
                if status != 200:
                    raise RuntimeError(f"{path} failed ({status})")
                took.append(t)
            row[f"{name}_p50_ms"], row[f"{name}_p95_ms"] = round(_p(took[2:], 0.5), 1), round(_p(took[2:], 0.95), 1)
        return row


def bench(
    records: int = 100_000,
    clients: int = 10,
    seconds: float = 20,
    workers: int = 3,
    pg_admin: str | None = None,
    out: Path | None = None,
    say=print,
    pace: float = 1.0,
    ledger: bool = False,
) -> list[dict]:
    """Every row: SQLite, and PostgreSQL when `pg_admin` (a URL of a server the bench may create a database
    on) is given. Prints the table; writes the rows as JSON to `out`. `ledger`: the 跟踪台账 and the monthly
    report with `records` 办不成事 cases instead (measure_ledger)."""
    databases = [("sqlite", None)] + ([("postgresql", pg_admin)] if pg_admin else [])
    if not pg_admin:
        say("PostgreSQL skipped: give --pg postgresql:///postgres?host=/socket/dir&user=postgres")
    if ledger:
        rows = [measure_ledger(name, records, admin, say) for name, admin in databases]
        say(ledger_table(rows))
    else:
        rows = [measure(name, records, clients, seconds, workers, admin, say, pace) for name, admin in databases]
        say(table(rows))
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return rows


def table(rows: list[dict]) -> str:
    head = (
        "| database | records | clients | saves/s flat out | save p50/p95 ms flat out | save p50/p95 ms paced | "
        "home/s flat out | home p50/p95 ms flat out | home p50/p95 ms paced | PDF p50/p95 ms |\n"
        "|---|---|---|---|---|---|---|---|---|---|"
    )
    lines = [
        f"| {r['database']} | {r['records']} | {r['clients']} | {r['saves_per_s']} | "
        f"{r['save_p50_ms']} / {r['save_p95_ms']} | {r['paced_save_p50_ms']} / {r['paced_save_p95_ms']} | "
        f"{r['home_per_s']} | {r['home_p50_ms']} / {r['home_p95_ms']} | "
        f"{r['paced_home_p50_ms']} / {r['paced_home_p95_ms']} | {r['pdf_p50_ms']} / {r['pdf_p95_ms']} |"
        for r in rows
    ]
    return "\n".join([head, *lines])


def ledger_table(rows: list[dict]) -> str:
    head = (
        "| database | cases | "
        + " | ".join(f"{n} p50/p95 ms" for n in LEDGER_PAGES)
        + " |\n|"
        + "---|" * (2 + len(LEDGER_PAGES))
    )
    return "\n".join(
        [
            head,
            *(
                f"| {r['database']} | {r['cases']} | "
                + " | ".join(f"{r[n + '_p50_ms']} / {r[n + '_p95_ms']}" for n in LEDGER_PAGES)
                + " |"
                for r in rows
            ),
        ]
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="kiosk desk benchmark")
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--pace", type=float, default=1.0, help="seconds between two requests of one client, paced")
    parser.add_argument("--pg", default=os.environ.get("KIOSK_DESK_TEST_POSTGRES") or None)
    parser.add_argument("--out", type=Path, default=Path("build/bench-desk.json"))
    a = parser.parse_args(argv)
    bench(
        a.records,
        a.clients,
        a.seconds,
        a.workers,
        a.pg,
        a.out,
        say=lambda s: print(s, file=sys.stderr, flush=True),
        pace=a.pace,
    )


if __name__ == "__main__":
    main()
