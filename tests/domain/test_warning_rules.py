"""The early-warning rules alone: levels, thresholds, dedupe windows, validation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import ValidationFailed
from domain.warning_rules import rules
from domain.warning_rules import thresholds as t
from domain.warning_rules.facts import (
    Amount,
    CustomerFacts,
    Downgrade,
    LegalRecord,
    News,
    OrderVolume,
    Utilisation,
)
from domain.warning_rules.levels import Level

AS_OF = date(2026, 11, 30)
TH = t.defaults()


def fire(facts: CustomerFacts) -> dict[str, Level]:
    return {f.rule: f.level for f in rules.evaluate(facts, TH, AS_OF, downturn=["Steel"])}


def test_a_customer_with_no_facts_fires_nothing() -> None:
    assert fire(CustomerFacts("c")) == {}


@pytest.mark.parametrize(
    ("days", "level"),
    [
        (0, None),
        (14, None),
        (15, Level.LIGHT),
        (30, Level.MEDIUM),
        (89, Level.MEDIUM),
        (90, Level.SEVERE),
    ],
)
def test_overdue_days_grade_the_level(days: int, level: Level | None) -> None:
    found = fire(CustomerFacts("c", days_overdue=days, overdue=(Amount("CNY", 100),)))
    assert found.get(t.OVERDUE) == level


def test_a_large_overdue_amount_is_at_least_medium_and_the_facts_are_kept() -> None:
    minor = t.OVERDUE_AMOUNT * 100
    facts = CustomerFacts("c", days_overdue=3, overdue=(Amount("CNY", minor),))
    (finding,) = rules.evaluate(facts, TH, AS_OF)
    assert finding.level is Level.MEDIUM
    assert finding.facts == {"daysOverdue": 3, "overdueMinor": {"CNY": minor}}
    assert finding.window == "2026-11" and finding.dedupe_key == ""


@given(st.integers(0, 400), st.integers(0, 400))
def test_overdue_level_never_falls_as_days_grow(a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    rank = [
        (rules.overdue(CustomerFacts("c", days_overdue=d), TH[t.OVERDUE], AS_OF) or None)
        for d in (lo, hi)
    ]
    ranks = [-1 if f is None else f.level.rank for f in rank]
    assert ranks[0] <= ranks[1]


def test_days_to_pay_lengthening_from_snapshots() -> None:
    facts = CustomerFacts("c", days_past_due_now=Decimal("31.5"), days_past_due_then=Decimal("10"))
    assert fire(facts) == {t.DAYS_TO_PAY: Level.MEDIUM}
    assert fire(CustomerFacts("c", days_past_due_now=Decimal("31.5"))) == {}


def test_score_drop_and_class_downgrade() -> None:
    drop = CustomerFacts("c", score_now=Decimal("60"), score_then=Decimal("71"))
    assert fire(drop) == {t.SCORE_DROP: Level.LIGHT}
    one = CustomerFacts("c", downgrade=Downgrade("A", "B", "2026-11-20"))
    assert fire(one) == {t.SCORE_DROP: Level.MEDIUM}
    to_d = CustomerFacts("c", downgrade=Downgrade("C", "D", "2026-11-20"))
    assert fire(to_d) == {t.SCORE_DROP: Level.SEVERE}
    old = CustomerFacts("c", downgrade=Downgrade("C", "D", "2026-01-20"))
    assert fire(old) == {}


def test_utilisation_above_ninety_percent() -> None:
    assert fire(CustomerFacts("c", utilisation=(Utilisation("CNY", 89, 100),))) == {}
    assert fire(CustomerFacts("c", utilisation=(Utilisation("CNY", 91, 100),))) == {
        t.UTILISATION: Level.LIGHT
    }
    assert fire(CustomerFacts("c", utilisation=(Utilisation("CNY", 121, 100),))) == {
        t.UTILISATION: Level.SEVERE
    }


def test_order_pattern_surge_slump_and_small_frequent_orders() -> None:
    # trailing: 6 orders of 1,000 over 180 days = 1,000 per 30 days on average
    usual = dict(trailing_count=6, trailing_minor=6000)
    surge = CustomerFacts("c", orders=(OrderVolume("CNY", 2, 2500, **usual),))
    assert fire(surge) == {t.ORDER_PATTERN: Level.LIGHT}
    slump = CustomerFacts("c", orders=(OrderVolume("CNY", 0, 0, **usual),))
    assert fire(slump) == {t.ORDER_PATTERN: Level.LIGHT}
    small = CustomerFacts("c", orders=(OrderVolume("CNY", 4, 1200, **usual),))
    found = rules.evaluate(small, TH, AS_OF)
    assert [(f.level, f.facts["orders"]["CNY"]["signals"]) for f in found] == [
        (Level.MEDIUM, ["SMALL_FREQUENT"])
    ]
    thin = CustomerFacts("c", orders=(OrderVolume("CNY", 9, 90000, 2, 2000),))
    assert fire(thin) == {}


def test_promises_instalments_reversals_churn_legal_news_industry() -> None:
    facts = CustomerFacts(
        "c",
        industry=" steel ",
        broken_promises=2,
        missed_instalments=1,
        reversed_payments=("p1",),
        contacts_removed=3,
        legal=(LegalRecord("r1", "LAWSUIT", "2026-10-01"),),
        news=(News("n1", "LOW", "2026-11-01"),),
    )
    assert fire(facts) == {
        t.BROKEN_PROMISES: Level.SEVERE,
        t.MISSED_INSTALMENTS: Level.SEVERE,
        t.REVERSED_PAYMENTS: Level.MEDIUM,
        t.CONTACT_CHURN: Level.MEDIUM,
        t.LEGAL_RECORD: Level.MEDIUM,
        t.NEGATIVE_NEWS: Level.LIGHT,
        t.INDUSTRY_DOWNTURN: Level.LIGHT,
    }
    shamed = CustomerFacts("c", legal=(LegalRecord("r2", "DISHONEST_DEBTOR", "2026-10-01"),))
    assert fire(shamed) == {t.LEGAL_RECORD: Level.SEVERE}


def test_disabled_rules_stay_silent() -> None:
    facts = CustomerFacts("c", days_overdue=100)
    assert rules.evaluate(facts, TH, AS_OF, disabled=[t.OVERDUE]) == []


def test_thresholds_validate_type_range_order_and_names() -> None:
    current = TH[t.OVERDUE]
    assert t.validate(t.OVERDUE, {"lightDays": 10}, current)["lightDays"] == 10
    cases = [
        ("NOPE", {}, [("UNKNOWN_RULE", "rule")]),
        (t.OVERDUE, {"bogus": 1}, [("UNKNOWN_FIELD", "thresholds.bogus")]),
        (t.OVERDUE, {"lightDays": "ten"}, [("INVALID_THRESHOLD", "thresholds.lightDays")]),
        (t.OVERDUE, {"lightDays": 1.5}, [("INVALID_THRESHOLD", "thresholds.lightDays")]),
        (t.OVERDUE, {"lightDays": True}, [("INVALID_THRESHOLD", "thresholds.lightDays")]),
        (t.OVERDUE, {"lightDays": 0}, [("OUT_OF_RANGE", "thresholds.lightDays")]),
        (t.OVERDUE, {"lightDays": 60}, [("OUT_OF_ORDER", "thresholds.lightDays")]),
    ]
    for rule, values, expected in cases:
        with pytest.raises(ValidationFailed) as caught:
            t.validate(rule, values, current)
        assert [(e.code, e.field) for e in caught.value.errors] == expected


def test_effective_lays_overrides_over_defaults_and_ignores_junk() -> None:
    got = t.effective({t.OVERDUE: {"lightDays": 5, "junk": 3}, "NOPE": {"x": 1}})
    assert got[t.OVERDUE]["lightDays"] == 5 and "junk" not in got[t.OVERDUE]
    assert got[t.SCORE_DROP] == TH[t.SCORE_DROP]
