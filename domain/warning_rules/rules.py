"""The rules: each a pure function of one customer's facts and its thresholds.

A rule returns a Finding (level and the facts that fired it) or None. Periodic rules use the
month as their window: dismissed as a false alarm, a rule stays quiet until the next month.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from domain.currencies import minor_units
from domain.warning_rules import thresholds as t
from domain.warning_rules.facts import CustomerFacts
from domain.warning_rules.levels import LEVEL_ORDER, Finding, Level, higher

Rule = Callable[[CustomerFacts, Mapping[str, int], date], Finding | None]


def month_window(as_of: date) -> str:
    """The dedupe window of periodic rules: the calendar month."""
    return f"{as_of.year:04d}-{as_of.month:02d}"


def graded(
    value: Decimal | int, light: int | None, medium: int | None, severe: int
) -> Level | None:
    """The highest level whose threshold the value reaches (a None threshold is skipped)."""
    for level, bar in ((Level.SEVERE, severe), (Level.MEDIUM, medium), (Level.LIGHT, light)):
        if bar is not None and value >= bar:
            return level
    return None


def _found(
    facts: CustomerFacts, rule: str, level: Level | None, as_of: date, **why: Any
) -> Finding | None:
    if level is None:
        return None
    return Finding(facts.customer_id, rule, level, month_window(as_of), why)


def overdue(facts: CustomerFacts, th: Mapping[str, int], as_of: date) -> Finding | None:
    """Days past due on the oldest overdue item, or a large overdue amount in one currency."""
    level = graded(facts.days_overdue, th["lightDays"], th["mediumDays"], th["severeDays"])
    big = [a for a in facts.overdue if a.minor >= th["amount"] * 10 ** minor_units(a.currency)]
    if big and facts.days_overdue > 0:
        level = higher(level, Level.MEDIUM)
    amounts = {a.currency: a.minor for a in facts.overdue}
    return _found(
        facts, t.OVERDUE, level, as_of, daysOverdue=facts.days_overdue, overdueMinor=amounts
    )


def days_to_pay(facts: CustomerFacts, th: Mapping[str, int], as_of: date) -> Finding | None:
    """Weighted days past due (daily aging snapshots) lengthening over the lookback."""
    now, then = facts.days_past_due_now, facts.days_past_due_then
    if now is None or then is None:
        return None
    change = now - then
    level = graded(change, th["lightDays"], th["mediumDays"], th["severeDays"])
    return _found(
        facts, t.DAYS_TO_PAY, level, as_of,
        daysPastDueNow=str(now), daysPastDueThen=str(then), lookbackDays=th["lookbackDays"],
    )  # fmt: skip


#: A downgrade to D (or across two classes) is severe, one class down is medium.
CLASS_ORDER = "ABCD"


def score_drop(facts: CustomerFacts, th: Mapping[str, int], as_of: date) -> Finding | None:
    """Points lost against the oldest score in the lookback, or a recent class downgrade."""
    level = None
    why: dict[str, Any] = {}
    if facts.score_now is not None and facts.score_then is not None:
        drop = facts.score_then - facts.score_now
        level = graded(drop, th["lightPoints"], th["mediumPoints"], th["severePoints"])
        why |= {"scoreNow": str(facts.score_now), "scoreThen": str(facts.score_then)}
    down = facts.downgrade
    if down is not None and (as_of - date.fromisoformat(down.on)).days <= th["downgradeDays"]:
        notches = CLASS_ORDER.index(down.to_class) - CLASS_ORDER.index(down.from_class or "A")
        severe = down.to_class == "D" or notches >= 2
        level = higher(level, Level.SEVERE if severe else Level.MEDIUM)
        why |= {"downgrade": {"from": down.from_class, "to": down.to_class, "on": down.on}}
    return _found(facts, t.SCORE_DROP, level, as_of, **why)


def utilisation(facts: CustomerFacts, th: Mapping[str, int], as_of: date) -> Finding | None:
    """Exposure against the limit in force above the thresholds (worst currency)."""
    level = None
    why = {}
    for u in facts.utilisation:
        if u.limit_minor <= 0:
            continue
        percent = Decimal(u.exposure_minor * 100) / u.limit_minor
        found = graded(percent, th["lightPercent"], th["mediumPercent"], th["severePercent"])
        if found is not None and (level is None or found.rank > level.rank):
            level = found
        why[u.currency] = {
            "exposureMinor": u.exposure_minor,
            "limitMinor": u.limit_minor,
            "percent": str(percent.quantize(Decimal("0.1"))),
        }
    return _found(facts, t.UTILISATION, level, as_of, utilisation=why)


def order_pattern(facts: CustomerFacts, th: Mapping[str, int], as_of: date) -> Finding | None:
    """Recent order volume against the trailing average (surge or slump), and small frequent
    orders replacing large ones (a buyer short of cash, or a supplier being replaced)."""
    level = None
    why: dict[str, Any] = {}
    spans = Decimal(th["trailingDays"]) / th["windowDays"]
    for o in facts.orders:
        if o.trailing_count < th["minTrailingOrders"] or o.trailing_minor <= 0:
            continue
        average = o.trailing_minor / spans
        volume = Decimal(o.recent_minor * 100) / average
        signals = []
        if volume >= th["surgePercent"]:
            signals.append("SURGE")
        if volume <= th["slumpPercent"]:
            signals.append("SLUMP")
        usual_size = Decimal(o.trailing_minor) / o.trailing_count
        usual_count = o.trailing_count / spans
        if o.recent_count:
            size = Decimal(o.recent_minor) / o.recent_count
            if (
                size * 100 <= usual_size * th["smallPercent"]
                and o.recent_count * 100 >= usual_count * th["frequentPercent"]
            ):
                signals.append("SMALL_FREQUENT")
        if not signals:
            continue
        found = Level.MEDIUM if "SMALL_FREQUENT" in signals else Level.LIGHT
        level = higher(level, found)
        why[o.currency] = {
            "signals": signals,
            "recentMinor": o.recent_minor,
            "recentCount": o.recent_count,
            "trailingMinor": o.trailing_minor,
            "trailingCount": o.trailing_count,
            "volumePercent": str(volume.quantize(Decimal("0.1"))),
        }
    return _found(facts, t.ORDER_PATTERN, level, as_of, orders=why)


def broken_promises(facts: CustomerFacts, th: Mapping[str, int], as_of: date) -> Finding | None:
    """Broken promises in the lookback: one is medium (as collections raises it), repeats severe."""
    n = facts.broken_promises
    level = graded(n, None, 1, th["severeCount"])
    return _found(facts, t.BROKEN_PROMISES, level, as_of, brokenPromises=n)


def missed_instalments(facts: CustomerFacts, th: Mapping[str, int], as_of: date) -> Finding | None:
    """A defaulted payment plan in the lookback: the last agreement failed, severe."""
    n = facts.missed_instalments
    return _found(facts, t.MISSED_INSTALMENTS, Level.SEVERE if n else None, as_of, defaultedPlans=n)


def reversed_payments(facts: CustomerFacts, th: Mapping[str, int], as_of: date) -> Finding | None:
    """Reversed or bounced payments in the lookback: one is medium, repeats severe."""
    n = len(facts.reversed_payments)
    level = graded(n, None, 1, th["severeCount"])
    return _found(
        facts, t.REVERSED_PAYMENTS, level, as_of, payments=sorted(facts.reversed_payments)
    )


def contact_churn(facts: CustomerFacts, th: Mapping[str, int], as_of: date) -> Finding | None:
    """Buyer contacts removed from the master data (audit trail) in the lookback."""
    n = facts.contacts_removed
    level = graded(n, th["lightCount"], th["mediumCount"], MAX_SENTINEL)
    return _found(facts, t.CONTACT_CHURN, level, as_of, contactsRemoved=n)


MAX_SENTINEL = 10**9  #: a threshold no count reaches (churn has no severe level)
#: Enforcement and the dishonest-debtor list (失信被执行人) mean the customer already does not pay
#: its judgments: severe. A lawsuit or arbitration as defendant is medium.
SEVERE_LEGAL = frozenset({"ENFORCEMENT", "DISHONEST_DEBTOR"})


def legal_record(facts: CustomerFacts, th: Mapping[str, int], as_of: date) -> Finding | None:
    """Open litigation, arbitration, enforcement or 失信 records naming the customer."""
    if not facts.legal:
        return None
    severe = any(r.legal_kind in SEVERE_LEGAL for r in facts.legal)
    records = [
        {"ref": r.ref, "kind": r.legal_kind, "filedOn": r.filed_on}
        for r in sorted(facts.legal, key=lambda r: r.ref)
    ]
    return _found(
        facts, t.LEGAL_RECORD, Level.SEVERE if severe else Level.MEDIUM, as_of, records=records
    )


NEWS_LEVEL = {"LOW": Level.LIGHT, "MEDIUM": Level.MEDIUM, "HIGH": Level.SEVERE}


def negative_news(facts: CustomerFacts, th: Mapping[str, int], as_of: date) -> Finding | None:
    """Negative news in the lookback, graded by the analyst's severity (unrated: light)."""
    level = None
    for item in facts.news:
        level = higher(level, NEWS_LEVEL.get(item.severity, Level.LIGHT))
    items = [
        {"ref": n.ref, "severity": n.severity, "recordedOn": n.recorded_on} for n in facts.news
    ]
    return _found(facts, t.NEGATIVE_NEWS, level, as_of, news=sorted(items, key=lambda i: i["ref"]))


