"""The events the platform publishes through its outbox: what subscribers and webhooks see."""

from __future__ import annotations

#: Topic -> what it means. Capabilities add theirs here as they publish them.
EVENT_TYPES: dict[str, str] = {
    "warning.raised": "An early-warning signal was raised on a customer (or raised in level: "
    "`levelRaised` is true).",
    "warning.status_changed": "A warning moved along its lifecycle (with its feedback).",
    "warning.escalated": "A warning's SLA lapsed: it moved to the next role.",
    "collections.reminder_due": "An invoice falls due soon: pre-due reminder.",
    "collections.stage_changed": "A collection case moved up the escalation ladder.",
    "collections.case_closed": "A customer is no longer overdue.",
    "collections.promise_broken": "A promise to pay was not kept.",
    "collections.plan_defaulted": "A payment plan instalment was missed.",
    "collections.document_sent": "A letter, statement or reminder reached the customer's server.",
    "collections.delivery_failed": "A letter, statement or reminder could not be delivered.",
    "payment.received": "Cash was recorded.",
    "writeoff.posted": "A write-off was posted.",
    "webhook.endpoint_disabled": "A webhook endpoint was disabled after repeated failures.",
    "risk.cover_changed": "An insurer granted, reduced, cancelled or refused a buyer cover.",
    "risk.claim_filed": "A credit-insurance claim was filed with the insurer.",
    "risk.claim_settled": "The insurer paid (part of) a claim or rejected it.",
    "risk.invoices_assigned": "Invoices were assigned to a factor.",
    "risk.buyback": "A factored invoice was taken back under recourse: our risk again.",
    "risk.guarantee_called": "A guarantee was called: a demand letter went to the guarantor.",
    "risk.guarantee_changed": "A guarantee was given, paid, released or expired.",
    "risk.guarantee_period_lapsing": "A covered debt's guarantee period lapses soon or lapsed.",
    "risk.collateral_changed": "A collateral was recorded, re-appraised or released.",
    "credit.application_submitted": "A credit application was submitted.",
    "credit.application_decided": "A credit application was approved, counter-offered or rejected.",
    "credit.application_escalated": "A pending credit application outlived its SLA.",
    "credit.agreement_changed": "A credit agreement was drawn up, signed or ended.",
    "credit.review_opened": "A credit review fell due (schedule, downgrade, expiry, large order).",
    "credit.review_completed": "A credit review was recorded with its checklist and outcome.",
}


def unknown_event_types(requested: list[str]) -> list[str]:
    """The requested event types the platform does not publish (wildcards end in `.*`)."""
    prefixes = {t.split(".")[0] + ".*" for t in EVENT_TYPES}
    return [t for t in requested if t not in EVENT_TYPES and t not in prefixes and t != "*"]


def matches(topic: str, wanted: list[str]) -> bool:
    """Whether an endpoint subscribed to `wanted` receives an event of `topic`."""
    return topic in wanted or "*" in wanted or topic.split(".")[0] + ".*" in wanted
