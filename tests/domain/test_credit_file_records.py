"""Credit-file completeness with the credit-decision records: statements, bureau reports, legal
records and the annual sales an annual statement states, beside the timeline's entries."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.credit_file import (
    DEFAULT_POLICY,
    CreditFileFacts,
    CreditRecords,
    RequiredItem,
    completeness,
    dated_items,
)

TODAY = date(2026, 11, 24)
FIELDS = frozenset(i.key for i in DEFAULT_POLICY if i.max_age_days is None) - {"ANNUAL_SALES"}


def _grade(records: CreditRecords, entries: dict[str, date] | None = None) -> set[tuple[str, str]]:
    facts = CreditFileFacts(FIELDS, dated_items(entries or {}, records))
    return {(m.key, m.reason) for m in completeness(facts, DEFAULT_POLICY, TODAY).missing}


def test_recorded_statement_report_and_legal_record_complete_the_file() -> None:
    # given C-1004's records: an annual statement of last year, a bureau report, a lawsuit
    records = CreditRecords(
        statement_end=date(2025, 12, 31),
        sales_end=date(2025, 12, 31),
        external={"BUREAU_REPORT": date(2026, 10, 1), "LEGAL_RECORD": date(2026, 11, 2)},
    )
    # when graded, then nothing is missing
    assert _grade(records) == set()
    assert _grade(CreditRecords()) == {
        ("ANNUAL_SALES", "ABSENT"),
        ("FINANCIAL_STATEMENT", "ABSENT"),
        ("CREDIT_REPORT", "ABSENT"),
        ("LEGAL_RECORD", "ABSENT"),
    }


def test_a_statement_is_as_old_as_its_period_end() -> None:
    # 548 days before 2026-11-24 is 2025-05-25
    fresh = CreditRecords(statement_end=date(2025, 5, 25))
    stale = CreditRecords(statement_end=date(2025, 5, 24))
    assert ("FINANCIAL_STATEMENT", "STALE") not in _grade(fresh)
    assert ("FINANCIAL_STATEMENT", "STALE") in _grade(stale)


def test_other_external_kinds_are_no_checklist_items() -> None:
    # negative news or a bank reference is no credit report, and a site visit only one
    records = CreditRecords(
        external={"NEGATIVE_NEWS": TODAY, "BANK_REFERENCE": TODAY, "SITE_VISIT": TODAY}
    )
    assert dated_items({}, records) == {"SITE_VISIT": TODAY}


def test_the_newest_date_of_either_source_counts() -> None:
    old, new = TODAY - timedelta(days=500), TODAY - timedelta(days=3)
    entries = {"CREDIT_REPORT": old, "LEGAL_RECORD": new, "NOTE": old}
    records = CreditRecords(external={"BUREAU_REPORT": new, "LEGAL_RECORD": old})
    assert dated_items(entries, records) == {"CREDIT_REPORT": new, "LEGAL_RECORD": new, "NOTE": old}
    assert _grade(records, entries) == {
        ("ANNUAL_SALES", "ABSENT"),
        ("FINANCIAL_STATEMENT", "ABSENT"),
    }


def test_annual_sales_on_file_never_go_stale_and_a_statement_only_adds_to_them() -> None:
    # given a checklist that dates annual sales
    policy = [RequiredItem("ANNUAL_SALES", 365)]
    old = dated_items({}, CreditRecords(sales_end=TODAY - timedelta(days=400)))
    # when the customer field is filled, or only an old annual statement states them
    filled = completeness(CreditFileFacts(frozenset({"ANNUAL_SALES"}), old), policy, TODAY)
    statement = completeness(CreditFileFacts(frozenset(), old), policy, TODAY)
    # then the field is present, the statement's figure stale as of its period end
    assert filled.missing == ()
    assert [(m.reason, m.as_of) for m in statement.missing] == [("STALE", old["ANNUAL_SALES"])]


@given(
    st.dictionaries(
        st.sampled_from(["FINANCIAL_STATEMENT", "CREDIT_REPORT", "LEGAL_RECORD", "NOTE"]),
        st.dates(date(2020, 1, 1), TODAY),
    ),
    st.one_of(st.none(), st.dates(date(2020, 1, 1), TODAY)),
    st.dictionaries(
        st.sampled_from(["BUREAU_REPORT", "LEGAL_RECORD", "NEGATIVE_NEWS", "SITE_VISIT"]),
        st.dates(date(2020, 1, 1), TODAY),
    ),
)
def test_credit_records_never_make_a_file_less_complete(
    entries: dict[str, date], statement_end: date | None, external: dict[str, date]
) -> None:
    records = CreditRecords(statement_end, statement_end, external)
    alone = completeness(CreditFileFacts(FIELDS, entries), DEFAULT_POLICY, TODAY)
    both = completeness(
        CreditFileFacts(FIELDS, dated_items(entries, records)), DEFAULT_POLICY, TODAY
    )
    assert both.ratio >= alone.ratio
    assert {m.key for m in both.missing} <= {m.key for m in alone.missing}
