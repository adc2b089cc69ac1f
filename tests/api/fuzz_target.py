"""The fuzz's target and checks, shared by its two passes (test_fuzz_edge, test_fuzz_deep).

Each pass runs in a module of its own, with a database, tenant and server of its own, so
`make test` runs the two on two workers at once. No case may be a server error, an
"Unexpected error" or leak SQL; and afterwards every job the scheduler runs must still
succeed for the fuzzed tenant, whatever rows the fuzz got accepted. `make fuzz` runs it with
FUZZ_EXAMPLES raised for a longer search.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import schemathesis
import uvicorn
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import graphql as st_graphql
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.graphql import nodes

from api.app import create_app
from api.auth import issue_dev_token
from dbschema import embedded
from dbschema.provision import with_database, with_user
from domain.roles import ALL_ROLES
from infra.runtime import open_runtime
from infra.settings import Settings, load
from infra.tenants import create_tenant
from services.jobs import catalogue as job
from tests.conftest import TEMPLATE_DB, Database, free_port
from tests.jobs.every_job import run_every_job, run_one, run_pending

#: Amounts: well-formed, extreme, and garbage (underscores, other digits, NaN), to exercise
#: both the accepted and the refused paths.
schemathesis.graphql.scalar(
    "Decimal",
    st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
        st.sampled_from(
            ["92233720368547758.07", "-0.01", "1_000", "١٢٣", "NaN", "sNaN", "1e5", " 1", ""]
        ),
        st.text(max_size=12),
    ).map(nodes.String),
)
schemathesis.graphql.scalar(
    "Date",
    st.one_of(
        st.dates().map(lambda d: d.isoformat()),
        st.sampled_from(["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"]),
        st.text(max_size=10),
    ).map(nodes.String),
)
schemathesis.graphql.scalar(
    "DateTime",
    st.one_of(
        st.datetimes().map(lambda d: d.isoformat() + "+08:00"),
        st.sampled_from(["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"]),
    ).map(nodes.String),
)

#: Real global ids of the fuzz tenant's objects, filled by the fixture before any case runs:
#: an id drawn from them reaches past NOT_FOUND into the rules (and the rows they accept).
KNOWN_IDS: list[str] = []
schemathesis.graphql.scalar(
    "ID",
    st.one_of(
        st.integers(min_value=0, max_value=10_000).map(
            lambda n: KNOWN_IDS[n % len(KNOWN_IDS)] if KNOWN_IDS else "none"
        ),
        st.text(max_size=40),
    ).map(nodes.String),
)


def _long(chunk: str, length: int) -> str:
    """A text over every limit, built from a drawn chunk: drawing 5,000 characters one by one
    was most of the fuzz's time, and a limit is about length, not variety."""
    return (chunk * (length // len(chunk) + 1))[:length]


#: Texts: often a value the rules accept (a currency, a country, a code), so cases get past the
#: first refusal; otherwise anything, long strings and control characters included.
schemathesis.graphql.scalar(
    "String",
    st.one_of(
        st.sampled_from(["CNY", "USD", "JPY", "KWD", "EUR", "cny", "CN", "SE", "A", "C"]),
        st.from_regex(r"[A-Z]{2,4}-[0-9]{1,6}", fullmatch=True),
        st.text(max_size=30),
        st.builds(
            _long,
            st.text(min_size=1, max_size=40).filter(lambda t: "\x00" not in t),
            st.integers(min_value=5000, max_value=6000),
        ),
    ).map(nodes.String),
)
SEED_CUSTOMER = """mutation { createCustomer(input: {code: "FZ-%d", legalName: "模糊测试客户 %d",
  country: "CN"}) { customer { id } } }"""
SEED_INVOICE = """mutation { createInvoice(input: {number: "FZ-INV-%d", customerId: "%s",
  issueDate: "2026-09-01", dueDate: "2026-10-01", amount: {amount: "1000.00", currency: "CNY"},
  idempotencyKey: "fz-%d"}) { invoice { id } } }"""
SEED_PAYMENT = """mutation { createPayment(input: {customerId: "%s", receivedOn: "2026-10-15",
  amount: {amount: "300.00", currency: "CNY"}, idempotencyKey: "fzp-%d"}) { payment { id } } }"""

SDL = Path(__file__).parents[2] / "schema" / "schema.graphql"
#: Valid and invalid documents alike: the edge and the validation must hold.
schema = st_graphql.from_path(SDL)
#: Only valid documents with every argument given: cases that reach the rules and the rows.
deep = st_graphql.from_path(SDL)
deep.config.generation.update(modes=[GenerationMode.POSITIVE], graphql_allow_null=False)
#: Generated cases per operation and pass: ~75 operations x 2 passes make over 1,000 cases.
EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "8"))
#: The cases each pass must have sent (in CI; more with make fuzz): over 1,000 in all.
ENOUGH_PER_PASS = 500
#: Codes this API gives a client's mistake found while resolving a read (an id it never
#: handed out), beside the ones schemathesis already takes for client errors.
CLIENT_CODES = frozenset({"INVALID_ID"})
LEAKS = ("SELECT ", "INSERT ", "UPDATE ", "asyncpg", "sqlalchemy", "psycopg", "Traceback")


