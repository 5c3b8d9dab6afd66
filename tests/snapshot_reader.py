"""A reader of the published snapshot, run as its own process by the concurrency test.

    python snapshot_reader.py SNAPSHOT STOP_FILE OUT_JSONL persistent|reconnect

``persistent`` keeps one connection open the whole time (a BI tool); ``reconnect`` opens a new
one for every query. Each query checks every table against the snapshot's own manifest rows
and writes the snapshot id it saw, or the error, as one JSON line."""

import json
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from exports.snapshot import verify_snapshot  # noqa: E402

snapshot, stop, out, mode = sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4]
con = duckdb.connect(snapshot, read_only=True) if mode == "persistent" else None
with open(out, "w", encoding="utf-8") as log:
    while not stop.exists():
        try:
            if mode == "persistent":
                seen = verify_snapshot(con)
            else:
                fresh = duckdb.connect(snapshot, read_only=True)
                try:
                    seen = verify_snapshot(fresh)
                finally:
                    fresh.close()
            log.write(json.dumps({"t": time.time(), "snapshot_id": seen}) + "\n")
        except Exception as error:  # recorded, and the test fails on it
            log.write(json.dumps({"t": time.time(), "error": f"{type(error).__name__}: {error}"}) + "\n")
        log.flush()
        time.sleep(0.1 if mode == "persistent" else 0.25)
