"""Lazy objects: every field derivable from the row, derived once, as the eager object had it."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from schema.customers.types import (
    Completeness,
    Customer,
    CustomerEdge,
    CustomerStatus,
    Partner,
    RelationKind,
)
from schema.engine.lazy import FromRow
from schema.loading import Deferred
from services.customers.records import CustomerRecord, PartnerLink

ROW = CustomerRecord(
    tenant_id=uuid4(),
    id=uuid4(),
    code="C-1",
    legal_name="华东机械有限公司",
    country="CN",
    registration_number=None,
    industry="Machinery",
    status="ACTIVE",
    founded_on=date(2005, 1, 1),
    registered_capital_minor=100_000_00,
    registered_capital_currency="CNY",
    annual_sales_minor=None,
    annual_sales_currency=None,
    business_model=None,
    salesperson="王伟",
    rating_class="B",
    payment_terms_code=None,
    late_interest_daily_rate=Decimal("0.000500"),
    contacts=[{"name": "李娜", "role": "CFO"}],
    version=3,
    company_history="history",
    last_reviewed_on=None,
    created_at=datetime(2026, 1, 1, tzinfo=UTC),
    updated_at=datetime(2026, 1, 2, tzinfo=UTC),
)


@pytest.mark.parametrize("cls", [Customer, CustomerEdge, Partner, Completeness])
def test_every_field_has_a_deriver(cls: type[FromRow]) -> None:
    """A field with no class attribute (no resolver, no default) must be derivable."""
    fields = {f.name for f in dataclasses.fields(cls) if not hasattr(cls, f.name)}  # type: ignore[arg-type]
    assert set(cls.DERIVE) == fields - {"row"}


def test_customer_fields_are_derived_once_as_read() -> None:
    customer = Customer.from_row(ROW)
    assert "code" not in customer.__dict__  # nothing derived before it is read
    assert customer.raw_id == ROW.id and customer.code == "C-1"
    assert customer.status is CustomerStatus.ACTIVE
    assert customer.registered_capital is not None
    assert customer.registered_capital.amount == "100000.00"
    assert customer.annual_sales is None
    assert customer.late_interest_daily_rate == "0.0005"
    assert [(c.name, c.role, c.email) for c in customer.contacts] == [("李娜", "CFO", None)]
    assert isinstance(customer.credit_file.completeness, Deferred)
    assert customer.credit_file is customer.credit_file  # derived once, then an attribute
    customer.credit_file.partners = []
    assert customer.credit_file.partners == []
    with pytest.raises(AttributeError):
        customer.no_such_field  # noqa: B018


def test_partner_from_row() -> None:
    link = PartnerLink(uuid4(), "GUARANTOR", None, uuid4(), "C-2", "Guarantor Ltd")
    partner = Partner.from_row(link)
    assert partner.kind is RelationKind.GUARANTOR and partner.related_code == "C-2"
    assert partner.id != partner.related_id
