"""The embedded server sizes its buffer cache for the machine (dbschema/embedded.py)."""

from __future__ import annotations

import psycopg

from dbschema import embedded


def test_buffer_cache_is_an_eighth_of_memory_within_bounds():
    assert embedded.shared_buffers_mb(512) == 128  # never below PostgreSQL's default
    assert embedded.shared_buffers_mb(4096) == 512
    assert embedded.shared_buffers_mb(64 * 1024) == embedded.MAX_SHARED_BUFFERS_MB


def test_the_test_server_has_its_size_written_for_its_next_start(pg_server: str):
    wanted = embedded.shared_buffers_mb(embedded._memory_mb())
    with psycopg.connect(embedded.url_for(pg_server, "postgres", "postgres")) as conn:
        written = conn.execute(
            "SELECT setting FROM pg_file_settings WHERE name = 'shared_buffers' "
            "AND sourcefile LIKE '%postgresql.auto.conf'"
        ).fetchall()
        (running,) = conn.execute(
            "SELECT setting::bigint * 8 / 1024 FROM pg_settings WHERE name = 'shared_buffers'"
        ).fetchone()
    # written once the server was found running with another size, or already in use
    assert written == [(f"{wanted}MB",)] or running == wanted