def industry_downturn(
    facts: CustomerFacts, th: Mapping[str, int], as_of: date, flagged: Collection[str]
) -> Finding | None:
    """The customer's industry is one the tenant flags as in downturn."""
    if not facts.industry or facts.industry.strip().lower() not in flagged:
        return None
    level = LEVEL_ORDER[th["level"]]
    return _found(facts, t.INDUSTRY_DOWNTURN, level, as_of, industry=facts.industry)


#: The per-customer rules in the order they run (the limitation clock and contagion run
#: over invoices and the partners graph instead).
CUSTOMER_RULES: dict[str, Rule] = {
    t.OVERDUE: overdue,
    t.DAYS_TO_PAY: days_to_pay,
    t.SCORE_DROP: score_drop,
    t.UTILISATION: utilisation,
    t.ORDER_PATTERN: order_pattern,
    t.BROKEN_PROMISES: broken_promises,
    t.MISSED_INSTALMENTS: missed_instalments,
    t.REVERSED_PAYMENTS: reversed_payments,
    t.CONTACT_CHURN: contact_churn,
    t.LEGAL_RECORD: legal_record,
    t.NEGATIVE_NEWS: negative_news,
}


def normalise_industries(industries: Collection[str]) -> frozenset[str]:
    """Flagged industries compared without case or surrounding blanks."""
    return frozenset(i.strip().lower() for i in industries if i.strip())


def evaluate(
    facts: CustomerFacts,
    th: Mapping[str, Mapping[str, int]],
    as_of: date,
    downturn: Collection[str] = (),
    disabled: Collection[str] = (),
) -> list[Finding]:
    """Every rule that fires for one customer (disabled rules skipped)."""
    found = [
        f
        for name, rule in CUSTOMER_RULES.items()
        if name not in disabled and (f := rule(facts, th[name], as_of)) is not None
    ]
    if t.INDUSTRY_DOWNTURN not in disabled:
        flagged = normalise_industries(downturn)
        hit = industry_downturn(facts, th[t.INDUSTRY_DOWNTURN], as_of, flagged)
        if hit is not None:
            found.append(hit)
    return found