class FuzzTarget:
    """One database, tenant and live server for the whole fuzz, so the final check sees every
    row the fuzz got accepted."""

    def __init__(self, database: Database, settings: Settings, url: str) -> None:
        self.database = database
        self.settings = settings
        self.url = url
        self.bearer = issue_dev_token(settings, "fuzz", sorted(ALL_ROLES), "fuzzer", 7200)
        self.runs = 0  #: generated cases actually sent, checked by the last tests


@contextmanager
def open_target(pg_server: str) -> Iterator[FuzzTarget]:
    """A database of its own, an unthrottled tenant `fuzz` and a uvicorn server on it."""
    name = "fuzz_" + uuid.uuid4().hex[:8]
    admin = embedded.url_for(pg_server, "postgres", "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE_DB}")
    owner = with_database(admin, name)
    database = Database(name, owner, with_user(owner, "credit_app", None))
    unlimited = {"apiLimits": {"maxCost": 10**9, "bucketSize": 10**9, "restoreRate": 10**9}}
    create_tenant(owner, "fuzz", "Fuzz", unlimited)
    seed_bench(database)
    settings = load(
        {"env": "test", "database_url": owner, "app_database_url": database.app_url, "pool_size": 5}
    )
    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "fuzz server did not start"
        time.sleep(0.02)
    target = FuzzTarget(database, settings, f"http://127.0.0.1:{port}/graphql")
    KNOWN_IDS.clear()  # a pass run after another in one process draws this tenant's ids only
    seed(target)
    try:
        yield target
    finally:
        server.should_exit = True
        thread.join(10)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def seed_bench(database: Database) -> None:
    """A tenant shaped like the benchmark's, at a small scale: customers of four industries,
    open invoices over four years in CNY and USD."""
    tenant, _ = create_tenant(database.owner_url, "bench", "Bench")
    with psycopg.connect(database.owner_url, autocommit=True) as conn:
        conn.execute(
            """INSERT INTO customers (tenant_id, code, legal_name, country, industry, contacts)
               SELECT %s, 'B-' || g, '基准客户 ' || g, 'CN',
                      (ARRAY['Machinery','Textiles','Energy','Food'])[1 + g %% 4], '[]'
                 FROM generate_series(1, 20) g""",
            (tenant,),
        )
        conn.execute(
            """INSERT INTO invoices (tenant_id, number, customer_id, issue_date, due_date,
                   currency, amount_minor, open_minor, fingerprint, created_by)
               SELECT c.tenant_id, 'B-INV-' || g, c.id, current_date - (g * 7 %% 1460),
                      current_date - (g * 7 %% 1460) + 30,
                      CASE WHEN g %% 10 = 0 THEN 'USD' ELSE 'CNY' END,
                      10000 + g * 7919 %% 900000, 10000 + g * 7919 %% 900000,
                      'bench', 'bench'
                 FROM generate_series(1, 400) g
                 JOIN customers c ON c.tenant_id = %s AND c.code = 'B-' || (1 + g %% 20)""",
            (tenant,),
        )


