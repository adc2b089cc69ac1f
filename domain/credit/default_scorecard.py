"""The scorecard a tenant starts with, built from the source practice's credit criteria.

The practice (Chinese guides on preventing bad debt and on credit-sale policy) rates customers
A/B/C/D on company history (成立时间), registered capital (注册资本规模), annual sales
(年销售额度), financial statements (资产负债表、利润表、现金流量表: solvency and leverage),
payment record (付款速度, 逾期记录), legal risk (法律诉讼记录, 法院执行情况), industry
(行业背景) and the history of the relationship (合作历史). Band edges and points are this
platform's reading of that practice, meant to be tuned per tenant in a new version.
"""

from __future__ import annotations

from decimal import Decimal

from domain.credit.classes import RatingClass
from domain.credit.scorecard import (
    Band,
    Factor,
    KnockOut,
    MissingRule,
    Operator,
    Scorecard,
    Thresholds,
    check_scorecard,
)

D = Decimal
NEUTRAL, PENALTY = MissingRule.NEUTRAL, MissingRule.PENALTY

#: Money inputs (capital, sales) are read in this currency; others count as missing.
DEFAULT_CURRENCY = "CNY"
#: Class thresholds: A from 80, B from 60, C from 40, D below (the practice's four classes).
DEFAULT_THRESHOLDS = Thresholds(a=D(80), b=D(60), c=D(40))


def _ranges(*edges_and_points: tuple[str | None, int]) -> tuple[Band, ...]:
    """Bands from (lower bound, points) pairs in ascending order; each ends where the next
    starts, the first has no lower bound."""
    bands = []
    for n, (lower, points) in enumerate(edges_and_points):
        upper = edges_and_points[n + 1][0] if n + 1 < len(edges_and_points) else None
        label = (
            f"< {upper}"
            if lower is None
            else f">= {lower}"
            if upper is None
            else f"{lower} to < {upper}"
        )
        bands.append(
            Band(
                label=label,
                points=points,
                lower=None if lower is None else D(lower),
                upper=None if upper is None else D(upper),
            )
        )
    return tuple(bands)


def _categories(*pairs: tuple[str, int]) -> tuple[Band, ...]:
    return tuple(Band(label=c, points=p, categories=(c,)) for c, p in pairs)


#: The default factors. Weights add up to 100, so a factor's weight is its share of the score.
DEFAULT_FACTORS = (
    #: Company history (企业历史: 成立时间) judges stability: a young company is riskier.
    Factor("YEARS_TRADING", D(10), PENALTY, _ranges((None, 20), ("2", 50), ("5", 75), ("10", 100))),
    #: Registered capital sizes the limit (注册资本规模); not on file is a gap in the dossier.
    Factor(
        "REGISTERED_CAPITAL",
        D(10),
        PENALTY,
        _ranges((None, 20), ("1000000", 50), ("5000000", 75), ("20000000", 100)),
    ),
    #: Annual sales (年销售额度) show the scale the customer trades at.
    Factor(
        "ANNUAL_SALES",
        D(10),
        PENALTY,
        _ranges((None, 20), ("5000000", 50), ("20000000", 75), ("100000000", 100)),
    ),
    #: Financial statements are the core of a credit assessment (the practice asks for the
    #: last three years'); Z'' reads them as a whole, and no statement at all is penalised here
    #: once, rather than in every ratio.
    Factor(
        "ALTMAN_ZONE",
        D(15),
        PENALTY,
        _categories(("SAFE", 100), ("GREY", 50), ("DISTRESS", 0)),
    ),
    #: Short-term solvency (偿债能力): current assets against current liabilities.
    Factor(
        "CURRENT_RATIO", D(5), NEUTRAL, _ranges((None, 10), ("1.0", 50), ("1.5", 80), ("2.0", 100))
    ),
    #: Leverage (资产负债率): the practice's guides read it beside margins and turnover.
    Factor(
        "DEBT_TO_ASSETS",
        D(10),
        NEUTRAL,
        _ranges((None, 100), ("0.4", 75), ("0.6", 40), ("0.8", 0)),
    ),
    #: Payment record (还款记录, 逾期情况) weighs most: the practice escalates at 30, 60 and 90
    #: days overdue, and a slowing payer is its first warning signal.
    Factor(
        "PAYMENT_DAYS_LATE",
        D(20),
        NEUTRAL,
        _ranges((None, 100), ("1", 75), ("15", 50), ("30", 20), ("60", 0)),
    ),
    #: Legal risk (法律风险): lawsuits as defendant, enforcement, the dishonest-debtor list.
    Factor(
        "LEGAL_STATUS",
        D(10),
        NEUTRAL,
        _categories(
            ("NONE", 100),
            ("PLAINTIFF", 80),
            ("DEFENDANT", 30),
            ("ENFORCEMENT", 0),
            ("DISHONEST_DEBTOR", 0),
        ),
    ),
    #: Industry risk (行业背景) differs by tenant: every industry starts at full marks and a
    #: tenant lists the industries it finds risky (declining, under policy change) in a version.
    Factor("INDUSTRY", D(5), NEUTRAL, (Band(label="any industry", points=100, otherwise=True),)),
    #: A long relationship (合作历史) is evidence of its own.
    Factor(
        "RELATIONSHIP_YEARS",
        D(5),
        NEUTRAL,
        _ranges((None, 30), ("1", 60), ("3", 80), ("5", 100)),
    ),
)

#: Knock-outs cap the class whatever the score.
DEFAULT_KNOCK_OUTS = (
    #: A court enforcement or a listing as dishonest debtor (失信被执行人): class D, which the
    #: practice trades cash on delivery only (现款现货).
    KnockOut(
        "ENFORCEMENT_OR_DISHONEST_DEBTOR",
        "LEGAL_STATUS",
        Operator.IN,
        ("ENFORCEMENT", "DISHONEST_DEBTOR"),
        RatingClass.D,
    ),
    #: Altman's distress zone: at best C (short terms, close tracking).
    KnockOut("ALTMAN_DISTRESS", "ALTMAN_ZONE", Operator.IN, ("DISTRESS",), RatingClass.C),
    #: Over 90 days past due the practice starts legal proceedings: at best C.
    KnockOut("OVER_90_DAYS_PAST_DUE", "MAX_DAYS_PAST_DUE", Operator.GT, ("90",), RatingClass.C),
)

DEFAULT_SCORECARD = check_scorecard(
    Scorecard(
        factors=DEFAULT_FACTORS,
        thresholds=DEFAULT_THRESHOLDS,
        knock_outs=DEFAULT_KNOCK_OUTS,
        currency=DEFAULT_CURRENCY,
    )
)
