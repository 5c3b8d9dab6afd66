"""python -m bench.run_subset floor|pandas WAREHOUSE OUT.parquet

Computes the indicator subset in a process of its own, so the bench measures its memory
alone, and writes the rows (OUT.parquet) and the computing time without the interpreter's
start-up (OUT.json) for the comparison with the warehouse."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from bench import pandas_peer, stages, subset


def main(argv: list[str]) -> int:
    how, warehouse, out = argv[0], Path(argv[1]), Path(argv[2])
    started = time.perf_counter()
    con = stages.connect(warehouse)
    try:
        frame = subset.floor_frame(con) if how == "floor" else pandas_peer.compute(con)
    finally:
        con.close()
    seconds = time.perf_counter() - started
    frame.to_parquet(out, index=False)
    out.with_suffix(".json").write_text(json.dumps({"compute_seconds": seconds, "rows": len(frame)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
