"""Outbox topics of credit decisions (shared with the scoring half: class changes)."""

from __future__ import annotations

#: A limit was set, lapsed, or a hold was put or lifted.
TOPIC_LIMIT = "credit.limit_changed"
#: A decision was logged (limits, expiries, class decisions, and checks that did not approve).
TOPIC_DECISION = "credit.decision_recorded"
