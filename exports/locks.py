"""An exclusive lock file that names its holder: one refresh per warehouse, one publish per
export folder.

The lock is flock(2) on the file, so the kernel releases it when the holding process dies,
however it dies: a lock file left by a killed process is taken over by the next run (which
says so). The file itself holds who took the lock (pid, host, command, since) so a second run
fails at once with a message naming the holder instead of waiting on DuckDB's file lock.
The file descriptor is not inherited by child processes (dbt), so only the holder keeps it.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

# paths this process holds, with a count: a refresh that publishes takes the publish lock once
_held: dict[str, int] = {}


class LockHeld(RuntimeError):
    """Another process holds the lock; the message names it."""


def _holder(text: str) -> dict:
    try:
        info = json.loads(text)
        return info if isinstance(info, dict) else {}
    except ValueError:
        return {}


def describe(info: dict) -> str:
    if not info:
        return "a process that has not yet written its name"
    return (f"pid {info.get('pid')} on {info.get('host')} ({info.get('command')}), "
            f"since {info.get('since')}")


def _alive(info: dict) -> bool:
    if info.get("host") != socket.gethostname():
        return True  # cannot tell; only said in a message
    try:
        os.kill(int(info.get("pid", 0)), 0)
    except (ProcessLookupError, ValueError):
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def hold_lock(path: str | Path, what: str, command: str | None = None,
              say: Callable[[str], None] | None = None) -> Iterator[Path]:
    """Hold the exclusive lock ``path`` for ``what`` (e.g. "a refresh of warehouse.duckdb"), or
    raise LockHeld at once, naming the holder."""
    path = Path(path)
    key = str(path.resolve())
    if _held.get(key):
        _held[key] += 1
        try:
            yield path
        finally:
            _held[key] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            info = _holder(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
            raise LockHeld(f"{what} is already running: the lock {path} is held by {describe(info)}. "
                           "Wait for it to finish; nothing was changed.") from None
        previous = _holder(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
        if previous and say:
            state = "ended" if not _alive(previous) else "released"
            say(f"taking over the lock {path} left by {describe(previous)} (that process has {state})")
        info = {"pid": os.getpid(), "host": socket.gethostname(),
                "command": command or " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
                "since": datetime.now(UTC).isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        os.fsync(fd)
        _held[key] = 1
        try:
            yield path
        finally:
            _held.pop(key, None)
            os.ftruncate(fd, 0)  # released cleanly: nobody to name
    finally:
        os.close(fd)  # closing releases the flock
