"""The embedded server sizes its buffer cache for the machine (dbschema/embedded.py)."""

from __future__ import annotations

import psycopg

from dbschema import embedded


def test_buffer_cache_is_an_eighth_of_memory_within_bounds():
    assert embedded.shared_buffers_mb(512) == 128  # never below PostgreSQL's default
    assert embedded.shared_buffers_mb(4096) == 512
    assert embedded.shared_buffers_mb(64 * 1024) == embedded.MAX_SHARED_BUFFERS_MB
    assert 0 < embedded._memory_mb() < 2**30  # the machine's or its container's, in MB


def _written(conn: psycopg.Connection) -> list[tuple[str, ...]]:
    return conn.execute(
        "SELECT setting FROM pg_file_settings WHERE name = 'shared_buffers' "
        "AND sourcefile LIKE '%postgresql.auto.conf'"
    ).fetchall()


def test_the_size_is_written_once_and_an_operators_own_is_kept(pg_server: str):
    admin = embedded.url_for(pg_server, "postgres", "postgres")
    wanted = f"{embedded.shared_buffers_mb(embedded._memory_mb())}MB"
    with psycopg.connect(admin, autocommit=True) as conn:
        # the test server's start wrote it, for its next start
        assert _written(conn) == [(wanted,)]
        # an operator's own value (not the one written) is never overwritten
        conn.execute("ALTER SYSTEM SET shared_buffers = '200MB'")
        try:
            assert embedded._configure(admin) is True  # it runs with another size than set
            assert _written(conn) == [("200MB",)]
        finally:
            conn.execute(f"ALTER SYSTEM SET shared_buffers = '{wanted}'")
