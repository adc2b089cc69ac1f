"""The `credit` command: migrate, tenants, dev tokens, serve, worker, scheduler, run-all."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from infra.settings import SettingsError, load


def _migrate(args: argparse.Namespace) -> int:
    from dbschema import embedded
    from dbschema.provision import ensure_database, migrate, set_app_password
    from infra.runtime import database_urls

    settings = load()
    started_here = not settings.database_url and not embedded.is_running(settings.data_dir)
    try:
        owner, _app = database_urls(settings)  # starts the embedded server when it is down
        ensure_database(owner)
        migrate(owner, settings.app_db_role, args.revision)
        set_app_password(owner, settings.app_db_role, settings.app_db_password)
    finally:
        if started_here:  # leave nothing running that was not running before
            embedded.stop(settings.data_dir)
    print(f"migrated to {args.revision}")
    return 0


def _tenant_create(args: argparse.Namespace) -> int:
    from infra.runtime import admin_urls
    from infra.tenants import check, create_tenant, tenant_named

    check(args.slug, args.name)
    owner, _ = admin_urls(load())
    name = args.name or args.slug
    existing = tenant_named(owner, args.slug)
    if existing is not None and args.name and existing[1] != args.name:
        print(
            f"credit tenant create: {args.slug} exists, named {existing[1]!r}; "
            f"rename it with: credit tenant rename {args.slug} --name NAME",
            file=sys.stderr,
        )
        return 1
    tenant_id, created = create_tenant(owner, args.slug, name)
    print(json.dumps({"id": tenant_id, "slug": args.slug, "created": created}))
    return 0


def _tenant_list(args: argparse.Namespace) -> int:
    from infra.runtime import admin_urls
    from infra.tenants import list_tenants

    owner, _ = admin_urls(load())
    for tenant in list_tenants(owner):
        print(json.dumps(tenant, ensure_ascii=False))
    return 0


def _tenant_rename(args: argparse.Namespace) -> int:
    from infra.runtime import admin_urls
    from infra.tenants import check, rename_tenant

    check(args.slug, args.name)
    owner, _ = admin_urls(load())
    if not rename_tenant(owner, args.slug, args.name):
        print(f"credit tenant rename: no tenant {args.slug!r}", file=sys.stderr)
        return 1
    print(json.dumps({"slug": args.slug, "name": args.name}, ensure_ascii=False))
    return 0


def _backup(args: argparse.Namespace) -> int:
    from infra.backup import backup
    from infra.runtime import admin_urls

    owner, _ = admin_urls(load())
    size = backup(owner, Path(args.file))
    print(json.dumps({"file": str(Path(args.file).absolute()), "bytes": size}))
    return 0


def _restore(args: argparse.Namespace) -> int:
    from infra.backup import restore
    from infra.runtime import admin_urls

    owner, _ = admin_urls(load())
    restore(owner, Path(args.file))
    print(json.dumps({"restored": str(Path(args.file).absolute())}))
    return 0


def _token(args: argparse.Namespace) -> int:
    from api.auth import issue_dev_token

    settings = load()
    roles = [r for part in args.role for r in part.split(",") if r]
    try:
        print(issue_dev_token(settings, args.tenant, roles, args.sub, args.ttl))
    except (RuntimeError, ValueError) as exc:
        print(f"credit token: {exc}", file=sys.stderr)
        return 2
    return 0


def _demo(args: argparse.Namespace) -> int:
    from infra.demo import load_demo
    from infra.runtime import admin_urls, open_runtime

    settings = load()
    admin_urls(settings)  # refuse unless the platform's database is running

    async def main() -> dict[str, int]:
        runtime = open_runtime(settings)
        try:
            return await load_demo(runtime)
        finally:
            await runtime.close()

    print(json.dumps({"added": asyncio.run(main())}))
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.http_protocol import CoalescingHttpToolsProtocol
    from infra.logs import configure

    settings = load()
    configure(settings.log_level)
    if args.workers > 1:
        prepare_multiprocess_metrics(settings.data_dir / "metrics")
    uvicorn.run(
        "api.asgi:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,
        # one socket write per response step, not two (api/http_protocol.py)
        http=CoalescingHttpToolsProtocol if settings.coalesce_writes else "httptools",
        ws="websockets-sansio",
        # Subscription frames are small JSON: compressing each one for 500 subscribers costs
        # more CPU (and latency) than the bytes it saves.
        ws_per_message_deflate=False,
        lifespan="on",
        access_log=False,
        # Nothing reads the client's address or scheme, so X-Forwarded-* need no rewriting per
        # request; and a response need not name the server software it runs on.
        proxy_headers=False,
        server_header=False,
    )
    return 0


def prepare_multiprocess_metrics(directory: Path) -> None:
    """Give the API processes an empty directory to share their metrics through; it must be
    in the environment before any of them imports prometheus_client."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
    target = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    target.mkdir(parents=True, exist_ok=True)
    for stale in target.glob("*.db"):  # samples of processes from an earlier run
        stale.unlink()


