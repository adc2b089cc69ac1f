"""A write-off shows its approvals and what is still missing; a recovery's payment says it is
one, and reversing that payment undoes the recovery (once, whatever the replays)."""

from __future__ import annotations

from tests.conftest import gql, token
from tests.schema.test_closing_api import DECIDE, POST, PROPOSE
from tests.schema.test_customers_api import create
from tests.schema.test_ledger_api import INVOICE, REVERSE, invoice_input

PROPOSAL = """query { writeOffProposals { status requiredRoles missingRoles
  approvals { by role decision decidedAt } } }"""
RECOVER = """mutation R($input: RecordRecoveryInput!) { recordRecovery(input: $input) {
  case { recovered { amount } } payment { id isRecovery amount { amount } }
  userErrors { field code } } }"""
CASES = """query { badDebtCases { recovered { amount } } }"""


async def _posted_write_off(client, settings) -> tuple[str, list[dict], str]:  # type: ignore[no-untyped-def]
    """A posted 80,000.00 write-off (two approvals): the proposals seen after each step, and
    the case id."""
    manager = token(settings, sub="mia")
    finance = token(settings, roles=["finance"], sub="fay")
    customer = (await create(client, manager, "REC-1"))["customer"]["id"]
    invoice = (
        await gql(client, INVOICE, {"input": invoice_input(customer, "R-1", "80000.00")}, finance)
    )["data"]["createInvoice"]["invoice"]
    proposal = {
        "customerId": customer,
        "reason": "bankrupt",
        "lines": [{"invoiceId": invoice["id"], "amount": "80000.00"}],
        "idempotencyKey": "wo",
    }
    made = await gql(client, PROPOSE, {"input": proposal}, token(settings, roles=["collector"]))
    proposal_id = made["data"]["proposeWriteOff"]["proposal"]["id"]
    seen = [(await gql(client, PROPOSAL, {}, manager))["data"]["writeOffProposals"][0]]
    await gql(client, DECIDE, {"input": {"id": proposal_id, "approve": True}}, finance)
    seen.append((await gql(client, PROPOSAL, {}, manager))["data"]["writeOffProposals"][0])
    await gql(client, DECIDE, {"input": {"id": proposal_id, "approve": True}}, manager)
    seen.append((await gql(client, PROPOSAL, {}, manager))["data"]["writeOffProposals"][0])
    posted = await gql(client, POST, {"input": {"id": proposal_id, "idempotencyKey": "p"}}, finance)
    return manager, seen, posted["data"]["postWriteOff"]["case"]["id"]


async def test_a_proposal_shows_its_approvals_and_the_missing_roles(client, settings):
    # given / when a proposal needing two approvals is decided one role at a time
    _, seen, _ = await _posted_write_off(client, settings)
    # then each read shows who decided in which role, and what is still needed
    assert [(s["status"], s["missingRoles"]) for s in seen] == [
        ("PROPOSED", ["credit_manager", "finance"]),
        ("PROPOSED", ["credit_manager"]),
        ("APPROVED", []),
    ]
    approvals = seen[2]["approvals"]
    assert [(a["by"], a["role"], a["decision"]) for a in approvals] == [
        ("fay", "finance", "APPROVED"),
        ("mia", "credit_manager", "APPROVED"),
    ]
    assert all(a["decidedAt"] for a in approvals)


async def test_reversing_a_recovery_payment_undoes_the_recovery(client, settings, database):
    # given a written-off debt and 30,000.00 recovered on it
    manager, _, case_id = await _posted_write_off(client, settings)
    finance = token(settings, roles=["finance"], sub="fay")
    recovery = {"caseId": case_id, "amount": "30000.00", "receivedOn": "2026-10-01"}
    recovered = await gql(client, RECOVER, {"input": {**recovery, "idempotencyKey": "r"}}, finance)
    payment = recovered["data"]["recordRecovery"]["payment"]
    assert payment["isRecovery"] is True and payment["amount"] == {"amount": "30000.00"}
    assert recovered["data"]["recordRecovery"]["case"]["recovered"] == {"amount": "30000.00"}
    # when its payment bounces: reversed, the same request replayed, then again with a new key
    reverse = {"paymentId": payment["id"], "reason": "cheque bounced", "idempotencyKey": "x"}
    first = await gql(client, REVERSE, {"input": reverse}, finance)
    replay = await gql(client, REVERSE, {"input": reverse}, finance)
    again = await gql(client, REVERSE, {"input": {**reverse, "idempotencyKey": "y"}}, finance)
    cases = await gql(client, CASES, {}, manager)
    # then the case counts nothing recovered, once, and the reversal is recorded on the payment
    assert first["data"]["reversePayment"]["payment"]["status"] == "REVERSED"
    assert replay["data"]["reversePayment"]["userErrors"] == []
    assert again["data"]["reversePayment"]["userErrors"][0]["code"] == "ALREADY_REVERSED"
    assert cases["data"]["badDebtCases"] == [{"recovered": {"amount": "0.00"}}]
    assert database.query(
        "SELECT status, reversal_reason, is_recovery, recovery_case_id IS NOT NULL FROM payments"
    ) == [("REVERSED", "cheque bounced", True, True)]
    assert database.query("SELECT recovered_minor FROM bad_debt_cases") == [(0,)]
    # and the debt can be recovered again afterwards, up to what was written off
    later = await gql(client, RECOVER, {"input": {**recovery, "idempotencyKey": "r2"}}, finance)
    assert later["data"]["recordRecovery"]["case"]["recovered"] == {"amount": "30000.00"}
