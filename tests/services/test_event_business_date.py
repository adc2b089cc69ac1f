"""Events are dated by the tenant's calendar at the clock its unit of work carries: at 17:30
UTC on 1 March a seller in Beijing (01:30 on 2 March) reverses a payment, records a lawsuit,
sees a cover cut or sends a letter on 2 March, while one in New York is still on 1 March."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import httpx
import pytest

from domain.errors import DomainError
from infra.runtime import Runtime
from infra.settings import Settings
from schema.relay import to_global_id
from services.collections import dunning
from services.risk import insurance_covers
from services.uow import UnitOfWork
from services.warnings import triggers
from tests.api.test_tenant_today import FixedClock
from tests.conftest import Database, gql, token
from tests.schema.test_ledger_api import REVERSE
from tests.services.risk_fixtures import ACTOR, cover, customer, invoice, pay, policy

#: 2026-03-01T17:30Z: 01:30 on 2 March in Beijing, 12:30 on 1 March in New York.
AT = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)
BEIJING_DAY = date(2026, 3, 2)
NEW_YORK_DAY = date(2026, 3, 1)


def uow_at(runtime: Runtime, tenant: UUID) -> UnitOfWork:
    """A unit of work whose clock stands at AT."""
    return UnitOfWork(runtime.engine, tenant, ACTOR, clock=FixedClock(AT))


def in_new_york(database: Database, tenant: UUID) -> None:
    """The tenant's profile, stored with the New York zone."""
    database.query(
        "INSERT INTO tenant_profiles (tenant_id, time_zone) VALUES (%s, 'America/New_York')",
        tenant,
    )


def rules_dates(database: Database, tenant: UUID) -> list[tuple[str, str]]:
    """The cause and date of each immediate rules run the tenant asked for."""
    rows = database.query(
        "SELECT args->>'cause', args->>'asOf' FROM jobs "
        "WHERE actor = 'warning_rules_now' AND tenant_id = %s ORDER BY created_at",
        tenant,
    )
    return [(r[0], r[1]) for r in rows]


async def test_a_reversal_at_1_30_in_beijing_runs_the_rules_as_of_2_march(
    runtime: Runtime, tenants: dict[str, UUID], database: Database
) -> None:
    # given: acme on the default zone (Asia/Shanghai), globex moved to New York
    in_new_york(database, tenants["globex"])
    # when each reverses a payment at the same instant
    for slug in ("acme", "globex"):
        async with uow_at(runtime, tenants[slug]) as uow:
            await triggers.payment_reversed(uow, uuid4(), uuid4())
            await uow.commit()
    # then each tenant's rules run as of its own date
    assert rules_dates(database, tenants["acme"]) == [("PAYMENT_REVERSED", "2026-03-02")]
    assert rules_dates(database, tenants["globex"]) == [("PAYMENT_REVERSED", "2026-03-01")]


async def test_a_legal_record_at_1_30_in_beijing_runs_the_rules_as_of_2_march(
    runtime: Runtime, tenants: dict[str, UUID], database: Database
) -> None:
    async with uow_at(runtime, tenants["acme"]) as uow:
        await triggers.legal_record(uow, uuid4(), uuid4())
        await uow.commit()
    assert rules_dates(database, tenants["acme"]) == [("LEGAL_RECORD", "2026-03-02")]


async def test_a_cover_cut_dated_later_runs_the_rules_as_of_the_tenants_today(
    runtime: Runtime, tenants: dict[str, UUID], database: Database
) -> None:
    # given a granted cover; when the insurer cancels it from 10 March, at 01:30 on 2 March
    async with uow_at(runtime, tenants["acme"]) as uow:
        buyer = await customer(uow, "COV-1")
        insured = await cover(uow, await policy(uow), buyer, "50000.00", date(2026, 1, 15))
        await insurance_covers.decide_cover(
            uow, insured, "CANCELLED", None, date(2026, 3, 10), None, None
        )
        await uow.commit()
    # then the rules run now, as of the tenant's date (not a later one, nor the host's)
    assert rules_dates(database, tenants["acme"]) == [("COVER_CANCELLED", "2026-03-02")]


async def test_the_reverse_payment_mutation_dates_its_rules_by_the_runtime_clock(
    client: httpx.AsyncClient,
    runtime: Runtime,
    settings: Settings,
    tenants: dict[str, UUID],
    database: Database,
) -> None:
    # given a payment of acme's (Beijing), and the platform's clock at AT
    async with UnitOfWork(runtime.engine, tenants["acme"], ACTOR) as uow:
        buyer = await customer(uow, "REV-1")
        bill = await invoice(uow, buyer, "REV-INV", date(2026, 1, 5), date(2026, 2, 4), "100.00")
        paid = await pay(uow, buyer, bill, "100.00", date(2026, 2, 10), "rev-pay")
        await uow.commit()
    runtime.clock = FixedClock(AT)
    # when finance reverses it through the API
    body = await gql(
        client,
        REVERSE,
        {
            "input": {
                "paymentId": to_global_id("Payment", paid),
                "reason": "cheque bounced",
                "idempotencyKey": "rev-1",
            }
        },
        token(settings, roles=["finance"]),
    )
    # then the reversal and its rules run are both on Beijing's 2 March
    assert body["data"]["reversePayment"]["userErrors"] == []
    assert rules_dates(database, tenants["acme"]) == [("PAYMENT_REVERSED", "2026-03-02")]
    assert database.query("SELECT DISTINCT effective_on FROM allocations WHERE amount_minor < 0")[
        0
    ] == (BEIJING_DAY,)


async def owing(runtime: Runtime, tenant: UUID) -> UUID:
    """A customer with an invoice overdue since 4 February."""
    async with UnitOfWork(runtime.engine, tenant, ACTOR) as uow:
        buyer = await customer(uow, "DUN-1")
        await invoice(uow, buyer, "DUN-INV", date(2026, 1, 5), date(2026, 2, 4), "1000.00")
        await uow.commit()
    return buyer


async def test_a_letter_sent_at_1_30_in_beijing_is_dated_2_march(
    runtime: Runtime, tenants: dict[str, UUID]
) -> None:
    # given
    buyer = await owing(runtime, tenants["acme"])
    # when a letter is posted without a date, at 01:30 on 2 March in Beijing
    async with uow_at(runtime, tenants["acme"]) as uow:
        sent = await dunning.send_letter(uow, dunning.LetterRequest(buyer, "REMINDER", "POST"))
        await uow.commit()
    # then it is dated by the tenant's calendar at the unit of work's clock
    assert sent.as_of == BEIJING_DAY
    assert sent.number == "DL-2026-0001"


async def test_a_letter_dated_after_the_tenants_today_is_refused(
    runtime: Runtime, tenants: dict[str, UUID]
) -> None:
    buyer = await owing(runtime, tenants["acme"])
    request = dunning.LetterRequest(buyer, "REMINDER", "POST", as_of=date(2026, 3, 3))
    async with uow_at(runtime, tenants["acme"]) as uow:
        with pytest.raises(DomainError) as refused:
            await dunning.send_letter(uow, request)
    assert refused.value.code == "FUTURE_DATE"


async def test_a_new_york_letter_at_the_same_instant_is_dated_1_march(
    runtime: Runtime, tenants: dict[str, UUID], database: Database
) -> None:
    in_new_york(database, tenants["globex"])
    buyer = await owing(runtime, tenants["globex"])
    async with uow_at(runtime, tenants["globex"]) as uow:
        sent = await dunning.send_letter(uow, dunning.LetterRequest(buyer, "REMINDER", "POST"))
        await uow.commit()
    assert sent.as_of == NEW_YORK_DAY
