"""External credit records: required fields per kind, and the legal status they add up to."""

from __future__ import annotations

from datetime import date

import pytest

from domain.credit.external import (
    LegalFact,
    LegalKind,
    LegalStatus,
    PartyRole,
    RecordIn,
    RecordKind,
    check_record,
    legal_status,
    negative_news,
)
from domain.errors import ValidationFailed

AS_OF = date(2026, 6, 30)


def test_a_legal_record_needs_its_case_facts():
    with pytest.raises(ValidationFailed) as err:
        check_record(
            RecordIn("LEGAL_RECORD", "court-db", "X-1", date(2026, 1, 5), evidence="doc"),
            AS_OF,
            "records.0.",
        )
    assert {(e.code, e.field) for e in err.value.errors} == {
        ("REQUIRED", "records.0.legalKind"),
        ("REQUIRED", "records.0.role"),
        ("REQUIRED", "records.0.caseNumber"),
        ("REQUIRED", "records.0.court"),
        ("REQUIRED", "records.0.status"),
        ("REQUIRED", "records.0.filedOn"),
    }


def test_a_complete_enforcement_record():
    record = check_record(
        RecordIn(
            kind="legal_record",
            source="court-db",
            source_ref="(2026)沪0115执1234号",
            recorded_on=date(2026, 3, 1),
            evidence="https://example.invalid/case/1234",
            legal_kind="ENFORCEMENT",
            role="DEFENDANT",
            case_number="(2026)沪0115执1234号",
            court="上海市浦东新区人民法院",
            amount="125000.50",
            currency="CNY",
            status="OPEN",
            filed_on=date(2026, 2, 20),
        ),
        AS_OF,
    )
    assert record.kind == RecordKind.LEGAL_RECORD
    assert record.amount is not None and record.amount.minor == 12_500_050


def test_a_bureau_report_needs_a_score_and_evidence():
    with pytest.raises(ValidationFailed) as err:
        check_record(RecordIn("BUREAU_REPORT", "bureau", "R-1", date(2026, 1, 1)), AS_OF)
    assert {e.field for e in err.value.errors} == {"score", "evidence"}


def fact(kind=RecordKind.LEGAL_RECORD, on=date(2026, 1, 1), lk=None, role=None, status=None):
    return LegalFact(kind, on, lk, role, status)


def test_legal_status_is_the_worst_open_record():
    facts = [
        fact(lk=LegalKind.LAWSUIT, role=PartyRole.PLAINTIFF, status=LegalStatus.OPEN),
        fact(lk=LegalKind.LAWSUIT, role=PartyRole.DEFENDANT, status=LegalStatus.OPEN),
        fact(lk=LegalKind.ENFORCEMENT, role=PartyRole.DEFENDANT, status=LegalStatus.CLOSED),
    ]
    assert legal_status(facts, AS_OF) == "DEFENDANT"
    listed = fact(
        on=date(2022, 1, 1),
        lk=LegalKind.DISHONEST_DEBTOR,
        role=PartyRole.DEFENDANT,
        status=LegalStatus.OPEN,
    )
    assert legal_status([*facts, listed], AS_OF) == "DISHONEST_DEBTOR"


def test_nobody_checked_is_missing_not_clean():
    assert legal_status([], AS_OF) is None
    stale = fact(kind=RecordKind.BUREAU_REPORT, on=date(2025, 6, 30))
    assert legal_status([stale], AS_OF) is None
    recent = fact(kind=RecordKind.BUREAU_REPORT, on=date(2025, 7, 1))
    assert legal_status([recent], AS_OF) == "NONE"
    future = fact(kind=RecordKind.BUREAU_REPORT, on=date(2026, 7, 1))
    assert legal_status([future], AS_OF) is None


def test_negative_news_counts_a_year():
    news = [
        fact(kind=RecordKind.NEGATIVE_NEWS, on=d) for d in (date(2025, 6, 30), date(2026, 2, 1))
    ]
    assert negative_news(news, AS_OF) == 1
