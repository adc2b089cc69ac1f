"""Statements and external credit data through the services, with the database checked."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest

from dbschema.credit_analysis_tables import LINES, SIGNED
from domain.credit.external import RecordIn
from domain.credit.financials import SIGNED_LINES, Line, LineIn, StatementIn
from domain.errors import DomainError, ValidationFailed
from services.credit.external_data import ExternalRow, import_external, record_external
from services.credit.external_providers import FileDropProvider, acknowledge, pull
from services.credit.financial_statements import (
    StatementRow,
    import_statements,
    record_statement,
)
from services.uow import Actor, UnitOfWork

ANALYST = Actor("ana", frozenset({"credit_analyst"}))
TODAY = date(2026, 12, 2)  #: the business date the services are called with
LINES_2025 = {
    "TOTAL_ASSETS": "1000",
    "TOTAL_LIABILITIES": "550",
    "EQUITY": "450",
    "CURRENT_ASSETS": "650",
    "CURRENT_LIABILITIES": "400",
    "RETAINED_EARNINGS": "200",
    "EBIT": "130",
}


def customer(database, tenant, code: str = "C-1") -> uuid.UUID:
    """A customer inserted as the owner (the services under test do not create customers)."""
    cid = uuid.uuid4()
    database.query(
        "INSERT INTO customers (tenant_id, id, code, legal_name, country, industry) "
        "VALUES (%s, %s, %s, %s, 'CN', 'Machinery')",
        tenant,
        cid,
        code,
        f"客户 {code}",
    )
    return cid


def statement(lines: dict[str, str] = LINES_2025, **kw) -> StatementIn:
    return StatementIn(
        period_start=kw.get("start", date(2025, 1, 1)),
        period_end=kw.get("end", date(2025, 12, 31)),
        kind=kw.get("kind", "ANNUAL"),
        source=kw.get("source", "AUDITED"),
        currency="CNY",
        unit="TEN_THOUSAND",
        lines=tuple(LineIn(k, v) for k, v in lines.items()),
    )


def test_the_tables_know_the_domains_lines():
    assert LINES == tuple(line.value for line in Line)
    assert set(SIGNED) == {line.value for line in SIGNED_LINES}


async def test_record_correct_and_replay_a_statement(database, tenants, runtime):
    # given
    cid = customer(database, tenants["acme"])
    # when: recorded, recorded again unchanged, then corrected
    outcomes = []
    for lines in (LINES_2025, LINES_2025, {**LINES_2025, "EBIT": "-100"}):
        async with UnitOfWork(runtime.engine, tenants["acme"], ANALYST) as uow:
            outcomes.append(await record_statement(uow, cid, statement(lines), TODAY))
            await uow.commit()
    # then
    assert [o.status for o in outcomes] == ["CREATED", "UNCHANGED", "UPDATED"]
    assert len({o.id for o in outcomes}) == 1
    [(assets, zone, z, z_inputs, version)] = database.query(
        "SELECT total_assets_minor, z_zone, z_score, z_inputs, version FROM financial_statements"
    )
    assert (assets, zone, version) == (1_000_000_000, "GREY", 2)
    assert str(z) == "2.4791"  # 1.64 + 0.652 - 6.72 x 0.1 + 1.05 x 450/550
    assert z_inputs["lines"]["EBIT"] == -100_000_000
    assert z_inputs["x"][2] == "-0.100000"
    audit = database.query("SELECT action, changes FROM audit_log ORDER BY id")
    assert [m for m, _ in audit] == ["RECORD_FINANCIAL_STATEMENT", "CORRECT_FINANCIAL_STATEMENT"]
    assert audit[1][1]["ebit_minor"] == {"before": 130_000_000, "after": -100_000_000}


async def test_an_unbalanced_statement_writes_nothing(database, tenants, runtime):
    cid = customer(database, tenants["acme"])
    with pytest.raises(ValidationFailed) as err:
        async with UnitOfWork(runtime.engine, tenants["acme"], ANALYST) as uow:
            await record_statement(uow, cid, statement({**LINES_2025, "EQUITY": "300"}), TODAY)
            await uow.commit()
    assert [e.code for e in err.value.errors] == ["UNBALANCED_STATEMENT"]
    assert database.query("SELECT count(*) FROM financial_statements") == [(0,)]
    assert database.query("SELECT count(*) FROM audit_log") == [(0,)]


async def test_another_tenants_customer_is_not_found(database, tenants, runtime):
    theirs = customer(database, tenants["globex"])
    with pytest.raises(DomainError) as err:
        async with UnitOfWork(runtime.engine, tenants["acme"], ANALYST) as uow:
            await record_statement(uow, theirs, statement(), TODAY)
    assert (err.value.code, err.value.field) == ("NOT_FOUND", "customerId")


async def test_import_statements_reports_bad_rows_by_index(database, tenants, runtime):
    customer(database, tenants["acme"], "C-1")
    good = StatementRow(
        "C-1",
        "2025-01-01",
        "2025-12-31",
        "ANNUAL",
        "AUDITED",
        "CNY",
        "TEN_THOUSAND",
        {k.lower(): v for k, v in LINES_2025.items()},
    )
    rows = [
        good,
        StatementRow(
            "C-404", "2025-01-01", "2025-12-31", "ANNUAL", "AUDITED", "CNY", "YUAN", good.lines
        ),
        StatementRow(
            "C-1", "2025-13-01", "2025-12-31", "ANNUAL", "AUDITED", "CNY", "YUAN", good.lines
        ),
    ]
    async with UnitOfWork(runtime.engine, tenants["acme"], ANALYST) as uow:
        results = await import_statements(uow, rows, TODAY)
        await uow.commit()
    assert [(r.status, [e.code for e in r.errors]) for r in results] == [
        ("CREATED", []),
        ("ERROR", ["NOT_FOUND"]),
        ("ERROR", ["INVALID_DATE"]),
    ]
    assert database.query("SELECT count(*) FROM financial_statements") == [(1,)]


def legal_row(code: str, ref: str, **kw) -> ExternalRow:
    values = {
        "customer_code": code,
        "kind": "LEGAL_RECORD",
        "source": "court-db",
        "source_ref": ref,
        "recorded_on": "2026-03-01",
        "evidence": f"https://example.invalid/{ref}",
        "legal_kind": "ENFORCEMENT",
        "role": "DEFENDANT",
        "case_number": ref,
        "court": "上海市浦东新区人民法院",
        "amount": "125000.00",
        "currency": "CNY",
        "status": "OPEN",
        "filed_on": "2026-02-20",
        **kw,
    }
    return ExternalRow(**values)


async def test_external_batches_are_idempotent_by_source_id(database, tenants, runtime):
    customer(database, tenants["acme"], "C-1")
    customer(database, tenants["acme"], "C-2")
    batch = [
        legal_row("C-1", "(2026)沪0115执1号"),
        legal_row("C-1", "(2026)沪0115执1号"),  # repeated in the batch
        legal_row("C-2", "X-2", role="PLAINTIFF", legal_kind="LAWSUIT"),
        legal_row("C-2", "X-3", filed_on="2026-02-30"),
    ]
    async with UnitOfWork(runtime.engine, tenants["acme"], ANALYST) as uow:
        first = await import_external(uow, batch, TODAY)
        await uow.commit()
    closed = legal_row("C-1", "(2026)沪0115执1号", status="CLOSED", closed_on="2026-05-01")
    async with UnitOfWork(runtime.engine, tenants["acme"], ANALYST) as uow:
        again = await import_external(uow, [closed, batch[2]], TODAY)
        moved = await import_external(uow, [legal_row("C-2", "(2026)沪0115执1号")], TODAY)
        await uow.commit()
    assert [(r.status, [e.code for e in r.errors]) for r in first] == [
        ("CREATED", []),
        ("ERROR", ["DUPLICATE_SOURCE_REF"]),
        ("CREATED", []),
        ("ERROR", ["INVALID_DATE"]),
    ]
    assert [r.status for r in again] == ["UPDATED", "UNCHANGED"]
    assert [e.code for e in moved[0].errors] == ["SOURCE_REF_TAKEN"]
    assert database.query(
        "SELECT source_ref, status, closed_on FROM credit_external_records ORDER BY source_ref"
    ) == [("(2026)沪0115执1号", "CLOSED", date(2026, 5, 1)), ("X-2", "OPEN", None)]
    verbs = database.query("SELECT action FROM audit_log ORDER BY id")
    assert verbs == [
        ("RECORD_EXTERNAL_CREDIT_DATA",),
        ("RECORD_EXTERNAL_CREDIT_DATA",),
        ("REVISE_EXTERNAL_CREDIT_DATA",),
    ]


async def test_record_one_bureau_report(database, tenants, runtime):
    cid = customer(database, tenants["acme"])
    record = RecordIn(
        "BUREAU_REPORT", "bureau-x", "R-77", date(2026, 4, 1), "clean", "doc://r77", "AA-"
    )
    async with UnitOfWork(runtime.engine, tenants["acme"], ANALYST) as uow:
        saved = await record_external(uow, cid, record, TODAY)
        await uow.commit()
    assert saved.status == "CREATED"
    assert database.query("SELECT kind, score FROM credit_external_records") == [
        ("BUREAU_REPORT", "AA-")
    ]


async def test_the_file_drop_provider(database, tenants, runtime, tmp_path):
    # given: a JSON delivery, a CSV delivery and a file that is not JSON
    customer(database, tenants["acme"], "C-1")
    (tmp_path / "001-news.json").write_text(
        json.dumps(
            {
                "records": [
                    {
                        "customerCode": "C-1",
                        "kind": "NEGATIVE_NEWS",
                        "source": "news-monitor",
                        "sourceRef": "N-1",
                        "recordedOn": "2026-04-02",
                        "severity": "HIGH",
                        "summary": "拖欠供应商货款",
                        "evidence": "https://example.invalid/n1",
                    }
                ]
            },
            ensure_ascii=False,
        )
    )
    (tmp_path / "002-visits.csv").write_text(
        "customer_code,kind,source,sourceRef,recordedOn,assessment,party,evidence\n"
        "C-1,SITE_VISIT,sales-team,V-1,2026-04-03,POSITIVE,王伟,visit-report-1.pdf\n"
        "C-1,BANK_REFERENCE,bank,B-1,2026-04-04,,中国银行,letter.pdf\n"
    )
    (tmp_path / "003-broken.json").write_text("{not json")
    provider = FileDropProvider(tmp_path)
    # when
    async with UnitOfWork(runtime.engine, tenants["acme"], ANALYST) as uow:
        results = await pull(uow, provider, TODAY)
        await uow.commit()
    await acknowledge(provider, results)
    async with UnitOfWork(runtime.engine, tenants["acme"], ANALYST) as uow:
        second = await pull(uow, provider, TODAY)
    # then
    by_name = {r.batch.name: r for r in results}
    assert [r.status for r in by_name["001-news.json"].results] == ["CREATED"]
    assert [(r.status, [e.field for e in r.errors]) for r in by_name["002-visits.csv"].results] == [
        ("CREATED", []),
        ("ERROR", ["assessment"]),
    ]
    assert by_name["003-broken.json"].batch.error
    assert sorted(p.name for p in (tmp_path / "processed").iterdir()) == [
        "001-news.json",
        "002-visits.csv",
    ]
    assert [p.name for p in (tmp_path / "rejected").iterdir()] == ["003-broken.json"]
    assert second == []
    assert database.query("SELECT kind FROM credit_external_records ORDER BY kind") == [
        ("NEGATIVE_NEWS",),
        ("SITE_VISIT",),
    ]
