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
}


def unknown_event_types(requested: list[str]) -> list[str]:
    """The requested event types the platform does not publish (wildcards end in `.*`)."""
    prefixes = {t.split(".")[0] + ".*" for t in EVENT_TYPES}
    return [t for t in requested if t not in EVENT_TYPES and t not in prefixes and t != "*"]


def matches(topic: str, wanted: list[str]) -> bool:
    """Whether an endpoint subscribed to `wanted` receives an event of `topic`."""
    return topic in wanted or "*" in wanted or topic.split(".")[0] + ".*" in wanted