def seed(target: FuzzTarget) -> None:
    """Customers with invoices and a payment, through the API; their ids feed the fuzz."""
    headers = {"Authorization": f"Bearer {target.bearer}"}

    def post(query: str) -> dict[str, Any]:
        body = httpx.post(target.url, json={"query": query}, headers=headers, timeout=30).json()
        assert "errors" not in body, body
        return body["data"]  # type: ignore[no-any-return]

    for n in range(3):
        customer = post(SEED_CUSTOMER % (n, n))["createCustomer"]["customer"]["id"]
        KNOWN_IDS.append(customer)
        for k in range(2):
            invoice = post(SEED_INVOICE % (10 * n + k, customer, 10 * n + k))
            KNOWN_IDS.append(invoice["createInvoice"]["invoice"]["id"])
        KNOWN_IDS.append(post(SEED_PAYMENT % (customer, n))["createPayment"]["payment"]["id"])


FUZZ = hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def check_case(case: schemathesis.Case, fuzz: FuzzTarget) -> None:
    """One generated operation: a client error is fine, a server error or a leak is not."""
    response = case.call(base_url=fuzz.url, headers={"Authorization": f"Bearer {fuzz.bearer}"})
    fuzz.runs += 1
    assert response.status_code < 500, response.text
    text = response.text
    for leak in LEAKS:
        assert leak not in text, (case.body, text)
    body = response.json()
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        assert code != "INTERNAL_SERVER_ERROR", (case.body, body)
        assert error.get("message") != "Unexpected error", (case.body, body)
    errors = body.get("errors") or []
    if errors and all((e.get("extensions") or {}).get("code") in CLIENT_CODES for e in errors):
        return  # the client's mistake, coded: schemathesis knows only Apollo's client codes
    case.validate_response(response, checks=[not_a_server_error])


def every_scheduled_job_still_succeeds(fuzz: FuzzTarget) -> None:
    """Whatever the fuzz got accepted, every job runs to success over it: the daily and
    month-end jobs today, at the month's start and at both ends of the date range, and the
    statement PDFs they ask for."""
    days = [
        date.today(),
        date.today().replace(day=1),
        date(1900, 2, 1),
        date(2199, 12, 1),
        date(2199, 12, 31),
    ]

    async def run_all() -> list[tuple[str, str]]:
        runtime = open_runtime(fuzz.settings)
        try:
            tenant = await runtime.tenant_id("fuzz")
            assert tenant is not None
            return await run_every_job(runtime, tenant, days, "fuzz")
        finally:
            await runtime.close()

    outcomes = asyncio.run(run_all())
    failed = fuzz.database.query("SELECT actor, error FROM jobs WHERE status = 'FAILED'")
    assert failed == [], failed
    assert {status for _, status in outcomes} <= {"SUCCEEDED", "ALREADY_DONE"}, outcomes
    print(f"\nfuzz: {fuzz.runs} cases, 0 failures; {len(outcomes)} jobs succeeded afterwards")


def bench_tenants_month_end_jobs_still_run(fuzz: FuzzTarget) -> None:
    """A tenant shaped like the benchmark's, beside the fuzzed one: its month-end provisions
    and statements (and a sample of their PDFs) run to success after the fuzz."""
    month_end = date.today().replace(day=1) - timedelta(days=1)

    async def month_end_jobs() -> list[tuple[str, str]]:
        runtime = open_runtime(fuzz.settings)
        try:
            tenant = await runtime.tenant_id("bench")
            assert tenant is not None
            provisions = await run_one(
                runtime, tenant, job.RUN_PROVISIONS, job.PeriodEnd(month_end), "bench:p"
            )
            statements = await run_one(
                runtime,
                tenant,
                job.MONTHLY_STATEMENTS,
                job.Period(month_end.replace(day=1)),
                "bench:s",
            )
            rendered = await run_pending(runtime, tenant, limit=4)
            return [("run_provisions", provisions), ("monthly_statements", statements), *rendered]
        finally:
            await runtime.close()

    outcomes = asyncio.run(month_end_jobs())
    assert {status for _, status in outcomes} == {"SUCCEEDED"}, outcomes
    assert fuzz.database.query(
        "SELECT count(*) > 0 FROM statements s JOIN tenants t ON t.id = s.tenant_id "
        "WHERE t.slug = 'bench'"
    ) == [(True,)]
