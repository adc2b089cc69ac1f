"""The Starlette application: GraphQL, WebSockets, documents, health and metrics."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
import uuid
from collections.abc import AsyncIterator

import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import metrics
from api.auth import TokenVerifier
from api.credit_imports import import_statements_csv
from api.csv_imports import import_csv
from api.graphql_view import CreditGraphQL
from api.routes import (
    activities_csv,
    credit_file_pdf,
    dunning_letter_pdf,
    healthz,
    readyz,
    statement_pdf,
)
from infra.broker_probe import probe_for
from infra.event_hub import EventHub
from infra.request_context import request_id_var, tenant_var
from infra.runtime import Runtime, open_runtime
from infra.settings import Settings
from schema.build import build_schema

log = logging.getLogger("credit.api")
JOB_METRICS_SECONDS = 15.0  #: how often job counts are refreshed for /metrics


class RequestIdMiddleware:
    """Give every request an id (or keep the caller's), echo it, and log the request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")[:64]
        request_id = given if given and given.isprintable() else uuid.uuid4().hex
        request_id_var.set(request_id)
        tenant_var.set("-")
        start = time.perf_counter()
        status = {"code": 0}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if scope["type"] == "http":
                path = scope.get("path", "")
                route = (
                    path
                    if path in ("/graphql", "/healthz", "/readyz", "/metrics")
                    else "/documents"
                    if path.startswith("/documents")
                    else "/imports"
                    if path.startswith("/imports")
                    else "other"
                )
                metrics.HTTP.labels(route, str(status["code"])).inc()
                if path not in ("/healthz", "/metrics"):
                    log.info(
                        "request",
                        extra={
                            "method": scope.get("method"),
                            "path": path,
                            "status": status["code"],
                            "ms": round((time.perf_counter() - start) * 1000, 2),
                        },
                    )


async def _refresh_job_metrics(runtime: Runtime) -> None:
    while True:
        try:
            async with runtime.engine.connect() as conn:
                rows = await conn.execute(sa.text("SELECT actor, status, n FROM job_counts()"))
                for actor, status, n in rows:
                    metrics.JOBS.labels(actor, status).set(n)
        except Exception:  # metrics must never take the API down
            log.warning("job metrics refresh failed", exc_info=True)
        await asyncio.sleep(JOB_METRICS_SECONDS)


def create_app(settings: Settings, runtime: Runtime | None = None) -> Starlette:
    """Build the ASGI app; the runtime (engine, embedded server) opens lazily unless given."""
    state_runtime = runtime or open_runtime(settings)
    hub = EventHub(state_runtime.engine, state_runtime.app_url)
    verifier = TokenVerifier(settings, state_runtime)
    schema = build_schema(settings, (metrics.OperationMetrics,))
    graphql = CreditGraphQL(schema, state_runtime, hub, verifier, settings.graphiql)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await hub.start()
        refresher = asyncio.create_task(_refresh_job_metrics(state_runtime))
        # The schema, modules and pools live for the whole process: freezing them keeps full
        # collections from walking them again and again (~100 ms pauses, every second or so,
        # under load, measured on the one-customer aging benchmark).
        gc.collect()
        gc.freeze()
        # Requests allocate many short-lived objects; collecting the young generation every
        # 700 allocations (the default) costs more than it frees in a server like this.
        gc.set_threshold(50_000, 20, 20)
        try:
            yield
        finally:
            refresher.cancel()
            await hub.close()
            if runtime is None:
                await state_runtime.close()

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics.metrics_endpoint),
            Route("/documents/customers/{id}/credit-file.pdf", credit_file_pdf),
            Route("/documents/customers/{id}/dunning-letter.pdf", dunning_letter_pdf),
            Route("/documents/customers/{id}/activities.csv", activities_csv),
            Route("/documents/statements/{id}.pdf", statement_pdf),
            Route("/imports/financial-statements.csv", import_statements_csv, methods=["POST"]),
            Route("/imports/{kind}.csv", import_csv, methods=["POST"]),
        ],
        middleware=[Middleware(RequestIdMiddleware)],
        lifespan=lifespan,
    )
    app.state.runtime = state_runtime
    app.state.hub = hub
    app.state.verifier = verifier
    app.state.settings = settings
    app.state.broker_probe = probe_for(settings.broker_url, state_runtime.app_url)
    return app
