"""An analyst's process for the refresh-lock tests: opens the warehouse read-only and queries it
until STOP_FILE exists.

    python warehouse_reader.py WAREHOUSE STOP_FILE OUT_JSONL persistent|reconnect SQL

``persistent`` keeps one connection open the whole time (a notebook left open); ``reconnect``
opens a new one for every query. Each query writes its first value, or the error, as a JSON line."""

import json
import sys
import time
from pathlib import Path

import duckdb

warehouse, stop, out, mode, sql = sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
con = duckdb.connect(warehouse, read_only=True) if mode == "persistent" else None
with open(out, "w", encoding="utf-8") as log:
    log.write(json.dumps({"t": time.time(), "opened": True}) + "\n")
    log.flush()
    while not stop.exists():
        try:
            if mode == "persistent":
                value = con.execute(sql).fetchone()[0]
            else:
                fresh = duckdb.connect(warehouse, read_only=True)
                try:
                    value = fresh.execute(sql).fetchone()[0]
                finally:
                    fresh.close()
            log.write(json.dumps({"t": time.time(), "value": str(value)}) + "\n")
        except Exception as error:  # recorded, and the test fails on it
            log.write(json.dumps({"t": time.time(), "error": f"{type(error).__name__}: {error}"}) + "\n")
        log.flush()
        time.sleep(0.2)
