"""The compiled page's completeness SQL agrees with the pure rule (domain.credit_file).

Rounds of generated dossiers (fields filled, empty or missing, partners or none, dated entries
of every kind, fresh or stale, financial statements annual or interim with or without revenue,
external credit records of every kind), each under a generated checklist (camelCase keys, ages
or none, the default when empty, one of 32 items so ratios fall on a rounding tie) and a day to
grade on: the statement's ratio and missing items must be the rule's, customer by customer.
The rounding itself is checked for every ratio of up to 40 items.
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import orjson
import psycopg

from domain.credit_file import (
    CreditFileFacts,
    CreditRecords,
    completeness,
    dated_items,
    parse_policy,
)
from infra.runtime import Runtime
from infra.tenants import create_tenant
from services.compiled import pages
from services.compiled.customers_sql import ratio
from services.compiled.plan import CustomersPage, DataPlan, Pick
from services.read_session import ReadSession
from tests.conftest import Database

KEYS = (
    "REGISTRATION_NUMBER",
    "registrationNumber",
    "INDUSTRY",
    "REGISTERED_CAPITAL",
    "annualSales",
    "CONTACTS",
    " COMPANY_HISTORY ",
    "BUSINESS_MODEL",
    "PARTNERS",
    "FINANCIAL_STATEMENT",
    "CREDIT_REPORT",
    "legalRecord",
    "SITE_VISIT",
    "NOTE",
    "CONTRACT",
    "OTHER",
)
KINDS = ("FINANCIAL_STATEMENT", "CREDIT_REPORT", "LEGAL_RECORD", "SITE_VISIT", "NOTE", "OTHER")
#: dbschema.credit_analysis_tables.RECORD_KINDS: the external records' kinds
RECORD_KINDS = ("BUREAU_REPORT", "LEGAL_RECORD", "NEGATIVE_NEWS", "SITE_VISIT", "BANK_REFERENCE")
GRADE = Pick(
    "completeness",
    "completeness",
    (
        Pick("ratio", "ratio"),
        Pick(
            "missing",
            "missing",
            (Pick("key", "key"), Pick("reason", "reason"), Pick("asOf", "asOf")),
        ),
    ),
)
PLAN = DataPlan(
    (
        Pick(
            "customers",
            "customers",
            (
                Pick(
                    "nodes",
                    "nodes",
                    (Pick("code", "code"), Pick("creditFile", "creditFile", (GRADE,))),
                ),
            ),
        ),
    )
)


def _policy(rng: random.Random, round_: int) -> list[dict[str, Any]]:
    if round_ == 0:
        return []  # the practice's default
    size = 32 if round_ == 1 else rng.randint(1, len(KEYS))
    keys = [rng.choice(KEYS) for _ in range(size)] if size == 32 else rng.sample(KEYS, size)
    return [
        {"key": k, "maxAgeDays": rng.choice([None, rng.randint(1, 3650), rng.randint(1, 90)])}
        for k in keys
    ]


def _dossier(rng: random.Random, n: int, as_of: date) -> dict[str, Any]:
    def maybe(value: Any) -> Any:
        return (
            rng.choice([None, "", value]) if isinstance(value, str) else rng.choice([None, value])
        )

    return {
        "code": f"P-{n:03d}",
        "registration_number": maybe(f"RN{n}"),
        "industry": maybe("Energy"),
        "registered_capital_minor": maybe(rng.randint(0, 10**9)),
        "annual_sales_minor": maybe(rng.randint(0, 10**9)),
        "company_history": maybe("h"),
        "business_model": maybe("m"),
        "contacts": rng.choice([[], [{"name": "王伟"}]]),
        "partners": rng.randint(0, 2),
        "entries": [
            (rng.choice(KINDS), as_of - timedelta(days=rng.randint(0, 1500)))
            for _ in range(rng.randint(0, 6))
        ],
        # (kind, period end, revenue or None): period ends distinct, so keys never collide
        "statements": [
            (rng.choice(["ANNUAL", "INTERIM"]), as_of - timedelta(days=ago), maybe(2400))
            for ago in rng.sample(range(0, 1500), rng.choice([0, 0, 1, 2, 4]))
        ],
        "records": [
            (rng.choice(RECORD_KINDS), as_of - timedelta(days=rng.randint(0, 1500)))
            for _ in range(rng.choice([0, 0, 1, 3]))
        ],
    }


def _facts(d: dict[str, Any]) -> CreditFileFacts:
    """What the dossier holds, as the test recorded it."""
    fields = {
        "REGISTRATION_NUMBER": d["registration_number"],
        "INDUSTRY": d["industry"],
        "REGISTERED_CAPITAL": d["registered_capital_minor"],
        "ANNUAL_SALES": d["annual_sales_minor"],
        "COMPANY_HISTORY": d["company_history"],
        "BUSINESS_MODEL": d["business_model"],
    }
    present = {k for k, v in fields.items() if v is not None and v != ""}
    if d["contacts"]:
        present.add("CONTACTS")
    if d["partners"]:
        present.add("PARTNERS")
    latest: dict[str, date] = {}
    for kind, day in d["entries"]:
        latest[kind] = max(day, latest.get(kind, day))
    external: dict[str, date] = {}
    for kind, day in d["records"]:
        external[kind] = max(day, external.get(kind, day))
    ends = [end for _, end, _ in d["statements"]]
    sales = [end for kind, end, revenue in d["statements"] if kind == "ANNUAL" and revenue]
    records = CreditRecords(max(ends, default=None), max(sales, default=None), external)
    return CreditFileFacts(frozenset(present), dated_items(latest, records))


def _insert(database: Database, tenant: str, dossiers: list[dict[str, Any]]) -> None:
    with psycopg.connect(database.owner_url, autocommit=True) as conn:
        ids = {}
        for d in dossiers:
            capital, sales = d["registered_capital_minor"], d["annual_sales_minor"]
            ids[d["code"]] = conn.execute(
                """INSERT INTO customers (tenant_id, code, legal_name, country,
                       registration_number, industry, registered_capital_minor,
                       registered_capital_currency, annual_sales_minor, annual_sales_currency,
                       company_history, business_model, contacts)
                   VALUES (%s, %s, %s, 'DE', %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb)
                   RETURNING id""",
                (
                    tenant,
                    d["code"],
                    "Name " + d["code"],
                    d["registration_number"],
                    d["industry"],
                    capital,
                    None if capital is None else "CNY",
                    sales,
                    None if sales is None else "EUR",
                    d["company_history"],
                    d["business_model"],
                    json.dumps(d["contacts"]),
                ),
            ).fetchone()[0]  # type: ignore[index]
        codes = list(ids)
        for n, d in enumerate(dossiers):
            for k in range(d["partners"]):
                conn.execute(
                    """INSERT INTO customer_relations (tenant_id, customer_id,
                           related_customer_id, kind) VALUES (%s, %s, %s, %s)""",
                    (
                        tenant,
                        ids[d["code"]],
                        ids[codes[(n + 1 + k) % len(codes)]],
                        "KEY_BUYER" if k else "PARENT",
                    ),
                )
            for kind, day in d["entries"]:
                conn.execute(
                    """INSERT INTO credit_file_entries (tenant_id, customer_id, occurred_on,
                           kind, title, created_by) VALUES (%s, %s, %s, %s, 'e', 't')""",
                    (tenant, ids[d["code"]], day, kind),
                )
            for kind, end, revenue in d["statements"]:
                days = 364 if kind == "ANNUAL" else 89
                conn.execute(
                    """INSERT INTO financial_statements (tenant_id, customer_id, period_start,
                           period_end, kind, source, currency, unit, total_assets_minor,
                           total_liabilities_minor, equity_minor, revenue_minor,
                           negative_equity, z_inputs, fingerprint, created_by)
                       VALUES (%s, %s, %s, %s, %s, 'AUDITED', 'CNY', 'YUAN', 100, 60, 40, %s,
                               false, '{}', 'f', 't')""",
                    (tenant, ids[d["code"]], end - timedelta(days=days), end, kind, revenue),
                )
            for k, (kind, day) in enumerate(d["records"]):
                legal = kind == "LEGAL_RECORD"
                conn.execute(
                    """INSERT INTO credit_external_records (tenant_id, customer_id, kind,
                           source, source_ref, recorded_on, evidence, legal_kind, role,
                           status, case_number, court, filed_on, fingerprint, created_by)
                       VALUES (%s, %s, %s, 'src', %s, %s, 'e', %s, %s, %s, %s, %s, %s, 'f',
                               't')""",
                    (
                        tenant,
                        ids[d["code"]],
                        kind,
                        f"{d['code']}-{k}",
                        day,
                        *(
                            ("LAWSUIT", "DEFENDANT", "OPEN", "c", "court", day)
                            if legal
                            else [None] * 6
                        ),
                    ),
                )


async def test_the_completeness_sql_grades_as_the_domain_rule(
    database: Database, runtime: Runtime, tenants: dict[str, uuid.UUID]
) -> None:
    rng = random.Random(20261130)
    for round_ in range(6):
        # given generated dossiers, a checklist and a day, in a tenant of their own
        as_of = date(2026, 1, 1) + timedelta(days=rng.randint(0, 700))
        policy = _policy(rng, round_)
        tenant, _ = create_tenant(
            database.owner_url, f"grade-{round_}", "Grades", {"creditFilePolicy": policy}
        )
        dossiers = [_dossier(rng, n, as_of) for n in range(1, 61)]
        _insert(database, tenant, dossiers)
        # when the compiled statement grades them
        session = ReadSession(runtime.engine, uuid.UUID(tenant))
        try:
            page = CustomersPage(100, None, False, "CODE", False, None, None, None, as_of)
            data, _ = await pages.customers_data(session, PLAN, page)
        finally:
            await session.close()
        graded = orjson.loads(data)["customers"]["nodes"]
        # then every grade is the pure rule's
        items = parse_policy(policy)
        assert [n["code"] for n in graded] == [d["code"] for d in dossiers]
        for node, dossier in zip(graded, dossiers, strict=True):
            rule = completeness(_facts(dossier), items, as_of)
            assert node["creditFile"]["completeness"] == {
                "ratio": str(rule.ratio),
                "missing": [
                    {
                        "key": m.key,
                        "reason": m.reason,
                        "asOf": m.as_of.isoformat() if m.as_of else None,
                    }
                    for m in rule.missing
                ],
            }, (round_, dossier)


def test_the_ratio_rounds_half_to_even_as_the_rule(database: Database) -> None:
    # given every ratio of a checklist of up to 40 items
    with psycopg.connect(database.owner_url, autocommit=True) as conn:
        for total in range(41):
            for missing in range(total + 1):
                # when the SQL writes it
                sql = (
                    f"WITH policy AS (SELECT g FROM generate_series(1, {total}) g) "
                    f"SELECT {ratio(str(missing))}"
                )
                written = conn.execute(sql).fetchone()[0]  # type: ignore[index]
                # then it is the rule's decimal string
                expected = (
                    Decimal(1)
                    if total == 0
                    else (Decimal(total - missing) / total).quantize(
                        Decimal("0.0001"), rounding=ROUND_HALF_EVEN
                    )
                )
                assert written == str(expected), (total, missing)
