"""Peak memory of a process tree, sampled from /proc.

ru_maxrss only gives the largest single process; a refresh is this process plus dbt (a
subprocess) plus DuckDB's threads, so the bench sums the resident set of the whole tree
every 50 ms and keeps the maximum. Linux only (the machine the figures are for)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name may contain spaces and parentheses: split after the last ')'
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def tree_rss_bytes(root: int) -> int:
    children = _children_map()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except OSError:
            pass
        stack.extend(children.get(pid, ()))
    return total


class PeakMemory:
    """with PeakMemory(pid) as peak: ...; peak.mib -> the tree's peak resident memory."""

    def __init__(self, root: int | None = None, interval: float = 0.05):
        self.root = root or os.getpid()
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_bytes(self.root))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, tree_rss_bytes(self.root))

    @property
    def mib(self) -> float:
        return self.peak / 2**20


def run_child(cmd: list[str], log: Path | None = None, env: dict | None = None,
              timeout: float | None = None) -> tuple[int | None, float, float]:
    """Run a command, sampling its process tree: (return code, seconds, peak MiB). After
    ``timeout`` seconds the command is killed and the return code is None."""
    import subprocess

    out = open(log, "w") if log else subprocess.DEVNULL
    try:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        with PeakMemory(proc.pid) as peak:
            try:
                code = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()  # only the child we started; DuckDB's threads go with it
                proc.wait()
                code = None
        return code, time.perf_counter() - started, peak.mib
    finally:
        if log:
            out.close()
