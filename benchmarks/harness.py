"""Shared bench plumbing: an embedded database, seeded tenants, a server subprocess."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
from psycopg import sql

from api.auth import issue_dev_token
from dbschema import embedded
from dbschema.provision import alembic_config, ensure_database, migrate, with_user
from infra.settings import load
from infra.tenants import create_tenant

ROOT = Path(__file__).resolve().parents[1]
#: The bench server's data: the checkout's .bench unless BENCH_DIR names another, so two
#: checkouts measured against each other share one server and its kept seeded databases.
WORK = Path(os.environ.get("BENCH_DIR") or ROOT / ".bench")


@dataclass
class Bench:
    """A migrated bench database with a tenant."""

    owner_url: str
    app_url: str
    tenant_slug: str
    tenant_id: str

    def token(self, roles: list[str] | None = None) -> str:
        """A development token for the bench tenant."""
        return issue_dev_token(load(), self.tenant_slug, roles or ["credit_manager"], "bench", 7200)

    def env(self) -> dict[str, str]:
        """Environment for a server or worker process on this database."""
        return {
            **os.environ,
            "APP_ENV": "development",
            "DATABASE_URL": self.owner_url,
            "APP_DATABASE_URL": self.app_url,
            "LOG_LEVEL": "WARNING",
        }

    def sql(self, statement: str, *params: object) -> list[tuple[object, ...]]:
        """Run SQL as the owner."""
        with psycopg.connect(self.owner_url, autocommit=True) as conn:
            cur = conn.execute(statement, params)  # type: ignore[arg-type]
            return cur.fetchall() if cur.description else []


def raise_nofile() -> None:
    """Many WebSockets need many descriptors: lift the soft limit to the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    del soft


#: The bench tenant may spend without limit: a benchmark measures work, not the throttle
#: (the cost analysis itself still runs on every request).
UNLIMITED = {"apiLimits": {"maxCost": 10**9, "bucketSize": 10**9, "restoreRate": 10**9}}
#: Every database a benchmark creates; a leftover one is dropped before any timing starts,
#: since autovacuum working through a million leftover rows skews the small benchmarks.
DATABASES = ("bench", "bench_receivables", "bench_credit", "bench_warnings")


@contextlib.contextmanager
def database(
    name: str = "bench", slug: str = "bench", fresh_server: bool = True
) -> Iterator[Bench]:
    """Start the embedded server, (re)create a database, migrate it, add a tenant."""
    uri = embedded.start(WORK, apply_settings=True)
    admin = embedded.url_for(uri, "postgres", "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        for other in DATABASES if fresh_server else (name,):
            conn.execute(f"DROP DATABASE IF EXISTS {other} WITH (FORCE)")
    owner = embedded.url_for(uri, name, "postgres")
    ensure_database(owner)
    migrate(owner, "credit_app")
    tenant_id, _ = create_tenant(owner, slug, "Bench Tenant", UNLIMITED)
    settle(admin)
    try:
        yield Bench(owner, with_user(owner, "credit_app", None), slug, tenant_id)
    finally:
        embedded.stop(WORK)


def settle(admin: str) -> None:
    """Write out what setting up wrote before anything is timed: a restored copy is gigabytes
    the kernel holds dirty and writes back 30 s later (vm.dirty_expire_centisecs), in the
    middle of a run, where every commit's fsync queued behind it (whole seconds of the credit
    check's run over its floor, p99 2 s)."""
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("CHECKPOINT")
    os.sync()


def head_revision() -> str:
    """The migration head of this checkout: a kept seeded database is kept per schema."""
    from alembic.script import ScriptDirectory

    config = alembic_config("postgresql://", "credit_app")
    return str(ScriptDirectory.from_config(config).get_current_head())


@contextlib.contextmanager
def kept_database(
    name: str, slug: str, seed: Callable[[Bench], dict[str, object]], reseed: bool = False
) -> Iterator[tuple[Bench, dict[str, object]]]:
    """`name` restored from a seeded copy the server keeps between runs (seeded and copied
    the first time, or when `reseed`): every run starts from the same rows in seconds rather
    than minutes. The copy is kept per migration head (`<name>_seeded_<head>`), so a branch
    with a new migration seeds its own; the seed's figures are the copy's comment."""
    uri = embedded.start(WORK, apply_settings=True)
    admin = embedded.url_for(uri, "postgres", "postgres")
    owner = embedded.url_for(uri, name, "postgres")
    copy = f"{name}_seeded_{head_revision()}"
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            if reseed:
                conn.execute(f"DROP DATABASE IF EXISTS {copy} WITH (FORCE)")
            kept = conn.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                (copy,),
            ).fetchone()
            if kept is not None:
                conn.execute(f"CREATE DATABASE {name} TEMPLATE {copy} STRATEGY FILE_COPY")
        if kept is None:
            ensure_database(owner)
        migrate(owner, "credit_app")
        tenant_id, _ = create_tenant(owner, slug, "Bench Tenant", UNLIMITED)
        bench = Bench(owner, with_user(owner, "credit_app", None), slug, tenant_id)
        if kept is None:
            figures = seed(bench)
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {copy} TEMPLATE {name} STRATEGY FILE_COPY")
                conn.execute(
                    sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                        sql.Identifier(copy), sql.Literal(json.dumps(figures))
                    )
                )
        else:
            figures = json.loads(kept[0] or "{}")
        settle(admin)
        yield bench, figures
    finally:
        embedded.stop(WORK)