def _worker(args: argparse.Namespace) -> int:
    """Dramatiq's own command, with the platform's JSON log lines in every process."""
    from dramatiq.cli import main as dramatiq_main
    from dramatiq.cli import make_argument_parser

    from infra.logs import configure
    from services.jobs.catalogue import SPECS

    settings = load()  # fail loudly on bad settings before forking
    configure(settings.log_level)  # the supervising process; jobs.worker does its children
    argv = [
        "jobs.worker",
        "--skip-logging",
        "--processes",
        str(args.processes),
        "--threads",
        str(args.threads),
        "--queues",
        *sorted({spec.queue for spec in SPECS}),
    ]
    return int(dramatiq_main(make_argument_parser().parse_args(argv)))


def _scheduler(args: argparse.Namespace) -> int:
    from jobs.scheduler import main

    main()
    return 0


def _run_all(args: argparse.Namespace) -> int:
    from api.supervisor import run_all

    return run_all(args.port)


def parser() -> argparse.ArgumentParser:
    """The command tree."""
    p = argparse.ArgumentParser(prog="credit", description="Credit-management platform")
    sub = p.add_subparsers(dest="command", required=True)
    m = sub.add_parser("migrate", help="create the database if needed and migrate to head")
    m.add_argument("--revision", default="head")
    m.set_defaults(fn=_migrate)
    t = sub.add_parser("tenant", help="tenant administration")
    tsub = t.add_subparsers(dest="action", required=True)
    tc = tsub.add_parser("create", help="create a tenant (idempotent by slug)")
    tc.add_argument("slug")
    tc.add_argument("--name")
    tc.set_defaults(fn=_tenant_create)
    tl = tsub.add_parser("list", help="list the tenants (one JSON object a line)")
    tl.set_defaults(fn=_tenant_list)
    tr = tsub.add_parser("rename", help="give a tenant a new display name")
    tr.add_argument("slug")
    tr.add_argument("--name", required=True)
    tr.set_defaults(fn=_tenant_rename)
    b = sub.add_parser("backup", help="dump the platform's database (pg_dump custom format)")
    b.add_argument("file")
    b.set_defaults(fn=_backup)
    rs = sub.add_parser("restore", help="replace the database's contents with a backup")
    rs.add_argument("file")
    rs.set_defaults(fn=_restore)
    tok = sub.add_parser("token", help="issue a development token (refused in production)")
    tok.add_argument("--tenant", required=True)
    tok.add_argument(
        "--role", action="append", required=True, help="a role (repeat, or comma-separate)"
    )
    tok.add_argument("--sub", default="dev-user")
    tok.add_argument("--ttl", type=int, default=3600)
    tok.set_defaults(fn=_token)
    d = sub.add_parser("demo", help="load demo tenants and customers (idempotent)")
    d.set_defaults(fn=_demo)
    s = sub.add_parser("serve", help="run the API (uvicorn)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--workers", type=int, default=1)
    s.set_defaults(fn=_serve)
    w = sub.add_parser("worker", help="run Dramatiq workers")
    w.add_argument("--processes", type=int, default=1)
    w.add_argument("--threads", type=int, default=4)
    w.set_defaults(fn=_worker)
    sc = sub.add_parser("scheduler", help="run the scheduler and outbox relay")
    sc.set_defaults(fn=_scheduler)
    r = sub.add_parser(
        "run",
        help="everything: database, migrations, demo, API, worker, "
        "scheduler (what `make run` calls)",
    )
    r.add_argument("--port", type=int, default=8000)
    r.set_defaults(fn=_run_all)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `credit` console script: expected failures are one line, exit 2."""
    import psycopg

    from domain.errors import DomainError
    from infra.runtime import DatabaseNotRunning

    args = parser().parse_args(argv)
    try:
        return int(args.fn(args))
    except SettingsError as exc:
        print(f"credit: configuration error: {exc}", file=sys.stderr)
        return 2
    except DatabaseNotRunning as exc:
        print(f"credit: {exc}", file=sys.stderr)
        return 2
    except DomainError as exc:
        print(f"credit: {exc.field or 'input'}: {exc.message}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode(errors="replace").strip().splitlines()
        print(
            f"credit: {exc.cmd[0].rsplit('/', 1)[-1]} failed: {detail[-1] if detail else exc}",
            file=sys.stderr,
        )
        return 2
    except (OSError, psycopg.OperationalError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"credit: cannot reach the database: {first}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
