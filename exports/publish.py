"""Write every relation of the warehouse's ``exports`` schema as Parquet and as CSV for
Danish Excel (semicolon, decimal comma, UTF-8 with BOM), then a manifest.

Only the ``exports`` schema is ever published: its models aggregate and apply disclosure
control, so person-level rows cannot reach a file. Each file is written next to its final
name and moved into place with an atomic rename, so a reader sees the old file or the new
one, and a failed run leaves the last good files as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import duckdb

EXPORT_SCHEMA = "exports"
_BOM = "\ufeff".encode()


def export_relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name",
        [EXPORT_SCHEMA],
    ).fetchall()
    return [r[0] for r in rows]


def _danish_csv_select(con: duckdb.DuckDBPyConnection, relation: str) -> str:
    """A SELECT rendering decimals with a decimal comma (DuckDB writes '.' only)."""
    columns = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        [EXPORT_SCHEMA, relation],
    ).fetchall()
    parts = []
    for name, data_type in columns:
        if data_type in ("DOUBLE", "FLOAT", "REAL") or data_type.startswith("DECIMAL"):
            parts.append(f'replace(CAST("{name}" AS VARCHAR), \'.\', \',\') AS "{name}"')
        else:
            parts.append(f'"{name}"')
    return f"SELECT {', '.join(parts)} FROM {EXPORT_SCHEMA}.\"{relation}\""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _code_version() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=Path(__file__).parent, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def publish(warehouse_path: str | Path, export_dir: str | Path) -> dict:
    """Publish every export relation; returns the manifest that was written."""
    export_dir = Path(export_dir)
    export_dir.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Path, Path]] = []
    entries = []
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        for relation in export_relations(con):
            rows = con.execute(f'SELECT count(*) FROM {EXPORT_SCHEMA}."{relation}"').fetchone()[0]
            parquet_tmp = export_dir / f".{relation}.parquet.tmp"
            csv_tmp = export_dir / f".{relation}.csv.tmp"
            con.execute(f"COPY {EXPORT_SCHEMA}.\"{relation}\" TO '{parquet_tmp}' (FORMAT parquet)")
            body_tmp = export_dir / f".{relation}.csv.body.tmp"
            con.execute(f"COPY ({_danish_csv_select(con, relation)}) TO '{body_tmp}' (HEADER, DELIMITER ';')")
            with open(csv_tmp, "wb") as out, open(body_tmp, "rb") as body:
                out.write(_BOM)  # Excel needs the BOM to read UTF-8 (æøå)
                out.write(body.read())
            body_tmp.unlink()
            written += [(parquet_tmp, export_dir / f"{relation}.parquet"), (csv_tmp, export_dir / f"{relation}.csv")]
            entries.append({"relation": relation, "rows": rows})
    except Exception:
        for tmp, _ in written:
            tmp.unlink(missing_ok=True)
        raise
    finally:
        con.close()
    for tmp, final in written:
        os.replace(tmp, final)
    for entry in entries:
        for kind in ("parquet", "csv"):
            path = export_dir / f"{entry['relation']}.{kind}"
            entry[f"{kind}_file"] = path.name
            entry[f"{kind}_sha256"] = _sha256(path)
    manifest = {
        "published_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "code_version": _code_version(),
        "tables": entries,
    }
    manifest_tmp = export_dir / ".manifest.json.tmp"
    manifest_tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(manifest_tmp, export_dir / "manifest.json")
    return manifest
