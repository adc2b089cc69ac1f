"""What a check could not convert, and what that leaves certain.

A figure no rate converts is listed by pair. On the gross basis exposure (receivables, orders,
reservations) is positive, so a left-out exposure figure can only lower the true headroom: the
headroom over what converts is then an upper bound, and an order above it is over the limit
whatever the rate. A left-out increase (more limit) or a negative figure (a cover's relief on
the net basis) could raise it: the headroom then bounds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from domain.credit.exposure import ExposurePart, Unconverted

#: scopes in the order a detail names them
_SCOPES = ("own", "group")


@dataclass(frozen=True, slots=True)
class Gap:
    """One figure (or the order itself) no rate converts for a limit."""

    pair: str
    what: str
    #: the limit it is left out of ("own", "group"); None for the order against a limit
    scope: str | None = None


def gaps_of(left: Iterable[Unconverted], scope: str) -> list[Gap]:
    """Figures a standing could not convert, as gaps of that limit."""
    return [
        Gap(u.pair, f"{u.source.to_decimal_string()} {u.source.currency} {u.part.lower()}", scope)
        for u in left
    ]


def only_adds_exposure(left: Iterable[Unconverted]) -> bool:
    """Whether every left-out figure is positive exposure, so the known headroom bounds the
    true one from above (a left-out increase or a negative relief could raise it)."""
    return all(u.part != ExposurePart.INCREASES and u.source.minor > 0 for u in left)


def _label(gap: Gap) -> str:
    return gap.what if gap.scope is None else f"{gap.what} ({gap.scope} limit)"


def gap_details(gaps: Iterable[Gap], as_of: date, once: bool) -> list[tuple[str, str]]:
    """Per missing pair (in pair order) its detail: what it left out. With `once` (rules
    version 4) a figure left out of both the own and the group limit is named once, with both
    limits; before, once per limit, which read like twice the amount."""
    by_pair: dict[str, dict[str, list[str]]] = {}
    for gap in gaps:
        key = gap.what if once else _label(gap)
        scopes = by_pair.setdefault(gap.pair, {}).setdefault(key, [])
        if once and gap.scope is not None and gap.scope not in scopes:
            scopes.append(gap.scope)
    found = []
    for pair, whats in sorted(by_pair.items()):
        named = []
        for what, scopes in whats.items():
            ordered = [s for s in _SCOPES if s in scopes]
            named.append(f"{what} ({' and '.join(ordered)} limit)" if ordered else what)
        found.append(
            (
                pair,
                f"no {pair} exchange rate on or before {as_of}; not converted: " + "; ".join(named),
            )
        )
    return found
