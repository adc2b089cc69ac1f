"""Every type with a global id comes back through `node`: each object is made the way the
platform makes it, its id read from the query that normally lists it, and `node(id:)` answers
the same object; another tenant asking gets null, and a role the type's own fields refuse
gets FORBIDDEN."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from domain import roles
from schema.node import NODE_TYPES
from schema.relay import to_global_id
from services.closing.provisions import run_provisions
from services.collections.workflow import daily_run
from services.uow import Actor, UnitOfWork
from tests.api.test_collections_documents import overdue_customer, profile_with_law_firm
from tests.conftest import gql, token
from tests.schema.test_closing_api import DECIDE as DECIDE_WRITE_OFF
from tests.schema.test_closing_api import POST as POST_WRITE_OFF
from tests.schema.test_closing_api import PROPOSE
from tests.schema.test_credit_analysis_api import EXTERNAL, RECORD, legal, statement_input
from tests.schema.test_credit_applications_api import REVIEW
from tests.schema.test_credit_limits_api import CHECK, ORDER, RATE, _check, _customer, _limit
from tests.schema.test_credit_scoring_api import OVERRIDE, SCORE
from tests.schema.test_customers_api import create
from tests.schema.test_ledger_api import INVOICE, PAYMENT, invoice_input
from tests.services.warning_rules_helpers import AS_OF, customer, invoice, run

#: `node` asked for one type, as a client narrows it.
NODE_AS = "query N($id: ID!) {{ node(id: $id) {{ __typename ... on {type} {{ id }} }} }}"
ACTIVITY = """mutation A($input: RecordActivityInput!) { recordActivity(input: $input) {
  userErrors { field code } } }"""
LIMITS = """query L($id: ID!) {
  exchangeRates { edges { node { id } } }
  creditLimits(customerId: $id) { edges { node { id } } }
  creditLimitRequests(customerId: $id) { edges { node { id } } }
  creditReservations(customerId: $id) { edges { node { id } } }
  salesOrders(customerId: $id) { edges { node { id } } }
  creditDecisions(customerId: $id) { edges { node { id } } } }"""
ANALYSIS = """query A($id: ID!) {
  financialStatements(customerId: $id) { edges { node { id } } }
  externalCreditRecords(customerId: $id) { edges { node { id } } }
  creditScores(customerId: $id) { edges { node { id } } }
  scorecardVersions { edges { node { id } } }
  classOverrides(customerId: $id) { edges { node { id } } }
  creditReviews(customerId: $id) { edges { node { id } } } }"""
RECEIVABLES = """query R($id: ID!) {
  invoices(filter: {customerId: $id}) { edges { node { allocations { id } } } }
  activities(customerId: $id) { id }
  collectionCases(customerId: $id) { id }
  collectionTasks(role: "sales") { id }
  sentDocuments(customerId: $id) { id } }"""
SENT = """mutation S($input: SendDunningLetterInput!) { sendDunningLetter(input: $input) {
  letter { deliveries { id } } userErrors { field code } } }"""
CLOSING = """{ provisionRuns { id } writeOffProposals { id } badDebtCases { id } }"""
RESPONSES = """{ warnings { edges { node { responses { id } } } } }"""


def only(listed: Any) -> str:
    """The id of the one item a list (or a connection's edges) holds."""
    items = listed["edges"] if isinstance(listed, dict) else listed
    [item] = items
    return str((item.get("node") or item)["id"])


async def assert_round_trip(client: Any, settings: Any, ids: dict[str, str]) -> None:
    """Each id comes back through `node` as its type for the credit manager (who reads every
    type); null for the other tenant; FORBIDDEN for a role the type's fields refuse."""
    manager = token(settings)
    globex = token(settings, tenant="globex", roles=sorted(roles.ALL_ROLES))
    for type_name, global_id in ids.items():
        query = NODE_AS.format(type=type_name)
        found = await gql(client, query, {"id": global_id}, manager)
        assert "errors" not in found, found
        assert found["data"] == {"node": {"__typename": type_name, "id": global_id}}, type_name
        elsewhere = await gql(client, query, {"id": global_id}, globex)
        assert "errors" not in elsewhere, elsewhere
        assert elsewhere["data"] == {"node": None}, type_name
        refused = sorted(roles.ALL_ROLES - NODE_TYPES[type_name].readers)
        if refused:
            denied = await gql(client, query, {"id": global_id}, token(settings, roles=refused))
            assert denied["data"] == {"node": None}, type_name
            assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN", type_name


async def test_limit_types_come_back_through_node(client, settings):
    # given: a rate, an approved limit, a reserving check and an order of one customer
    finance = token(settings, roles=["finance"])
    rate = {"base": "USD", "quote": "CNY", "rate": "7.1", "effectiveOn": "2026-01-05"}
    assert (await gql(client, RATE, {"input": rate}, finance))["data"]["setExchangeRate"][
        "userErrors"
    ] == []
    customer_id = await _customer(client, settings, "NODE-LIM")
    await _limit(client, settings, customer_id, "10000.00")
    sales = token(settings, roles=["sales"], sub="sam")
    await gql(client, CHECK, _check(customer_id, "800.00", orderRef="SO-N", reserve=True), sales)
    order = {"orderRef": "SO-M", "customerId": customer_id,
             "amount": {"amount": "400.00", "currency": "CNY"}}  # fmt: skip
    await gql(client, ORDER, {"input": order}, token(settings, roles=["integrator"]))
    # when their ids are read from the lists that show them
    listed = (await gql(client, LIMITS, {"id": customer_id}, token(settings)))["data"]
    decisions = [e["node"]["id"] for e in listed["creditDecisions"]["edges"]]
    ids = {
        "ExchangeRate": only(listed["exchangeRates"]),
        "CreditLimit": only(listed["creditLimits"]),
        "CreditLimitRequest": only(listed["creditLimitRequests"]),
        "CreditReservation": only(listed["creditReservations"]),
        "SalesOrder": only(listed["salesOrders"]),
        "CreditDecision": decisions[0],
    }
    # then each is the same object through node
    await assert_round_trip(client, settings, ids)


async def test_analysis_scoring_and_review_types_come_back_through_node(client, settings):
    # given: a statement, a court record, a score, an override and a review of one customer
    analyst = token(settings, roles=["credit_analyst"], sub="ana")
    manager = token(settings, sub="mia")
    customer_id = (await create(client, analyst, "NODE-ANA"))["customer"]["id"]
    await gql(client, RECORD, {"input": statement_input(customer_id)}, analyst)
    await gql(client, EXTERNAL, {"input": legal(customer_id)}, analyst)
    await gql(client, SCORE, {"input": {"customerId": customer_id}}, analyst)
    override = {"customerId": customer_id, "ratingClass": "A", "reason": "bank guarantee"}
    await gql(client, OVERRIDE, {"input": override}, manager)
    await gql(client, REVIEW, {"input": {"customerId": customer_id}}, analyst)
    # when their ids are read from the lists that show them
    listed = (await gql(client, ANALYSIS, {"id": customer_id}, manager))["data"]
    ids = {
        "FinancialStatement": only(listed["financialStatements"]),
        "ExternalCreditRecord": only(listed["externalCreditRecords"]),
        "CreditScore": only(listed["creditScores"]),
        "ScorecardVersion": only(listed["scorecardVersions"]),
        "ClassOverride": only(listed["classOverrides"]),
        "CreditReview": only(listed["creditReviews"]),
    }
    # then each is the same object through node
    await assert_round_trip(client, settings, ids)


async def test_receivables_and_collections_types_come_back_through_node(
    client, settings, runtime, tenants
):
    # given: an overdue customer who paid part, was called, was sent a letter, and whose
    # collection case the daily run opened (with its task for sales)
    await profile_with_law_firm(client, settings)
    customer_id = await overdue_customer(client, settings, "NODE-COL")
    finance = token(settings, roles=["finance"])
    paid = {"customerId": customer_id, "receivedOn": date.today().isoformat(), "amount":
            {"amount": "100.00", "currency": "CNY"}, "idempotencyKey": "node-pay"}  # fmt: skip
    assert (await gql(client, PAYMENT, {"input": paid}, finance))["data"]["createPayment"][
        "userErrors"
    ] == []
    collector = token(settings, roles=["collector"], sub="carl")
    call = {"customerId": customer_id, "kind": "CALL", "occurredAt": "2026-11-20T09:30:00+08:00",
            "outcome": "promised"}  # fmt: skip
    assert (await gql(client, ACTIVITY, {"input": call}, collector))["data"]["recordActivity"][
        "userErrors"
    ] == []
    sent = await gql(
        client,
        SENT,
        {"input": {"customerId": customer_id, "kind": "REMINDER", "channel": "COURIER"}},
        collector,
    )
    delivery = sent["data"]["sendDunningLetter"]["letter"]["deliveries"][0]["id"]
    async with UnitOfWork(runtime.engine, tenants["acme"], Actor("job")) as uow:
        await daily_run(uow, date.today())
        await uow.commit()
    # when their ids are read from the lists (and the payload) that show them
    listed = (await gql(client, RECEIVABLES, {"id": customer_id}, token(settings)))["data"]
    allocations = listed["invoices"]["edges"][0]["node"]["allocations"]
    ids = {
        "Allocation": only(allocations),
        "Activity": str(listed["activities"][0]["id"]),
        "CollectionCase": only(listed["collectionCases"]),
        "CollectionTask": only(listed["collectionTasks"]),
        "SentDocument": only(listed["sentDocuments"]),
        "DocumentDelivery": delivery,
    }
    # then each is the same object through node
    await assert_round_trip(client, settings, ids)


async def test_closing_and_warning_types_come_back_through_node(
    client, settings, runtime, tenants, database
):
    # given: a month-end provision run, a written-off invoice (its proposal and case) and an
    # overdue customer whose warning raised responses
    finance = token(settings, roles=["finance"], sub="fay")
    customer_id = (await create(client, token(settings), "NODE-CLO"))["customer"]["id"]
    made = await gql(client, INVOICE, {"input": invoice_input(customer_id, "NODE-WO", "500.00")},
                     finance)  # fmt: skip
    invoice_id = made["data"]["createInvoice"]["invoice"]["id"]
    async with UnitOfWork(runtime.engine, tenants["acme"], Actor("job")) as uow:
        await run_provisions(uow, date(2026, 10, 31))
        await uow.commit()
    proposal = {"customerId": customer_id, "reason": "bankrupt", "evidence": ["ruling"],
                "lines": [{"invoiceId": invoice_id, "amount": "500.00"}],
                "idempotencyKey": "node-wo"}  # fmt: skip
    proposed = await gql(
        client, PROPOSE, {"input": proposal}, token(settings, roles=["collector"], sub="carl")
    )
    proposal_id = proposed["data"]["proposeWriteOff"]["proposal"]["id"]
    await gql(client, DECIDE_WRITE_OFF, {"input": {"id": proposal_id, "approve": True}}, finance)
    await gql(
        client, DECIDE_WRITE_OFF, {"input": {"id": proposal_id, "approve": True}}, token(settings)
    )
    posted = await gql(
        client, POST_WRITE_OFF, {"input": {"id": proposal_id, "idempotencyKey": "node-p"}}, finance
    )
    assert posted["data"]["postWriteOff"]["userErrors"] == []
    late = customer(database, tenants["acme"], "NODE-LATE")
    invoice(database, tenants["acme"], late, "NODE-L1", AS_OF - timedelta(days=40))
    await run(runtime, tenants["acme"])
    # when their ids are read from the lists that show them
    listed = (await gql(client, CLOSING, None, token(settings)))["data"]
    warnings = (await gql(client, RESPONSES, None, token(settings)))["data"]["warnings"]
    responses = [r["id"] for e in warnings["edges"] for r in e["node"]["responses"]]
    ids = {
        "ProvisionRun": only(listed["provisionRuns"]),
        "WriteOffProposal": only(listed["writeOffProposals"]),
        "BadDebtCase": only(listed["badDebtCases"]),
        "WarningResponse": responses[0],
    }
    # then each is the same object through node
    await assert_round_trip(client, settings, ids)


async def test_a_type_is_refused_to_roles_its_fields_refuse_before_anything_is_read(
    client, settings
):
    # given: a viewer (who may read customers, not the decision log or the case library)
    viewer = token(settings, roles=["viewer"])
    customer_id = (await create(client, token(settings), "NODE-VIEW"))["customer"]["id"]
    decision = NODE_AS.format(type="CreditDecision")
    # when the viewer asks for a customer, and for a decision that does not even exist
    seen = await gql(client, NODE_AS.format(type="Customer"), {"id": customer_id}, viewer)
    refused = await gql(
        client, decision, {"id": to_global_id("CreditDecision", UUID(int=1))}, viewer
    )
    # then the customer comes back, the decision is FORBIDDEN (not merely absent)
    assert seen["data"]["node"] == {"__typename": "Customer", "id": customer_id}
    assert refused["data"]["node"] is None
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