def free_port() -> int:
    """An unused loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def server(bench: Bench, workers: int = 1, **settings: str) -> Iterator[str]:
    """`credit serve` (one uvicorn worker unless told) as a subprocess; yields its base URL.

    `settings` are extra environment variables (e.g. COST_ANALYSIS="0") for an A/B measurement.
    """
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env={**bench.env(), **settings},
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    PIDS[url] = proc.pid
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        PIDS.pop(url, None)
        stop_group(proc)


#: The process behind each running server's URL (for CPU accounting and profiles).
PIDS: dict[str, int] = {}


def cpu_seconds(pid: int) -> float:
    """User plus system CPU a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_healthy(url: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    """Wait until a server answers /healthz; fail if it dies or takes too long."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            raise RuntimeError(f"server {proc.args!r} did not start")
        time.sleep(0.1)


def stop_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server started in its own process group: TERM, then KILL after 10 s."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def seed_customers(bench: Bench, count: int) -> None:
    """Customers with ~2 partners and 3 dossier entries each, inserted set-wise as owner."""
    tenant = bench.tenant_id
    bench.sql(
        """INSERT INTO customers (tenant_id, code, legal_name, country, registration_number,
               industry, founded_on, registered_capital_minor, registered_capital_currency,
               salesperson, company_history, business_model, contacts, last_reviewed_on)
           SELECT %s, 'C-' || lpad(g::text, 6, '0'), '客户公司 ' || g, 'CN', NULL,
                  (ARRAY['Machinery','Textiles','Energy','Food'])[1 + g %% 4],
                  date '2005-01-01' + (g %% 5000), 100000000 + g, 'CNY',
                  (ARRAY['王伟','张敏','刘洋'])[1 + g %% 3], 'history', 'model',
                  '[{"name": "李娜", "role": "CFO"}]'::jsonb, current_date - (g %% 700)
             FROM generate_series(1, %s) g""",
        tenant,
        count,
    )
    bench.sql(
        """INSERT INTO customer_relations (tenant_id, customer_id, related_customer_id, kind)
           SELECT c.tenant_id, c.id, r.id, k.kind
             FROM (SELECT id, tenant_id, row_number() OVER (ORDER BY code) n FROM customers) c
             JOIN (SELECT id, row_number() OVER (ORDER BY code) n FROM customers) r
               ON r.n = (c.n %% %s) + 1
             CROSS JOIN (VALUES ('KEY_BUYER'), ('GUARANTOR')) k(kind)""",
        count,
    )
    bench.sql(
        """INSERT INTO credit_file_entries (tenant_id, customer_id, occurred_on, kind, title,
               created_by)
           SELECT tenant_id, id, current_date - 30 * k.n, k.kind, k.kind || ' on file', 'bench'
             FROM customers
             CROSS JOIN (VALUES (1, 'FINANCIAL_STATEMENT'), (2, 'CREDIT_REPORT'),
                                (3, 'NOTE')) k(n, kind)"""
    )
    bench.sql("ANALYZE")


def machine_busy_seconds() -> float:
    """CPU seconds every core of the machine has spent busy so far (/proc/stat): what the
    server, PostgreSQL and the client used together."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def stolen_seconds() -> float:
    """CPU time the hypervisor has taken from this machine so far (/proc/stat `steal`)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    return int(fields[8]) / os.sysconf("SC_CLK_TCK")


def cpu_by_kind(server: set[int]) -> dict[str, float]:
    """CPU seconds so far of every process on the machine, summed by what it is: the server,
    PostgreSQL, the kernel's own threads (disk writeback among them), this benchmark (the
    load generator) and anything else."""
    found: dict[str, float] = {}
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat.rsplit(")", 1)[1].split()
        pid, parent = int(entry.name), int(fields[1])
        if pid in server or parent in server:
            kind = "server"
        elif pid == me:
            kind = "client"
        elif name.startswith("postgres"):
            kind = "postgres"
        elif parent == 2 or pid == 2:
            kind = "kernel"
        else:
            kind = "other"
        found[kind] = found.get(kind, 0.0) + (int(fields[11]) + int(fields[12]))
    return {k: v / os.sysconf("SC_CLK_TCK") for k, v in found.items()}


def costed(url: str, run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """`run()`'s figures plus the server's and the whole machine's CPU per request (ms), and
    the machine's split by process kind and the time the hypervisor stole (`cpu_split_ms`)."""
    pid = PIDS[url]
    tree = [pid, *children(pid)]
    server_before = sum(cpu_seconds(p) for p in tree)
    machine_before = machine_busy_seconds()
    kinds_before, stolen_before = cpu_by_kind(set(tree)), stolen_seconds()
    figures = dict(run())
    done = max(figures["requests"], 1)
    server_used = sum(cpu_seconds(p) for p in tree) - server_before
    figures["server_cpu_ms"] = round(server_used / done * 1000, 3)
    figures["machine_cpu_ms"] = round((machine_busy_seconds() - machine_before) / done * 1000, 3)
    split = {
        k: round((v - kinds_before.get(k, 0.0)) / done * 1000, 3)
        for k, v in cpu_by_kind(set(tree)).items()
    }
    split["stolen"] = round((stolen_seconds() - stolen_before) / done * 1000, 3)
    figures["cpu_split_ms"] = split
    return figures


def children(pid: int) -> list[int]:
    """The worker processes of a multi-process server."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found += [int(c) for c in children]
    return found
