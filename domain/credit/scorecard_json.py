"""A scorecard definition in its stored (and API) form: plain strings and numbers.

`parse_definition` reads what a client wrote, with a path per problem; `from_json` reads what
was stored, already checked when it was saved; `to_json` is the inverse of both.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any

from domain.credit.classes import RatingClass
from domain.credit.scorecard import (
    DEFAULT_REASON_COUNT,
    Band,
    Factor,
    KnockOut,
    MissingRule,
    Operator,
    Scorecard,
    Thresholds,
    check_scorecard,
    parse_decimal,
)
from domain.errors import DomainError, ValidationFailed


def band_to_json(b: Band) -> dict[str, Any]:
    """A band as stored."""
    return {
        "label": b.label,
        "points": b.points,
        "lower": None if b.lower is None else str(b.lower),
        "upper": None if b.upper is None else str(b.upper),
        "categories": list(b.categories),
        "otherwise": b.otherwise,
    }


def to_json(card: Scorecard) -> dict[str, Any]:
    """The definition as stored in the version row."""
    return {
        "currency": card.currency,
        "reasonCount": card.reason_count,
        "thresholds": {k: str(getattr(card.thresholds, k)) for k in ("a", "b", "c")},
        "factors": [
            {
                "input": f.input,
                "weight": str(f.weight),
                "missing": f.missing.value,
                "bands": [band_to_json(b) for b in f.bands],
            }
            for f in card.factors
        ],
        "knockOuts": [
            {
                "code": k.code,
                "input": k.input,
                "operator": k.operator.value,
                "values": list(k.values),
                "cap": k.cap.value,
            }
            for k in card.knock_outs
        ],
    }


def from_json(raw: Mapping[str, Any]) -> Scorecard:
    """A stored definition (already checked when it was saved)."""
    return Scorecard(
        factors=tuple(
            Factor(
                input=f["input"],
                weight=Decimal(f["weight"]),
                missing=MissingRule(f["missing"]),
                bands=tuple(
                    Band(
                        label=b["label"],
                        points=int(b["points"]),
                        lower=None if b.get("lower") is None else Decimal(b["lower"]),
                        upper=None if b.get("upper") is None else Decimal(b["upper"]),
                        categories=tuple(b.get("categories") or ()),
                        otherwise=bool(b.get("otherwise")),
                    )
                    for b in f["bands"]
                ),
            )
            for f in raw["factors"]
        ),
        thresholds=Thresholds(*(Decimal(raw["thresholds"][k]) for k in ("a", "b", "c"))),
        knock_outs=tuple(
            KnockOut(
                code=k["code"],
                input=k["input"],
                operator=Operator(k["operator"]),
                values=tuple(k["values"]),
                cap=RatingClass(k["cap"]),
            )
            for k in raw.get("knockOuts") or ()
        ),
        currency=raw["currency"],
        reason_count=int(raw.get("reasonCount", DEFAULT_REASON_COUNT)),
    )


def _enum_of(cls: type[StrEnum], raw: Any, field: str, errors: list[DomainError]) -> Any:
    try:
        return cls(str(raw or "").strip().upper())
    except ValueError:
        errors.append(
            DomainError("INVALID_INPUT", f"one of {', '.join(m.value for m in cls)}", field)
        )
        return None


def _int(raw: Any, field: str, errors: list[DomainError]) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        errors.append(DomainError("INVALID_INPUT", "a whole number", field))
        return 0
    return raw


def parse_definition(raw: Mapping[str, Any]) -> Scorecard:
    """A definition as a client wrote it (stored form, decimals as strings), checked:
    the scorecard, or every problem at once with its path under `definition`."""
    errors: list[DomainError] = []
    factors = []
    for i, f in enumerate(raw.get("factors") or ()):
        path = f"definition.factors.{i}"
        bands = []
        for j, b in enumerate(f.get("bands") or ()):
            bpath = f"{path}.bands.{j}"
            bands.append(
                Band(
                    label=str(b.get("label") or ""),
                    points=_int(b.get("points"), f"{bpath}.points", errors),
                    lower=parse_decimal(b.get("lower"), f"{bpath}.lower", errors),
                    upper=parse_decimal(b.get("upper"), f"{bpath}.upper", errors),
                    categories=tuple(str(c) for c in b.get("categories") or ()),
                    otherwise=bool(b.get("otherwise")),
                )
            )
        weight = parse_decimal(f.get("weight"), f"{path}.weight", errors)
        missing = _enum_of(MissingRule, f.get("missing"), f"{path}.missing", errors)
        factors.append(
            Factor(
                input=str(f.get("input") or "").strip().upper(),
                weight=weight if weight is not None else Decimal(0),
                missing=missing or MissingRule.NEUTRAL,
                bands=tuple(bands),
            )
        )
    knock_outs = []
    for i, k in enumerate(raw.get("knockOuts") or ()):
        path = f"definition.knockOuts.{i}"
        operator = _enum_of(Operator, k.get("operator"), f"{path}.operator", errors)
        ceiling = _enum_of(RatingClass, k.get("cap"), f"{path}.cap", errors)
        knock_outs.append(
            KnockOut(
                code=str(k.get("code") or "").strip().upper(),
                input=str(k.get("input") or "").strip().upper(),
                operator=operator or Operator.IN,
                values=tuple(str(v).strip() for v in k.get("values") or ()),
                cap=ceiling or RatingClass.D,
            )
        )
    limits = raw.get("thresholds") or {}
    levels = [parse_decimal(limits.get(k), f"definition.thresholds.{k}", errors) for k in "abc"]
    reasons = raw.get("reasonCount", DEFAULT_REASON_COUNT)
    card = Scorecard(
        factors=tuple(factors),
        thresholds=Thresholds(*(v if v is not None else Decimal(0) for v in levels)),
        knock_outs=tuple(knock_outs),
        currency=str(raw.get("currency") or "").strip().upper(),
        reason_count=_int(reasons, "definition.reasonCount", errors),
    )
    if errors:
        raise ValidationFailed(errors)
    return check_scorecard(card)
