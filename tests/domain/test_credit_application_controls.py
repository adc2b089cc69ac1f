"""Application controls, pure: counter-offers, four eyes on opinions, period and ceiling."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.credit import applications as app
from domain.errors import DomainError, ValidationFailed
from domain.money import MAX_DOCUMENT_MINOR, Money

TODAY = date(2026, 6, 30)
ASKED = app.Grant(Money(80_000_00, "CNY"), "CLASS_B", TODAY, None)
OPINIONS = [
    {"role": "FINANCE", "recommendation": "SUPPORT", "givenBy": "fay"},
    {"role": "SALES", "recommendation": "SUPPORT", "givenBy": "sue"},
    {"role": "LEGAL", "recommendation": "SUPPORT", "givenBy": "leo"},
]


def _snapshot(**changes: Any) -> dict[str, Any]:
    base = {
        "status": "PENDING",
        "applicant": "sam",
        "decidedBy": "max",
        "requiredOpinions": ["FINANCE", "SALES", "LEGAL"],
        "opinions": OPINIONS,
        "reason": "sound",
        "verdict": "APPROVE",
        "requested": ASKED.to_json(),
        "offered": None,
    }
    return {**base, **changes}


def _refusal(snapshot: dict[str, Any]) -> tuple[str, str | None]:
    with pytest.raises(DomainError) as exc:
        app.decide_application(snapshot)
    return exc.value.code, exc.value.field


def _offer(yuan: int, currency: str = "CNY") -> dict[str, Any]:
    return app.Grant(Money(yuan * 100, currency), "CLASS_B", TODAY, None).to_json()


def test_a_counter_offer_grants_at_most_what_was_asked_in_its_currency() -> None:
    counter = {"verdict": "COUNTER_OFFER"}
    assert _refusal(_snapshot(**counter, offered=_offer(80_001))) == (
        "ABOVE_REQUESTED",
        "limit.amount",
    )
    assert _refusal(_snapshot(**counter, offered=_offer(10_000, "USD"))) == (
        "CURRENCY_MISMATCH",
        "limit.currency",
    )
    out = app.decide_application(_snapshot(**counter, offered=_offer(79_999)))
    assert out["granted"]["limit"]["minor"] == 79_999_00
    # other terms at the same limit are a counter-offer too
    other_terms = {**_offer(80_000), "termsCode": "NET30"}
    assert app.decide_application(_snapshot(**counter, offered=other_terms))["outcome"] == (
        "COUNTER_OFFERED"
    )


def test_whoever_gave_an_opinion_does_not_decide() -> None:
    assert _refusal(_snapshot(decidedBy="fay")) == ("SAME_APPROVER", "id")
    assert _refusal(_snapshot(decidedBy="sam")) == ("SELF_APPROVAL", "id")
    # a snapshot from before opinions named their givers replays as decided
    unnamed = [{k: v for k, v in o.items() if k != "givenBy"} for o in OPINIONS]
    assert app.decide_application(_snapshot(decidedBy="fay", opinions=unnamed))["outcome"] == (
        "APPROVED"
    )


def test_a_refusal_names_the_field_given() -> None:
    with_class = {**ASKED.to_json(), "ratingClass": "A"}
    assert _refusal(_snapshot(verdict="REJECT", offered=with_class)) == (
        "INVALID_INPUT",
        "ratingClass",
    )
    other_terms = {**ASKED.to_json(), "termsCode": "NET30"}
    assert _refusal(_snapshot(offered=other_terms)) == ("INVALID_INPUT", "paymentTermsCode")
    assert _refusal(_snapshot(offered=_offer(70_000))) == ("INVALID_INPUT", "limit")
    assert app.decide_application(_snapshot(offered=with_class))["outcome"] == "APPROVED"


def _codes(exc: pytest.ExceptionInfo[ValidationFailed]) -> list[tuple[str, str | None]]:
    return [(e.code, e.field) for e in exc.value.errors]


def test_an_application_that_can_never_be_granted_is_refused() -> None:
    ended = app.Grant(ASKED.limit, None, date(2019, 12, 2), date(2020, 1, 1))
    with pytest.raises(ValidationFailed) as exc:
        app.check_application(ended, "orders", None, [], [], today=TODAY)
    assert _codes(exc) == [("INVALID_PERIOD", "validTo")]
    huge = app.Grant(Money(MAX_DOCUMENT_MINOR + 1, "CNY"), None, TODAY, None)
    with pytest.raises(ValidationFailed) as exc:
        app.check_application(huge, "orders", None, [], [], today=TODAY)
    assert _codes(exc) == [("AMOUNT_TOO_LARGE", "requestedLimit.amount")]
    at_ceiling = app.Grant(Money(MAX_DOCUMENT_MINOR, "CNY"), None, TODAY, TODAY)
    assert app.check_application(at_ceiling, "orders", None, [], [], today=TODAY).purpose == (
        "orders"
    )


def test_an_offer_beyond_the_ceiling_or_already_ended_is_refused_on_its_fields() -> None:
    with pytest.raises(ValidationFailed) as exc:
        app.offered_grant(
            ASKED, Money(MAX_DOCUMENT_MINOR + 1, "CNY"), None, None, None, None, today=TODAY
        )
    assert _codes(exc) == [("AMOUNT_TOO_LARGE", "limit.amount")]
    earlier = app.Grant(ASKED.limit, "CLASS_B", date(2026, 1, 1), None)
    with pytest.raises(ValidationFailed) as exc:
        app.offered_grant(earlier, None, None, None, date(2026, 6, 29), None, today=TODAY)
    assert _codes(exc) == [("INVALID_PERIOD", "validTo")]
    ends_today = app.offered_grant(earlier, None, None, None, TODAY, None, today=TODAY)
    assert ends_today is not None and ends_today.valid_to == TODAY
