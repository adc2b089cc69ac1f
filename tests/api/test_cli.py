"""The `credit` command: admin commands find the platform's database or refuse in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import Database


def credit(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would, in its own process."""
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATA_DIR")}
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_command_pointed_at_an_empty_data_dir_refuses_and_starts_nothing(tmp_path: Path) -> None:
    # when tenant commands run with a DATA_DIR where no platform runs
    data_dir = tmp_path / "elsewhere"
    env = {"DATA_DIR": str(data_dir)}
    created = credit("tenant", "create", "acme", "--name", "Acme", env=env)
    listed = credit("tenant", "list", env=env)
    # then each says why in one line, with no traceback, and no server was started
    for result in (created, listed):
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert "no platform database is running" in result.stderr
    assert not (data_dir / "pgdata").exists()


def test_a_bad_slug_is_one_line(tmp_path: Path) -> None:
    result = credit("tenant", "create", "Not A Slug", env={"DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert result.stderr.strip() == "credit: slug: a slug is 2-63 lower-case letters, digits and -"


def test_create_list_rename_against_a_running_database(database: Database) -> None:
    env = {"DATABASE_URL": database.owner_url}
    # given a new tenant
    first = credit("tenant", "create", "north-star", "--name", "North Star", env=env)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["created"] is True
    # when it is created again with another name, that is refused (rename is the verb)
    clash = credit("tenant", "create", "north-star", "--name", "Other", env=env)
    assert clash.returncode == 1 and "credit tenant rename" in clash.stderr
    # and the same create again is idempotent
    again = credit("tenant", "create", "north-star", "--name", "North Star", env=env)
    assert json.loads(again.stdout)["created"] is False
    # then rename and list show the new name
    renamed = credit("tenant", "rename", "north-star", "--name", "北极星贸易", env=env)
    assert renamed.returncode == 0, renamed.stderr
    listing = [json.loads(line) for line in credit("tenant", "list", env=env).stdout.splitlines()]
    assert {"slug": "north-star", "name": "北极星贸易"}.items() <= next(
        t for t in listing if t["slug"] == "north-star"
    ).items()
    assert database.query("SELECT name FROM tenants WHERE slug = 'north-star'") == [("北极星贸易",)]
    missing = credit("tenant", "rename", "nobody", "--name", "X", env=env)
    assert missing.returncode == 1 and "no tenant 'nobody'" in missing.stderr


def test_backup_and_restore_round_trip(database: Database, tmp_path: Path) -> None:
    env = {"DATABASE_URL": database.owner_url}
    # given a tenant, backed up
    assert credit("tenant", "create", "saved-one", "--name", "Saved", env=env).returncode == 0
    dump = tmp_path / "credit.dump"
    made = credit("backup", str(dump), env=env)
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["bytes"] > 0
    # when the tenant is renamed and then the backup restored
    credit("tenant", "rename", "saved-one", "--name", "Changed", env=env)
    restored = credit("restore", str(dump), env=env)
    # then the database is as it was, row-level security included
    assert restored.returncode == 0, restored.stderr
    assert database.query("SELECT name FROM tenants WHERE slug = 'saved-one'") == [("Saved",)]
    assert database.query(
        "SELECT relforcerowsecurity FROM pg_class WHERE relname = 'customers'"
    ) == [(True,)]
    missing = credit("restore", str(tmp_path / "none.dump"), env=env)
    assert missing.returncode == 2 and "no backup at" in missing.stderr
