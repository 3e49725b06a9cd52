"""One desk server per data folder, and who holds a file or a port.

`kiosk desk serve` takes an exclusive flock(2) on KIOSK_DESK_DATA/serve.lock before gunicorn starts and
keeps it open for the server's lifetime: gunicorn's master is that process, and its workers share the
open file (fork keeps it). The kernel releases the lock when the last of them is gone, however it ends
(Ctrl+C, kill -9, a power cut), so there is never a stale lock, unlike a pid file naming a dead process.
`kiosk desk restore` and `init` take the same lock while they run and refuse while anything holds it,
including workers a master killed with kill -9 left behind (they follow it within 2 s: see server.py).
The pid file gunicorn writes (serve.pid) stays for people to read; nothing decides on it.

Who holds a file or a listening port is read from /proc (Linux; elsewhere the answer is just empty).
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = "serve.lock"


class Held(Exception):
    """Another process holds the data folder; `pids` are the processes seen holding it (maybe none)."""

    def __init__(self, path: Path, pids: list[int]):
        self.path, self.pids = path, pids
        super().__init__(str(path))


def acquire(folder: Path, wait: float = 0.0) -> int:
    """Take the data folder's lock, waiting up to `wait` seconds; the open file that holds it (close it to
    let go). Raises Held when another process keeps it."""
    path = Path(folder) / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise Held(path, file_holders(path)) from None
            time.sleep(0.1)
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())  # for people to read; the lock itself is what counts
    return fd


@contextmanager
def exclusive(folder: Path):
    """Hold the data folder's lock for the duration of a `with` block (restore, init)."""
    fd = acquire(folder)
    try:
        yield
    finally:
        os.close(fd)


def who(pids: list[int]) -> str:
    """The processes holding the data folder or a port, for a message: the first (a server's master comes
    first, with the lowest pid) and how many."""
    from kiosk.problems import message

    if not pids:
        return message("desk_lock_someone")
    first = message("desk_lock_process", pid=pids[0], command=describe(pids[0]))
    return first if len(pids) == 1 else message("desk_lock_more", first=first, count=len(pids))


def describe(pid: int) -> str:
    """A process's command line, shortened for a message (`kiosk desk serve …`, not python's path)."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace").split("\0")
    except OSError:
        return "?"
    args = [a for a in args if a]
    if len(args) > 1 and os.path.basename(args[0]).startswith("python"):
        args = args[2:] if args[1] == "-m" else args[1:]
    if not args:
        return "?"
    text = " ".join([os.path.basename(args[0]), *args[1:]])
    return text if len(text) <= 100 else text[:97] + "..."


def file_holders(path: Path) -> list[int]:
    """The processes with `path` open."""
    try:
        st = os.stat(path)
    except OSError:
        return []
    return _processes_with(lambda link, fd: link.startswith("/") and _same_file(fd, st))


def port_holders(port: int) -> list[int]:
    """The processes with a TCP socket listening on `port` (any address, IPv4 or IPv6)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{fields[9]}]")
    return _processes_with(lambda link, fd: link in inodes) if inodes else []


def _same_file(fd_path: str, st: os.stat_result) -> bool:
    try:
        other = os.stat(fd_path)
    except OSError:
        return False
    return (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino)


def _processes_with(match) -> list[int]:
    out = []
    try:
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return []
    for pid in sorted(pids):
        if pid == os.getpid():
            continue
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:  # gone, or another account's
            continue
        for fd in fds:
            path = f"/proc/{pid}/fd/{fd}"
            try:
                link = os.readlink(path)
            except OSError:
                continue
            if match(link, path):
                out.append(pid)
                break
    return out
