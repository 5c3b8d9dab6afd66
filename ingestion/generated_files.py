"""Files the repository commits but a generator writes (the contract's document and dbt sources,
the indicator registry's model lists and page): one way to rewrite them or, with --check, to
name the stale ones, so a generator is its renderer plus one call."""

from __future__ import annotations

from pathlib import Path


def sync(files: dict[Path, str], command: str, check: bool) -> int:
    """Write each file whose text differs from ``files`` (exit status 0), or with ``check`` only
    name them, saying how to regenerate (exit status 1 when any is stale)."""
    stale = [path for path, text in files.items() if not path.exists() or path.read_text(encoding="utf-8") != text]
    if check:
        for path in stale:
            print(f"{path} differs from what `{command}` writes; regenerate with it")
        return 1 if stale else 0
    for path in stale:
        path.write_text(files[path], encoding="utf-8")
        print(f"wrote {path}")
    return 0
