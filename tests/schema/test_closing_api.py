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
    # given a finance token
    finance = token(settings, roles=["finance"])
    # when October is named by any of its days, by the deprecated periodEnd, and by neither
    body = await gql(client, RUN, {"input": {"period": "2026-10-15"}}, finance)
    old = await gql(client, RUN, {"input": {"periodEnd": "2026-11-30"}}, finance)
    neither = await gql(client, RUN, {"input": {}}, finance)
    # then the runs are for the months' last days, and naming no period is refused
    assert body["data"]["runProvisions"]["job"]["status"] == "PENDING"
    assert old["data"]["runProvisions"]["userErrors"] == []
    assert neither["data"]["runProvisions"]["userErrors"] == [{"code": "REQUIRED"}]
    assert database.query("SELECT actor, args FROM jobs ORDER BY created_at") == [
        ("run_provisions", {"periodEnd": "2026-10-31"}),
        ("run_provisions", {"periodEnd": "2026-11-30"}),
    ]


LINES = """query L($after: String) { provisionRuns { periodEnd totals { provision { amount } }
  customers(first: 1, after: $after) {
    lines { customer { code } currency open { amount } provision { amount } charge { amount }
            invoices { rate provision { amount } invoice { number } } }
    pageInfo { hasNextPage endCursor } } } }"""


async def test_provision_lines_per_customer_and_invoice(client, settings, runtime, tenants):
    # given: two customers, invoices of different ages, a month-end run
    from datetime import date

    from services.closing.provisions import run_provisions
    from services.uow import UnitOfWork

    manager, finance = token(settings), token(settings, roles=["finance"])
    for code, rows in (
        ("PL-1", [("PL-1a", "2025-06-01", "1000.00"), ("PL-1b", "2026-10-01", "100.00")]),
        ("PL-2", [("PL-2a", "2026-09-01", "400.00")]),
    ):
        customer = (await create(client, manager, code))["customer"]["id"]
        for number, issued, amount in rows:
            body = await gql(
                client,
                INVOICE,
                {"input": {**invoice_input(customer, number, amount), "issueDate": issued}},
                finance,
            )
            assert body["data"]["createInvoice"]["userErrors"] == []
    async with UnitOfWork(runtime.engine, tenants["acme"]) as uow:
        await run_provisions(uow, date(2026, 10, 31))
        await uow.commit()
    # when
    first = (await gql(client, LINES, None, finance))["data"]["provisionRuns"][0]
    cursor = first["customers"]["pageInfo"]["endCursor"]
    second = (await gql(client, LINES, {"after": cursor}, finance))["data"]["provisionRuns"][0]
    # then: 30% of the 1-2 year invoice, 5% of the young ones; largest customer first
    assert first["totals"] == [{"provision": {"amount": "325.00"}}]
    [line] = first["customers"]["lines"]
    assert line["customer"] == {"code": "PL-1"}
    assert (line["open"]["amount"], line["provision"]["amount"]) == ("1100.00", "305.00")
    assert line["charge"]["amount"] == "305.00"
    assert [
        (i["invoice"]["number"], i["rate"], i["provision"]["amount"]) for i in line["invoices"]
    ] == [
        ("PL-1a", "0.3000", "300.00"),
        ("PL-1b", "0.0500", "5.00"),
    ]
    assert first["customers"]["pageInfo"]["hasNextPage"] is True
    [other] = second["customers"]["lines"]
    assert (other["customer"]["code"], other["provision"]["amount"]) == ("PL-2", "20.00")
    assert second["customers"]["pageInfo"]["hasNextPage"] is False


RUN_LINES = """query L($first: Int, $after: String, $last: Int, $before: String) {
  provisionRuns { customers(first: $first, after: $after, last: $last, before: $before) {
    lines { customer { code } provision { amount } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }"""


async def test_provision_lines_page_backward_as_well(client, settings, runtime, tenants):
    # given: three customers with invoices of one age and different amounts, a month-end run
    from datetime import date

    from services.closing.provisions import run_provisions
    from services.uow import UnitOfWork

    manager, finance = token(settings), token(settings, roles=["finance"])
    for code, amount in (("PB-1", "100.00"), ("PB-2", "300.00"), ("PB-3", "200.00")):
        customer = (await create(client, manager, code))["customer"]["id"]
        body = await gql(client, INVOICE, {"input": invoice_input(customer, code, amount)}, finance)
        assert body["data"]["createInvoice"]["userErrors"] == []
    async with UnitOfWork(runtime.engine, tenants["acme"]) as uow:
        await run_provisions(uow, date(2026, 10, 31))
        await uow.commit()

    async def page(**arguments: object) -> dict:
        body = await gql(client, RUN_LINES, arguments, finance)
        assert "errors" not in body, body
        return body["data"]["provisionRuns"][0]["customers"]  # type: ignore[no-any-return]

    def codes(lines: dict) -> list[str]:
        return [line["customer"]["code"] for line in lines["lines"]]

    # when read forward one at a time, then backward one at a time from the end
    forward = [await page(first=1)]
    while forward[-1]["pageInfo"]["hasNextPage"]:
        forward.append(await page(first=1, after=forward[-1]["pageInfo"]["endCursor"]))
    backward = [await page(last=2)]
    while backward[-1]["pageInfo"]["hasPreviousPage"]:
        backward.append(await page(last=2, before=backward[-1]["pageInfo"]["startCursor"]))
    cursor = forward[0]["pageInfo"]["endCursor"]
    both = await gql(client, RUN_LINES, {"first": 1, "before": cursor}, finance)
    # then: the same lines in reverse, largest provision first on every page
    assert [codes(p) for p in forward] == [["PB-2"], ["PB-3"], ["PB-1"]]
    assert [codes(p) for p in backward] == [["PB-3", "PB-1"], ["PB-2"]]
    assert [p["pageInfo"]["hasPreviousPage"] for p in forward] == [False, True, True]
    assert [(p["pageInfo"]["hasNextPage"], p["pageInfo"]["hasPreviousPage"]) for p in backward] == [
        (False, True),
        (True, False),
    ]
    assert both["errors"][0]["extensions"]["code"] == "PAGE_ARGUMENTS_CONFLICT"
