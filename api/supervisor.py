"""`credit run`: the whole platform in one terminal; Ctrl-C stops all of it, PostgreSQL too."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

from infra.settings import load

CHILD_STOP_SECONDS = 10.0  #: grace period before a child that ignores SIGTERM is killed


def _spawn(args: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "api.cli", *args], start_new_session=True)


def banner(port: int) -> str:
    """What `credit run` prints once everything started: where to go, and the token hint once."""
    return (
        "\n  Credit platform running\n"
        f"  GraphiQL:  http://127.0.0.1:{port}/graphql\n"
        f"  Health:    http://127.0.0.1:{port}/readyz   Metrics: /metrics\n"
        "  Token:     .venv/bin/credit token --tenant demo --role credit_manager"
        "  (header  Authorization: Bearer <token>)\n"
        "  Stop:      Ctrl-C\n"
    )


def run_all(port: int) -> int:
    """Start database, migrations, demo data, API, worker and scheduler; wait for a signal."""
    from dbschema import embedded
    from dbschema.provision import ensure_database, migrate, set_app_password
    from infra.demo import load_demo
    from infra.runtime import database_urls, open_runtime

    settings = load()
    owner, _app = database_urls(settings)  # starts the embedded server when needed
    embedded_server = settings.database_url is None
    children: list[subprocess.Popen[bytes]] = []
    stopping = {"flag": False}

    def stop(_sig: int, _frame: object) -> None:
        stopping["flag"] = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    try:
        ensure_database(owner)
        migrate(owner, settings.app_db_role)
        set_app_password(owner, settings.app_db_role, settings.app_db_password)

        async def demo() -> dict[str, int]:
            runtime = open_runtime(settings)
            try:
                return await load_demo(runtime)
            finally:
                await runtime.close()

        added = asyncio.run(demo())
        print(f"demo data added (existing rows kept): {added}", flush=True)
        children = [
            _spawn(["serve", "--port", str(port)]),
            _spawn(["worker"]),
            _spawn(["scheduler"]),
        ]
        print(banner(port), flush=True)
        while not stopping["flag"]:
            dead = [c for c in children if c.poll() is not None]
            if dead:
                print(f"a process exited ({dead[0].args}); stopping everything", flush=True)
                code = 1
                break
            time.sleep(0.5)
    finally:
        for child in children:
            if child.poll() is None:
                # the child's own process, not its group: dramatiq's main process passes the
                # signal on to its workers, and a worker signalled twice (by the group and by
                # its parent) exits at once, in-flight jobs and all, while the parent waits on
                os.kill(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + CHILD_STOP_SECONDS
        for child in children:
            try:
                child.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
        if embedded_server:
            embedded.stop(settings.data_dir)
            print("embedded PostgreSQL stopped", flush=True)
    return code
