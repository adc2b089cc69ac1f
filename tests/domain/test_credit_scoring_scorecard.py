"""Scorecards: band checks, scoring, missing inputs, knock-outs, reason codes, classes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.classes import Direction, RatingClass, cap, check_second_approver, direction
from domain.credit.default_scorecard import DEFAULT_SCORECARD
from domain.credit.scorecard_json import from_json, parse_definition, to_json
from domain.credit.scoring import CompiledCard, InputValue, score
from domain.errors import DomainError, ValidationFailed

CARD = CompiledCard(DEFAULT_SCORECARD)


def inputs(**values: Any) -> dict[str, InputValue]:
    return {
        k: InputValue(v if v is None or isinstance(v, str) else Decimal(str(v)))
        for k, v in values.items()
    }


GOOD = inputs(
    YEARS_TRADING=12,
    REGISTERED_CAPITAL=50_000_000,
    ANNUAL_SALES=300_000_000,
    ALTMAN_ZONE="SAFE",
    CURRENT_RATIO=2.1,
    DEBT_TO_ASSETS=0.35,
    PAYMENT_DAYS_LATE=0,
    LEGAL_STATUS="NONE",
    INDUSTRY="Machinery",
    RELATIONSHIP_YEARS=6,
    MAX_DAYS_PAST_DUE=0,
)


def definition(**changes: Any) -> dict[str, Any]:
    raw = to_json(DEFAULT_SCORECARD)
    raw.update(changes)
    return raw


def test_the_default_card_round_trips_through_its_stored_form():
    assert from_json(to_json(DEFAULT_SCORECARD)) == DEFAULT_SCORECARD
    assert parse_definition(to_json(DEFAULT_SCORECARD)) == DEFAULT_SCORECARD
    assert sum(f.weight for f in DEFAULT_SCORECARD.factors) == 100


def test_a_model_customer_scores_full_marks_and_class_a():
    result = score(CARD, GOOD)
    assert result.score == Decimal("100.00")
    assert result.rating_class == RatingClass.A
    assert result.reason_codes == ()
    assert result.missing_inputs == ()


def test_a_typical_customer_is_class_b_with_its_largest_shortfalls_as_reasons():
    typical = {
        **GOOD,
        **inputs(
            YEARS_TRADING=8,
            REGISTERED_CAPITAL=5_000_000,
            ANNUAL_SALES=30_000_000,
            ALTMAN_ZONE="GREY",
            CURRENT_RATIO=1.3,
            DEBT_TO_ASSETS=0.55,
            PAYMENT_DAYS_LATE=10,
            RELATIONSHIP_YEARS=4,
        ),
    }
    result = score(CARD, typical)
    assert result.score == Decimal("74.00")
    assert result.rating_class == RatingClass.B
    # shortfalls: Z zone 7.5, payment 5, then 2.5 each for sales, debt, capital, years (by
    # name among equal weights) and current ratio (a smaller weight)
    assert result.reason_codes == (
        "ALTMAN_ZONE",
        "PAYMENT_DAYS_LATE",
        "ANNUAL_SALES",
        "DEBT_TO_ASSETS",
    )


def test_missing_inputs_score_by_their_rule_never_as_zero_silently():
    sparse = {k: v for k, v in GOOD.items() if k not in ("ALTMAN_ZONE", "CURRENT_RATIO")}
    result = score(CARD, sparse)
    by_input = {f.input: f for f in result.factors}
    assert by_input["ALTMAN_ZONE"].points == 0  # penalty: no statements at all
    assert by_input["CURRENT_RATIO"].points == 50  # neutral
    assert by_input["CURRENT_RATIO"].missing
    assert set(result.missing_inputs) == {"ALTMAN_ZONE", "CURRENT_RATIO"}
    assert result.reason_codes[:2] == ("ALTMAN_ZONE_MISSING", "CURRENT_RATIO_MISSING")
    assert result.score == Decimal("82.50")


def test_knock_outs_cap_the_class():
    dishonest = score(CARD, {**GOOD, **inputs(LEGAL_STATUS="DISHONEST_DEBTOR")})
    assert dishonest.score == Decimal("90.00")
    assert (dishonest.score_class, dishonest.rating_class) == (RatingClass.A, RatingClass.D)
    assert dishonest.knock_outs == ("ENFORCEMENT_OR_DISHONEST_DEBTOR",)
    overdue = score(CARD, {**GOOD, **inputs(MAX_DAYS_PAST_DUE=91)})
    assert overdue.rating_class == RatingClass.C
    assert score(CARD, {**GOOD, **inputs(MAX_DAYS_PAST_DUE=90)}).rating_class == RatingClass.A
    distress = score(CARD, {**GOOD, **inputs(ALTMAN_ZONE="DISTRESS")})
    assert distress.rating_class == RatingClass.C
    assert distress.knock_outs == ("ALTMAN_DISTRESS",)


def test_class_thresholds():
    low = score(CARD, {k: InputValue(None) for k in GOOD})
    # four penalties (weights 45) at 0, the neutral rest (55) at 50
    assert low.score == Decimal("27.50")
    assert low.rating_class == RatingClass.D
    assert low.knock_outs == ()  # a knock-out needs evidence


NUMBERS = st.one_of(st.none(), st.decimals(allow_nan=False, allow_infinity=False, places=2))


@given(
    st.fixed_dictionaries(
        {
            "YEARS_TRADING": NUMBERS,
            "CURRENT_RATIO": NUMBERS,
            "PAYMENT_DAYS_LATE": NUMBERS,
            "MAX_DAYS_PAST_DUE": NUMBERS,
            "LEGAL_STATUS": st.sampled_from([None, "NONE", "DEFENDANT", "ENFORCEMENT"]),
            "INDUSTRY": st.one_of(st.none(), st.text(max_size=8)),
        }
    )
)
def test_score_is_always_between_0_and_100_and_knock_outs_only_lower(values):
    result = score(CARD, {k: InputValue(v) for k, v in values.items()})
    assert Decimal(0) <= result.score <= Decimal(100)
    order = "ABCD"
    assert order.index(result.rating_class) >= order.index(result.score_class)
    assert len(result.reason_codes) <= 4


def _factor(raw: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in raw["factors"] if f["input"] == name)


def test_overlapping_bands_are_refused():
    raw = definition()
    _factor(raw, "CURRENT_RATIO")["bands"][1]["lower"] = "0.9"  # overlaps "< 1.0"
    with pytest.raises(ValidationFailed) as err:
        parse_definition(raw)
    assert [(e.code, e.field) for e in err.value.errors] == [
        ("BAND_OVERLAP", "definition.factors.4.bands.1")
    ]


def test_bands_that_leave_a_gap_are_refused():
    raw = definition()
    _factor(raw, "CURRENT_RATIO")["bands"][2]["lower"] = "1.6"  # 1.5 .. 1.6 uncovered
    top = definition()
    _factor(top, "DEBT_TO_ASSETS")["bands"][-1]["upper"] = "1.5"  # nothing above 1.5
    zone = definition()
    _factor(zone, "ALTMAN_ZONE")["bands"].pop()  # DISTRESS uncovered
    for bad in (raw, top, zone):
        with pytest.raises(ValidationFailed) as err:
            parse_definition(bad)
        assert {e.code for e in err.value.errors} == {"BAND_GAP"}


def test_a_category_in_two_bands_and_bad_thresholds_are_refused():
    raw = definition(thresholds={"a": "60", "b": "70", "c": "40"})
    _factor(raw, "LEGAL_STATUS")["bands"][1]["categories"] = ["NONE"]
    with pytest.raises(ValidationFailed) as err:
        parse_definition(raw)
    assert {e.code for e in err.value.errors} == {"BAND_OVERLAP", "BAND_GAP", "INVALID_SCORECARD"}


def test_an_open_list_needs_an_otherwise_band():
    raw = definition()
    _factor(raw, "INDUSTRY")["bands"] = [
        {"label": "construction", "points": 40, "categories": ["Construction"]}
    ]
    with pytest.raises(ValidationFailed) as err:
        parse_definition(raw)
    assert [e.code for e in err.value.errors] == ["BAND_GAP"]


def test_tenant_specific_industry_bands_score_case_insensitively():
    raw = definition()
    _factor(raw, "INDUSTRY")["bands"] = [
        {"label": "construction", "points": 40, "categories": ["Construction"]},
        {"label": "others", "points": 100, "otherwise": True},
    ]
    card = CompiledCard(parse_definition(raw))
    result = score(card, {**GOOD, **inputs(INDUSTRY=" construction ")})
    assert result.score == Decimal("97.00")
    assert result.reason_codes == ("INDUSTRY",)


def test_classes_cap_and_direction():
    assert cap(RatingClass.A, RatingClass.C) == RatingClass.C
    assert cap(RatingClass.D, RatingClass.C) == RatingClass.D
    assert direction(None, RatingClass.B) == Direction.INITIAL
    assert direction(RatingClass.B, RatingClass.A) == Direction.UPGRADE
    assert direction(RatingClass.B, RatingClass.C) == Direction.DOWNGRADE


def test_four_eyes():
    check_second_approver("mia", "max")
    with pytest.raises(DomainError) as own:
        check_second_approver("mia", "mia")
    with pytest.raises(DomainError) as twice:
        check_second_approver("mia", "max", ("max",))
    assert (own.value.code, twice.value.code) == ("SELF_APPROVAL", "SAME_APPROVER")
