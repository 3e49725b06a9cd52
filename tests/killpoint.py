"""Run `kiosk ARGS…` and stop it at a named point of its work, for a test to kill it exactly there.

    python3 tests/killpoint.py POINT ARGS…

When the run reaches POINT (in its own process or a sheet worker), that process writes `KILLPOINT POINT`
on stderr and stops itself (SIGSTOP); the test waits for the line and kills the whole process group, or
lets it go on (SIGCONT). No sleeps: the kill lands where the point says, every time. A run that ends
without reaching POINT says so on stderr (`KILLPOINT POINT never reached`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import kiosk.printing.booklet
import kiosk.printing.store
import kiosk.publish.pull
import kiosk.publish.releases
import kiosk.site.build
import kiosk.site.compress

# point -> (object, attribute) to stop in, and whether to stop before or after calling it
POINTS = {
    "stored-pdf": (
        kiosk.printing.store,
        "atomic_write",
        lambda path, *_: str(path).endswith(".json"),
    ),  # PDF kept, facts not
    "assembling": (kiosk.printing.booklet, "AssemblyApart", None),  # every sheet rendered; booklet not put together
    "pages": (kiosk.site.build.Site, "add_pages", None),  # sheets and audio staged; pages not built
    "placing": (kiosk.site.build.Site, "finish", None),  # pages built; sheets and audio not in place
    "compressing": (
        kiosk.site.compress,
        "place",
        lambda source, path, *_: path.name == "index.html.gz",
    ),  # some text files gzipped, not all
    "switching": (kiosk.site.build, "_switch", None),  # the new site complete; the link not switched
    "release-verify": (kiosk.publish.releases, "verify_manifest", None),  # a release built, not renamed into place
    "release-switch": (kiosk.publish.releases, "switch", None),  # the release in place, `live` not switched
    "pruning": (kiosk.publish.releases, "prune", None),  # live switched, old releases not removed (lock held)
    "removing": (
        kiosk.publish.releases.shutil,
        "rmtree",
        lambda path, *_: str(path).endswith(".removing"),
    ),  # mid-prune
    "pull-fetching": (kiosk.publish.pull.Store, "_fetch", None),  # a hall's pull fetching its first file
    "pull-placing": (kiosk.publish.pull.os, "sync", None),  # the pulled release laid out, not renamed into place
    "pull-switch": (kiosk.publish.pull.releases, "switch", None),  # the pulled release in place, not live
}


REACHED = []
ONE = threading.Lock()
HERE = Path(__file__).resolve().parent


def stopped_at(point: str, *args, cwd) -> subprocess.Popen:
    """`kiosk ARGS` run until it reaches `point`, where it stops itself; returned stopped."""
    run = subprocess.Popen(
        [sys.executable, str(HERE / "killpoint.py"), point, *map(str, args)],
        cwd=cwd,
        text=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")]))},
    )
    said = []
    for line in run.stderr:
        said.append(line)
        if line.strip() == f"KILLPOINT {point}":
            return run
    run.wait()
    raise AssertionError(f"{point} was never reached:\n" + "".join(said[-20:]))


def kill(run: subprocess.Popen) -> None:
    os.killpg(run.pid, signal.SIGKILL)  # the run and its workers
    run.wait()
    run.stderr.close()


def stop_at(point: str) -> None:
    holder, name, when = POINTS[point]
    real = getattr(holder, name)

    def stopped(*args, **kwargs):
        if when is None or when(*(args[1:] if isinstance(holder, type) else args)):
            with ONE:  # threads reaching it at once (a pull's fetchers): one says so and stops them all
                REACHED.append(point)
                print(f"KILLPOINT {point}", file=sys.stderr, flush=True)
                os.kill(os.getpid(), signal.SIGSTOP)
        return real(*args, **kwargs)

    setattr(holder, name, stopped)


if __name__ == "__main__":
    stop_at(sys.argv[1])
    from kiosk.cli.main import main

    try:
        main(sys.argv[2:], prog_name="kiosk")
    finally:
        if not REACHED:
            print(f"KILLPOINT {sys.argv[1]} never reached", file=sys.stderr, flush=True)
