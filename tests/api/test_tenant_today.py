"""A request's "today" is its tenant's date: 20:00 UTC on 1 December is already 2 December in
Beijing (the default zone) and still 1 December in New York; an `asOf` given still wins."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from infra.runtime import Runtime
from infra.settings import Settings
from tests.conftest import Database, gql, token
from tests.schema.test_customers_api import create
from tests.schema.test_ledger_api import INVOICE, invoice_input

#: 2026-12-01T20:00Z: 04:00 on 2 December in Beijing, 15:00 on 1 December in New York.
EVENING_UTC = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
AGING = "{ aging { asOf } }"
AGING_ON = '{ aging(asOf: "2026-06-30") { asOf } }'
DAYS_PAST_DUE = "{ invoices(first: 1) { edges { node { dueDate daysPastDue } } } }"
PROFILE = """mutation P($input: UpdateTenantProfileInput!) { updateTenantProfile(input: $input) {
  profile { timeZone version } userErrors { field code } } }"""
CSV_HEADER = "customer_code,period_start,period_end,kind,source,currency,unit,total_assets"


@dataclass
class FixedClock:
    """A clock stopped at one instant."""

    at: datetime

    def now(self) -> datetime:
        """The instant it shows."""
        return self.at


async def set_zone(client: httpx.AsyncClient, settings: Settings, tenant: str, zone: str) -> None:
    """An administrator of `tenant` moves its profile to `zone`."""
    admin = token(settings, tenant, roles=["admin"])
    body = await gql(client, PROFILE, {"input": {"version": 0, "timeZone": zone}}, admin)
    assert body["data"]["updateTenantProfile"]["userErrors"] == []


async def test_a_request_at_4am_in_beijing_is_dated_2_december(
    client: httpx.AsyncClient, runtime: Runtime, settings: Settings
) -> None:
    # given: the host's clock at 20:00 UTC, the tenant on the default zone (Asia/Shanghai)
    runtime.clock = FixedClock(EVENING_UTC)
    bearer = token(settings)
    # when
    today = await gql(client, AGING, bearer=bearer)
    asked = await gql(client, AGING_ON, bearer=bearer)
    # then: Beijing's date, and a date the client gives wins over it
    assert today["data"]["aging"]["asOf"] == "2026-12-02"
    assert asked["data"]["aging"]["asOf"] == "2026-06-30"


async def test_a_tenant_in_new_york_sees_1_december(
    client: httpx.AsyncClient, runtime: Runtime, settings: Settings
) -> None:
    # given: globex works from New York, acme from Beijing
    runtime.clock = FixedClock(EVENING_UTC)
    await set_zone(client, settings, "globex", "America/New_York")
    # when
    globex = await gql(client, AGING, bearer=token(settings, "globex"))
    acme = await gql(client, AGING, bearer=token(settings, "acme"))
    # then
    assert globex["data"]["aging"]["asOf"] == "2026-12-01"
    assert acme["data"]["aging"]["asOf"] == "2026-12-02"


async def test_a_zone_stored_before_the_process_met_the_tenant_is_used_at_once(
    client: httpx.AsyncClient,
    runtime: Runtime,
    settings: Settings,
    database: Database,
    tenants: dict[str, uuid.UUID],
) -> None:
    # given: New York written behind the process's back, before its first request
    database.query(
        "INSERT INTO tenant_profiles (tenant_id, time_zone) VALUES (%s, 'America/New_York')",
        tenants["globex"],
    )
    runtime.clock = FixedClock(EVENING_UTC)
    # when: the very first request of that tenant
    body = await gql(client, AGING, bearer=token(settings, "globex"))
    # then: resolving the tenant read its zone too
    assert body["data"]["aging"]["asOf"] == "2026-12-01"


async def test_days_past_due_count_to_the_tenants_date(
    client: httpx.AsyncClient, runtime: Runtime, settings: Settings
) -> None:
    # given: an invoice of each tenant due 31 October (30 days net from 1 October)
    runtime.clock = FixedClock(EVENING_UTC)
    await set_zone(client, settings, "globex", "America/New_York")
    for tenant in ("acme", "globex"):
        manager = token(settings, tenant)
        customer = (await create(client, manager, "TZ-1"))["customer"]["id"]
        finance = token(settings, tenant, roles=["finance"])
        made = await gql(client, INVOICE, {"input": invoice_input(customer)}, finance)
        assert made["data"]["createInvoice"]["userErrors"] == []
    # when
    acme = await gql(client, DAYS_PAST_DUE, bearer=token(settings, "acme"))
    globex = await gql(client, DAYS_PAST_DUE, bearer=token(settings, "globex"))
    # then: a day more overdue in Beijing than in New York at the same instant
    assert acme["data"]["invoices"]["edges"][0]["node"] == {
        "dueDate": "2026-10-31",
        "daysPastDue": 32,
    }
    assert globex["data"]["invoices"]["edges"][0]["node"]["daysPastDue"] == 31


async def test_a_rest_upload_is_checked_against_the_tenants_date(
    client: httpx.AsyncClient, runtime: Runtime, settings: Settings
) -> None:
    # given: a statement of a period not yet ended, for a customer of each tenant
    runtime.clock = FixedClock(EVENING_UTC)
    await set_zone(client, settings, "globex", "America/New_York")
    body = f"{CSV_HEADER}\nTZ-2,2027-01-01,2027-12-31,ANNUAL,AUDITED,CNY,YUAN,1000".encode()
    seen = {}
    for tenant in ("acme", "globex"):
        analyst = token(settings, tenant, roles=["credit_analyst"])
        await create(client, analyst, "TZ-2")
        headers = {"Authorization": f"Bearer {analyst}", "content-type": "text/csv"}
        # when
        answer = await client.post(
            "/imports/financial-statements.csv", content=body, headers=headers
        )
        assert answer.status_code == 200, answer.text
        [error] = answer.json()["results"][0]["userErrors"]
        seen[tenant] = error["message"]
    # then: the refusal names each tenant's own today
    assert "today is 2026-12-02" in seen["acme"]
    assert "today is 2026-12-01" in seen["globex"]
