"""Migration 0017 repairs what an older version stored (0001-01-01, 9999-12-31, +-infinity, a
megabyte note, amounts no BIGINT sum holds), auditably, and afterwards every scheduled job
of the tenant runs to success."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

import psycopg
import pytest

from dbschema.provision import downgrade, migrate
from jobs.actors import WORK
from services.collections import dunning
from services.inputs import MoneyIn
from services.jobs import catalogue as job
from services.ledger import payments
from services.ledger.inputs import PaymentIn
from services.uow import Actor, UnitOfWork
from tests.conftest import Database
from tests.jobs.every_job import run_every_job, run_one
from tests.services.test_delivery import configure, customer_owing
from tests.smtp_server import smtp_server as smtp_server  # the fixture, by its name

#: Jobs that read only tables created after 0017 (their input cannot predate the repair).
LATER_JOBS = {job.RENDER_RISK_DOCUMENT.name}
HUGE = 9_223_372_036_854_775_807  #: 92,233,720,368,547,758.07 CNY: what the probe posted twice
NOTE = "证" * (1 << 20)  #: a megabyte of evidence


def _before_0017(database: Database) -> None:
    """Take the database back to the revision before 0017, whatever comes after it."""
    downgrade(database.owner_url, "credit_app", "0017")
    downgrade(database.owner_url, "credit_app", "-1")


def _insert(database: Database, table: str, **values: Any) -> uuid.UUID | None:
    """One row as the owner writes it (no check of ours in the way, as before 0017); its id."""
    columns = ", ".join(values)
    marks = ", ".join(["%s"] * len(values))
    params = [json.dumps(v) if isinstance(v, list | dict) else v for v in values.values()]
    with psycopg.connect(database.owner_url, autocommit=True) as conn:
        row = conn.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING to_jsonb({table})->>'id'",
            params,
        ).fetchone()
    assert row is not None
    return uuid.UUID(row[0]) if row[0] else None


def _seed_old_rows(database: Database, tenant: uuid.UUID) -> dict[str, uuid.UUID]:
    """What the probe got stored before the input rules existed."""
    t = str(tenant)
    customer: Any = _insert(
        database,
        "customers",
        tenant_id=t,
        code="OLD-1",
        legal_name="旧数据客户",
        country="CN",
        founded_on="0001-01-01",
        last_reviewed_on="infinity",
    )
    ids = {"customer": customer}
    for n, (issue, due) in enumerate(
        [("-infinity", "0001-01-01"), ("9999-12-31", "infinity"), ("2026-09-01", "infinity")]
    ):
        ids[f"invoice{n}"] = _insert(
            database,
            "invoices",
            tenant_id=t,
            number=f"OLD-INV-{n}",
            customer_id=str(customer),
            issue_date=issue,
            due_date=due,
            currency="CNY",
            amount_minor=100_000,
            open_minor=100_000,
            fingerprint="old",
            created_by="probe",
        )
    for n in range(2):  # two invoices no BIGINT sum holds together
        ids[f"huge{n}"] = _insert(
            database,
            "invoices",
            tenant_id=t,
            number=f"OLD-HUGE-{n}",
            customer_id=str(customer),
            issue_date="2026-08-01",
            due_date="2026-09-01",
            currency="CNY",
            amount_minor=HUGE,
            open_minor=HUGE,
            fingerprint="old",
            created_by="probe",
        )
    ids["payment"] = _insert(
        database,
        "payments",
        tenant_id=t,
        customer_id=str(customer),
        received_on="9999-12-31",
        currency="CNY",
        amount_minor=5_000,
        unallocated_minor=0,
        method="BANK_TRANSFER",
        reference="R" * 5000,
        fingerprint="old",
        created_by="probe",
    )
    _insert(
        database,
        "allocations",
        tenant_id=t,
        invoice_id=str(ids["invoice2"]),
        currency="CNY",
        kind="PAYMENT",
        payment_id=str(ids["payment"]),
        amount_minor=5_000,
        effective_on="infinity",
        created_by="probe",
    )
    with psycopg.connect(database.owner_url, autocommit=True) as conn:
        conn.execute(
            "UPDATE invoices SET open_minor = open_minor - 5000 WHERE id = %s", (ids["invoice2"],)
        )
    ids["activity"] = _insert(
        database,
        "activities",
        tenant_id=t,
        customer_id=str(customer),
        kind="NOTE",
        occurred_at="0001-01-01T00:00:00+14:00",
        notes=NOTE,
        created_by="probe",
    )
    _insert(
        database,
        "credit_file_entries",
        tenant_id=t,
        customer_id=str(customer),
        occurred_on="-infinity",
        kind="NOTE",
        title="old",
        created_by="probe",
    )
    _insert(
        database,
        "promises",
        tenant_id=t,
        customer_id=str(customer),
        currency="CNY",
        amount_minor=1_000,
        promised_on="0001-01-01",
        baseline_paid_minor=0,
        created_by="probe",
    )
    _insert(
        database,
        "aging_snapshots",
        tenant_id=t,
        as_of="infinity",
        customer_id=str(customer),
        currency="CNY",
        open_minor=1,
        overdue_minor=0,
        buckets={},
        weighted_days_past_due=0,
    )
    ids["run"] = _insert(
        database,
        "provision_runs",
        tenant_id=t,
        period_end="9999-12-31",
        basis="AGE",
        totals={},
        created_by="probe",
    )
    ids["proposal"] = _insert(
        database,
        "write_off_proposals",
        tenant_id=t,
        customer_id=str(customer),
        currency="CNY",
        total_minor=6_000_000,
        reason="insolvent",
        status="APPROVED",
        required_roles=["credit_manager", "finance"],
        created_by="carl",
    )
    for role in ("credit_manager", "finance"):  # one person, both approvals
        _insert(
            database,
            "write_off_approvals",
            tenant_id=t,
            proposal_id=str(ids["proposal"]),
            role=role,
            approver="one-person",
            decision="APPROVED",
        )
    _insert(
        database,
        "jobs",
        tenant_id=t,
        actor="run_provisions",
        args={"periodEnd": "9999-12-31"},
        status="PENDING",
        requested_by="probe",
    )
    return ids


def _repairs(database: Database) -> dict[tuple[str, str | None, str], list[Any]]:
    rows = database.query(
        "SELECT table_name, column_name, action, old_value, new_value FROM data_repairs"
    )
    found: dict[tuple[str, str | None, str], list[Any]] = {}
    for table, column, action, old, new in rows:
        found.setdefault((table, column, action), []).append((old, new))
    return found


async def test_old_rows_are_repaired_auditably_and_every_job_then_succeeds(
    database, tenants, settings, smtp_server
):
    # given a tenant whose rows an older version stored out of every range
    tenant = tenants["acme"]
    _before_0017(database)
    ids = _seed_old_rows(database, tenant)
    # when the migration runs
    migrate(database.owner_url, "credit_app")
    # then every out-of-range date was clamped, with its old value on record
    repairs = _repairs(database)
    assert sorted(repairs[("invoices", "issue_date", "CLAMPED")]) == [
        ("-infinity", "1900-01-01"),
        ("9999-12-31", "2199-12-31"),
    ]
    assert sorted(repairs[("invoices", "due_date", "CLAMPED")]) == [
        ("0001-01-01", "1900-01-01"),
        ("infinity", "2199-12-31"),
        ("infinity", "2199-12-31"),
    ]
    for key in [
        ("customers", "founded_on", "CLAMPED"),
        ("customers", "last_reviewed_on", "CLAMPED"),
        ("payments", "received_on", "CLAMPED"),
        ("allocations", "effective_on", "CLAMPED"),
        ("activities", "occurred_at", "CLAMPED"),
        ("credit_file_entries", "occurred_on", "CLAMPED"),
        ("promises", "promised_on", "CLAMPED"),
        ("aging_snapshots", "as_of", "DELETED"),
        ("provision_runs", "period_end", "DELETED"),
        ("jobs", "status", "FAILED_JOB"),
        ("activities", "notes", "KEPT"),
        ("payments", "reference", "KEPT"),
        ("invoices", "amount_minor", "KEPT"),
    ]:
        assert key in repairs, (key, sorted(repairs))
    assert len(repairs[("invoices", "amount_minor", "KEPT")]) == 2
    # and the write-off one person approved twice waits for a second person again
    assert repairs[("write_off_proposals", "status", "REOPENED")] == [("APPROVED", "PROPOSED")]
    assert len(repairs[("write_off_approvals", None, "DELETED")]) == 1
    assert database.query("SELECT status FROM write_off_proposals") == [("PROPOSED",)]
    assert database.query("SELECT approver FROM write_off_approvals") == [("one-person",)]
    # and the rows hold the clamped values, the kept ones their own, nothing out of range
    assert database.query(
        "SELECT issue_date, due_date FROM invoices WHERE number LIKE 'OLD-INV-%%' ORDER BY number"
    ) == [
        (date(1900, 1, 1), date(1900, 1, 1)),
        (date(2199, 12, 31), date(2199, 12, 31)),
        (date(2026, 9, 1), date(2199, 12, 31)),
    ]
    assert database.query(
        "SELECT char_length(notes) FROM activities WHERE id = %s", ids["activity"]
    ) == [(len(NOTE),)]
    assert database.query("SELECT count(*) FROM provision_runs") == [(0,)]
    assert database.query("SELECT status FROM jobs") == [("FAILED",)]
    unvalidated = database.query(
        "SELECT conname FROM pg_constraint WHERE contype = 'c' AND NOT convalidated"
    )
    assert unvalidated == []
    # and the database refuses a new out-of-range date or megabyte note as the API would
    with pytest.raises(psycopg.errors.CheckViolation):
        _insert(
            database,
            "reminders",
            tenant_id=str(tenant),
            invoice_id=str(ids["invoice2"]),
            kind="PRE_DUE",
            sent_on="9999-12-31",
        )
    with pytest.raises(psycopg.errors.CheckViolation):
        _insert(
            database,
            "activities",
            tenant_id=str(tenant),
            customer_id=str(ids["customer"]),
            kind="NOTE",
            occurred_at="2026-01-01T00:00:00Z",
            notes=NOTE,
            created_by="probe",
        )
    # when every scheduled job runs for the tenant, today and at the last month-end
    from infra.runtime import open_runtime

    runtime = open_runtime(settings)
    try:
        # (with a mail server, so the statements are e-mailed and a letter is sent too)
        await configure(runtime, tenant, smtp_server)
        owing = await customer_owing(runtime, tenant)
        async with UnitOfWork(runtime.engine, tenant, Actor("carl")) as uow:
            await dunning.send_letter(uow, dunning.LetterRequest(owing, "DEMAND", "EMAIL"))
            await uow.commit()
        # (and a bounced payment, which runs the customer's warning rules at once)
        async with UnitOfWork(runtime.engine, tenant, Actor("fay")) as uow:
            paid = await payments.create_payment(
                uow, PaymentIn(owing, date(2026, 10, 2), MoneyIn("10.00", "CNY")), key="bounce"
            )
            await payments.reverse_payment(
                uow, paid.result.payment_id, "bounced", date(2026, 10, 9), "bounce-back"
            )
            await uow.commit()
        today = date.today()
        outcomes = await run_every_job(runtime, tenant, [today, today.replace(day=1)], "repair")
        # and a provision run the probe asked for that no BIGINT total holds
        outcomes.append(
            (
                "run_provisions",
                await run_one(
                    runtime, tenant, job.RUN_PROVISIONS, job.PeriodEnd(today), "repair:now"
                ),
            )
        )
    finally:
        await runtime.close()
    # then every one succeeded, and the totals are exact
    assert (
        database.query(
            "SELECT actor, error FROM jobs WHERE status = 'FAILED' AND requested_by <> 'probe'"
        )
        == []
    )
    assert {outcome for _, outcome in outcomes} <= {"SUCCEEDED", "ALREADY_DONE"}, outcomes
    # every kind ran, but those whose rows only tables made after the repair hold (risk
    # transfer, 0015 and later: the extreme-rows test runs them over the longest inputs)
    assert {name for name, _ in outcomes} == {w.spec.name for w in WORK} - LATER_JOBS
    totals = database.query(
        "SELECT totals FROM provision_runs WHERE period_end = %s", date.today()
    )[0][0]
    assert totals["CNY"]["open"] > 2 * HUGE - 1
