"""Write-offs and provisions through GraphQL, with roles and refusals."""

from __future__ import annotations

from tests.conftest import gql, token
from tests.schema.test_customers_api import create
from tests.schema.test_ledger_api import INVOICE, invoice_input

PROPOSE = """mutation P($input: ProposeWriteOffInput!) { proposeWriteOff(input: $input) {
  proposal { id status total { amount } requiredRoles proposedBy } userErrors { field code } } }"""
DECIDE = """mutation D($input: DecideWriteOffInput!) { decideWriteOff(input: $input) {
  proposal { status } userErrors { code } } }"""
POST = """mutation W($input: PostWriteOffInput!) { postWriteOff(input: $input) {
  proposal { status } case { id cause amount { amount } } userErrors { code } } }"""
RUN = """mutation R($input: RunProvisionsInput!) { runProvisions(input: $input) {
  job { id status } userErrors { code } } }"""


async def test_write_off_through_the_api(client, settings, database):
    # given: a large invoice (above the dual-approval threshold of 50,000.00)
    manager = token(settings, sub="mia")
    customer = (await create(client, manager, "WO-1"))["customer"]["id"]
    invoice = (
        await gql(
            client,
            INVOICE,
            {"input": invoice_input(customer, "BIG", "80000.00")},
            token(settings, roles=["finance"]),
        )
    )["data"]["createInvoice"]["invoice"]
    collector = token(settings, roles=["collector"], sub="carl")
    # when
    proposed = (
        await gql(
            client,
            PROPOSE,
            {
                "input": {
                    "customerId": customer,
                    "reason": "bankrupt",
                    "evidence": ["court ruling 2026-123"],
                    "lines": [{"invoiceId": invoice["id"], "amount": "80000.00"}],
                    "idempotencyKey": "wo-1",
                }
            },
            collector,
        )
    )["data"]["proposeWriteOff"]["proposal"]
    own = await gql(
        client,
        DECIDE,
        {"input": {"id": proposed["id"], "approve": True}},
        token(settings, roles=["finance", "collector"], sub="carl"),
    )
    early = await gql(
        client,
        POST,
        {"input": {"id": proposed["id"], "idempotencyKey": "p0"}},
        token(settings, roles=["finance"], sub="fay"),
    )
    finance = await gql(
        client,
        DECIDE,
        {"input": {"id": proposed["id"], "approve": True}},
        token(settings, roles=["finance"], sub="fay"),
    )
    credit = await gql(client, DECIDE, {"input": {"id": proposed["id"], "approve": True}}, manager)
    posted = await gql(
        client,
        POST,
        {"input": {"id": proposed["id"], "idempotencyKey": "p1"}},
        token(settings, roles=["finance"], sub="fay"),
    )
    # then
    assert proposed["requiredRoles"] == ["credit_manager", "finance"]
    assert own["data"]["decideWriteOff"]["userErrors"] == [{"code": "SELF_APPROVAL"}]
    assert early["data"]["postWriteOff"]["userErrors"] == [{"code": "INVALID_STATUS"}]
    assert finance["data"]["decideWriteOff"]["proposal"]["status"] == "PROPOSED"
    assert credit["data"]["decideWriteOff"]["proposal"]["status"] == "APPROVED"
    result = posted["data"]["postWriteOff"]
    assert result["proposal"]["status"] == "POSTED"
    assert result["case"]["amount"]["amount"] == "80000.00"
    assert database.query("SELECT open_minor, written_off_minor FROM invoices") == [(0, 8000000)]
    sales = await gql(
        client,
        PROPOSE,
        {"input": {"customerId": customer, "reason": "x", "lines": [], "idempotencyKey": "s"}},
        token(settings, roles=["sales"]),
    )
    assert sales["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_run_provisions_queues_a_job(client, settings, database):
    body = await gql(
        client, RUN, {"input": {"periodEnd": "2026-10-31"}}, token(settings, roles=["finance"])
    )
    assert body["data"]["runProvisions"]["job"]["status"] == "PENDING"
    assert database.query("SELECT actor, args FROM jobs") == [
        ("run_provisions", {"periodEnd": "2026-10-31"})
    ]
