"""The Starlette application: GraphQL, WebSockets, documents, health and metrics."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator

import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Route, WebSocketRoute

from api import graphiql, metrics
from api.auth import TokenVerifier
from api.body_limit import BodyLimit
from api.credit_documents import credit_agreement_pdf, credit_decision_pdf
from api.credit_imports import import_statements_csv
from api.csv_imports import import_csv
from api.fast_entry import FastEntry
from api.fast_graphql import FastGraphQL
from api.graphql_view import CreditGraphQL
from api.middleware import EdgeMiddleware
from api.risk_routes import import_factor_statement, risk_document_pdf
from api.routes import (
    activities_csv,
    credit_file_pdf,
    dunning_letter_draft,
    dunning_letter_pdf,
    healthz,
    readyz,
    sent_document,
    statement_pdf,
)
from infra.broker_probe import probe_for
from infra.event_hub import EventHub
from infra.runtime import Runtime, open_runtime
from infra.settings import Settings
from schema.build import build_schema

log = logging.getLogger("credit.api")
JOB_METRICS_SECONDS = 15.0  #: how often job counts are refreshed for /metrics


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


def cors(settings: Settings) -> list[Middleware]:
    """Browser front-ends on other origins: the allowed origins answer preflights; credentials
    (cookies) are never allowed with a wildcard (bearer tokens need no credentials mode)."""
    if not settings.cors_origins and not settings.cors_origin_regex:
        return []
    wildcard = "*" in settings.cors_origins
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_origin_regex=settings.cors_origin_regex,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "X-Request-Id"],
            expose_headers=["X-Request-Id"],
            allow_credentials=not wildcard,
            max_age=600,
        )
    ]


def create_app(settings: Settings, runtime: Runtime | None = None) -> FastEntry:
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
            Route("/graphiql/assets/{name}", graphiql.asset),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics.metrics_endpoint),
            Route("/documents/customers/{id}/credit-file.pdf", credit_file_pdf),
            Route("/documents/customers/{id}/dunning-letter.pdf", dunning_letter_pdf),
            Route("/documents/customers/{id}/dunning-letter-draft.pdf", dunning_letter_draft),
            Route("/documents/sent/{id}", sent_document),
            Route("/documents/customers/{id}/activities.csv", activities_csv),
            Route("/documents/statements/{id}.pdf", statement_pdf),
            Route("/documents/risk/{id}.pdf", risk_document_pdf),
            Route(
                "/imports/factoring/{id}/statement.csv", import_factor_statement, methods=["POST"]
            ),
            Route("/documents/credit-agreements/{id}.pdf", credit_agreement_pdf),
            Route("/documents/credit-applications/{id}/decision.pdf", credit_decision_pdf),
            Route("/imports/financial-statements.csv", import_statements_csv, methods=["POST"]),
            Route("/imports/{kind}.csv", import_csv, methods=["POST"]),
        ],
        middleware=[
            Middleware(EdgeMiddleware),
            Middleware(BodyLimit),
            Middleware(FastGraphQL, view=graphql),
            *cors(settings),
        ],
        lifespan=lifespan,
    )
    app.state.runtime = state_runtime
    app.state.hub = hub
    app.state.verifier = verifier
    app.state.settings = settings
    app.state.broker_probe = probe_for(settings.broker_url, state_runtime.app_url)
    return FastEntry(app, graphql)
