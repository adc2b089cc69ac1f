"""The enums of credit analysis and scoring, each value described (from the domain's names)."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry


def described(name: str, description: str, values: dict[str, str]) -> Any:
    """A GraphQL enum whose values carry descriptions; the values are the domain's names."""
    members = {k: strawberry.enum_value(k, description=v) for k, v in values.items()}
    return strawberry.enum(Enum(name, members), description=description)  # type: ignore[misc]


StatementKind = described(
    "StatementKind",
    "The period a financial statement covers.",
    {"ANNUAL": "A full financial year.", "INTERIM": "Part of a year (half-year, quarter)."},
)
StatementSource = described(
    "StatementSource",
    "Who stands behind a statement's figures.",
    {
        "AUDITED": "Audited accounts (preferred when a period has several).",
        "TAX_FILING": "As filed with the tax authority.",
        "MANAGEMENT": "Management accounts, unaudited.",
    },
)
StatementUnit = described(
    "StatementUnit",
    "The unit a statement's figures are written in.",
    {"YUAN": "元 (one).", "THOUSAND": "千元 (thousands).", "TEN_THOUSAND": "万元 (ten thousands)."},
)
StatementLine = described(
    "StatementLine",
    "A key line of a financial statement (Chinese accounting standards).",
    {
        "CASH": "货币资金: cash and equivalents.",
        "RECEIVABLES": "应收账款: trade receivables.",
        "INVENTORY": "存货: inventory.",
        "CURRENT_ASSETS": "流动资产合计: total current assets.",
        "TOTAL_ASSETS": "资产总计: total assets (required).",
        "CURRENT_LIABILITIES": "流动负债合计: total current liabilities.",
        "TOTAL_LIABILITIES": "负债合计: total liabilities (required).",
        "EQUITY": "所有者权益合计: total equity, may be negative (required).",
        "RETAINED_EARNINGS": "未分配利润: retained earnings, may be negative.",
        "REVENUE": "营业收入: revenue.",
        "COST_OF_SALES": "营业成本: cost of sales.",
        "EBIT": "息税前利润: EBIT; else profit before tax plus interest is used.",
        "PROFIT_BEFORE_TAX": "利润总额: profit before tax.",
        "INTEREST_EXPENSE": "利息费用: interest expense.",
        "NET_PROFIT": "净利润: net profit.",
        "OPERATING_CASH_FLOW": "经营活动产生的现金流量净额: net operating cash flow.",
    },
)
FinancialRatio = described(
    "FinancialRatio",
    "A financial ratio; interim flows set against stocks are annualised (x 365 / days).",
    {
        "CURRENT_RATIO": "Current assets / current liabilities.",
        "QUICK_RATIO": "(Current assets - inventory) / current liabilities.",
        "DEBT_TO_ASSETS": "Total liabilities / total assets.",
        "GROSS_MARGIN": "(Revenue - cost of sales) / revenue.",
        "NET_MARGIN": "Net profit / revenue.",
        "RETURN_ON_ASSETS": "Net profit / total assets.",
        "RETURN_ON_EQUITY": "Net profit / equity (null when equity is not positive).",
        "INTEREST_COVER": "EBIT / interest expense.",
        "RECEIVABLE_DAYS": "Receivables / revenue x days of the period.",
        "INVENTORY_DAYS": "Inventory / cost of sales x days of the period.",
        "OPERATING_CASH_FLOW_TO_CURRENT_LIABILITIES": "Operating cash flow / current liabilities.",
    },
)
AltmanZone = described(
    "AltmanZone",
    "Altman's reading of Z''.",
    {"SAFE": "Above 2.60.", "GREY": "From 1.10 to 2.60.", "DISTRESS": "Below 1.10."},
)
ExternalRecordKind = described(
    "ExternalRecordKind",
    "What kind of outside evidence a record is.",
    {
        "BUREAU_REPORT": "A credit bureau's report (score or rating required).",
        "LEGAL_RECORD": "A lawsuit, arbitration, enforcement or dishonest-debtor listing.",
        "NEGATIVE_NEWS": "A piece of negative news (severity required).",
        "SITE_VISIT": "A visit to the customer (visitor and assessment required).",
        "BANK_REFERENCE": "A bank's reference (bank and assessment required).",
    },
)
LegalRecordKind = described(
    "LegalRecordKind",
    "The kind of legal record.",
    {
        "LAWSUIT": "A lawsuit (诉讼).",
        "ARBITRATION": "An arbitration (仲裁).",
        "ENFORCEMENT": "A court enforcement (强制执行).",
        "DISHONEST_DEBTOR": "A listing as dishonest debtor (失信被执行人).",
    },
)
PartyRole = described(
    "PartyRole",
    "The customer's side in a legal record.",
    {
        "DEFENDANT": "Defendant, respondent or debtor (被告, 被申请人, 被执行人).",
        "PLAINTIFF": "Plaintiff or applicant (原告, 申请人).",
    },
)
LegalCaseStatus = described(
    "LegalCaseStatus",
    "Whether a legal record is still live.",
    {"OPEN": "Pending, or listed.", "CLOSED": "Over: satisfied, withdrawn or delisted."},
)
Assessment = described(
    "Assessment",
    "What a visit, bank reference or report concluded.",
    {"POSITIVE": "Favourable.", "NEUTRAL": "Neither.", "NEGATIVE": "Unfavourable."},
)
NewsSeverity = described(
    "NewsSeverity",
    "How serious a piece of negative news is.",
    {"LOW": "Minor.", "MEDIUM": "Notable.", "HIGH": "Serious."},
)
DaysToPayTrend = described(
    "DaysToPayTrend",
    "Days to pay in the window's later half against its earlier half.",
    {
        "LENGTHENING": "Paying more than a week slower: a warning signal.",
        "STABLE": "Within a week either way.",
        "SHORTENING": "Paying more than a week faster.",
        "UNKNOWN": "Not enough payments in one of the halves.",
    },
)
SaveStatus = described(
    "SaveStatus",
    "What recording did.",
    {
        "CREATED": "Newly recorded.",
        "UPDATED": "A correction or revision of the record with the same key.",
        "UNCHANGED": "The same content was recorded before: nothing changed.",
    },
)
RowOutcome = described(
    "CreditImportRowOutcome",
    "What happened to one row of a batch.",
    {
        "CREATED": "Newly recorded.",
        "UPDATED": "Revised an earlier record with the same key.",
        "UNCHANGED": "Recorded before with the same content.",
        "ERROR": "Refused; see userErrors.",
    },
)
RatingClassValue = described(
    "CreditRatingClass",
    "A customer's rating class: A best, D worst (D trades cash before delivery).",
    {
        "A": "Generous terms.",
        "B": "Standard terms.",
        "C": "Short terms, close tracking.",
        "D": "Cash before delivery.",
    },
)
