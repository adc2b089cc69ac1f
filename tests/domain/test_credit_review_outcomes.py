"""A review outcome changes what its kind names and nothing else: a value for another kind's
field would be silently ignored, so it is refused (but old snapshots still replay)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.credit import reviews as rev
from domain.errors import ValidationFailed
from domain.money import Money


def _refused(given: rev.OutcomeIn) -> list[tuple[str | None, str]]:
    with pytest.raises(ValidationFailed) as exc:
        rev.check_outcome(given, "C")
    return [(e.field, e.code) for e in exc.value.errors]


def test_keep_with_a_class_is_refused_not_ignored() -> None:
    assert _refused(rev.OutcomeIn("KEEP", None, rating_class="B")) == [
        ("ratingClass", "INVALID_INPUT")
    ]


def test_each_outcome_refuses_the_fields_of_the_others() -> None:
    given = rev.OutcomeIn(
        "HOLD", "two cheques bounced", "D", Money(100, "CNY"), date(2026, 12, 31), "NET30"
    )
    assert _refused(given) == [
        ("ratingClass", "INVALID_INPUT"),
        ("limit", "INVALID_INPUT"),
        ("limitValidTo", "INVALID_INPUT"),
        ("paymentTermsCode", "INVALID_INPUT"),
    ]
    limit = rev.OutcomeIn("CHANGE_LIMIT", "grew", None, Money(100, "CNY"), date(2026, 12, 31))
    assert rev.check_outcome(limit, "C").limit == Money(100, "CNY")


def test_a_snapshot_stored_before_the_rule_still_replays() -> None:
    snapshot = {"outcome": "KEEP", "reason": None, "ratingClass": "B", "currentClass": "C"}
    assert rev.replay_review(snapshot)["outcome"] == "KEEP"
