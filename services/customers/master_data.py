"""Customer master data and credit terms: create, update (optimistic concurrency), archive,
set terms; each audited."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy.exc import IntegrityError

from dbschema.queries import customers as q
from domain import texts
from domain.audit import AuditAction
from domain.countries import country_code
from domain.credit_terms import KEEP, Keep, credit_terms_change
from domain.dates import check_date
from domain.errors import DomainError, NotFound, ValidationFailed
from domain.money import MAX_DOCUMENT_MINOR, Money
from domain.recipients import LANGUAGES
from domain.registration import normalise_registration
from domain.texts import TextLimit
from services import audit
from services.configuration import payment_terms
from services.customers.records import CustomerRecord, customer_of
from services.inputs import MoneyIn
from services.uow import UnitOfWork

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
UNSET: Any = object()
MAX_CONTACTS = texts.MAX_CONTACTS


@dataclass(frozen=True)
class ContactIn:
    """A person at the customer."""

    name: str
    role: str | None = None
    phone: str | None = None
    email: str | None = None
    language: str | None = None  #: zh-CN or en: what documents are sent to them in


@dataclass
class CustomerChanges:
    """Fields a create sets or an update changes; UNSET leaves a field alone."""

    code: Any = UNSET
    legal_name: Any = UNSET
    country: Any = UNSET
    registration_number: Any = UNSET
    industry: Any = UNSET
    founded_on: Any = UNSET
    registered_capital: Any = UNSET
    annual_sales: Any = UNSET
    business_model: Any = UNSET
    company_history: Any = UNSET
    salesperson: Any = UNSET
    contacts: Any = UNSET
    extra: dict[str, Any] = field(default_factory=dict)


AUDITED = (
    "code",
    "legal_name",
    "country",
    "registration_number",
    "industry",
    "founded_on",
    "business_model",
    "company_history",
    "salesperson",
    "contacts",
    "status",
    "last_reviewed_on",
    "rating_class",
    "payment_terms_code",
    "late_interest_daily_rate",
)
AUDITED_MONEY = ("registered_capital", "annual_sales")


def _text(
    value: Any,
    field_name: str,
    errors: list[DomainError],
    *,
    required: bool = False,
    limit: TextLimit = texts.LEGAL_NAME,
) -> str | None:
    if not isinstance(value, str):
        value = None
    text = texts.collect_text(value, limit, field_name, errors)
    if text is None and required:
        errors.append(DomainError("REQUIRED", "must not be blank", field_name))
    return text


def _money(value: MoneyIn | None, field_name: str, errors: list[DomainError]) -> Money | None:
    if value is None:
        return None
    try:
        money = Money.parse(value.amount, value.currency, field_name)
    except DomainError as exc:
        errors.append(exc)
        return None
    if money.is_negative:
        errors.append(
            DomainError("NEGATIVE_AMOUNT", "must not be negative", f"{field_name}.amount")
        )
    elif money.minor > MAX_DOCUMENT_MINOR:
        errors.append(
            DomainError(
                "AMOUNT_TOO_LARGE",
                f"at most {MAX_DOCUMENT_MINOR:,} minor units",
                f"{field_name}.amount",
            )
        )
    return money


def _contacts(value: list[ContactIn], errors: list[DomainError]) -> list[dict[str, Any]]:
    out = []
    if len(value) > MAX_CONTACTS:
        errors.append(DomainError("TOO_MANY", f"at most {MAX_CONTACTS} contacts", "contacts"))
        value = value[:MAX_CONTACTS]
    for i, contact in enumerate(value):
        at = f"contacts.{i}"
        name = _text(contact.name, f"{at}.name", errors, required=True, limit=texts.NAME)
        email = _text(contact.email, f"{at}.email", errors, limit=texts.EMAIL)
        if email and not EMAIL.match(email):
            errors.append(DomainError("INVALID_EMAIL", "not an e-mail address", f"{at}.email"))
        stored = {
            "name": name,
            "role": _text(contact.role, f"{at}.role", errors, limit=texts.SHORT),
            "phone": _text(contact.phone, f"{at}.phone", errors, limit=texts.PHONE),
            "email": email,
        }
        if contact.language is not None:
            if contact.language not in LANGUAGES:
                errors.append(DomainError("INVALID_INPUT", "zh-CN or en", f"{at}.language"))
            stored["language"] = contact.language
        out.append(stored)
    return out


def validate(changes: CustomerChanges, current: CustomerRecord | None) -> dict[str, Any]:
    """Turn requested changes into column values, or raise every problem at once."""
    errors: list[DomainError] = []
    values: dict[str, Any] = {}
    creating = current is None
    if creating or changes.code is not UNSET:
        code = _text(changes.code, "code", errors, required=True, limit=texts.CODE)
        if code and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]*", code):
            errors.append(DomainError("INVALID_CODE", "letters, digits and . _ / - only", "code"))
        values["code"] = code
    if creating or changes.legal_name is not UNSET:
        values["legal_name"] = _text(changes.legal_name, "legalName", errors, required=True)
    if creating or changes.country is not UNSET:
        raw = (changes.country or "") if changes.country is not UNSET else ""
        country = country_code(raw)
        if country is None:
            errors.append(
                DomainError(
                    "INVALID_COUNTRY",
                    "an ISO 3166-1 alpha-2 code of a country (ZZ and other user codes are not)",
                    "country",
                )
            )
        values["country"] = country or raw.strip().upper()
    country_now = values.get("country") or (current.country if current else "")
    if changes.registration_number is not UNSET or (
        "country" in values and current is not None and current.registration_number
    ):
        raw = (
            changes.registration_number
            if changes.registration_number is not UNSET or current is None
            else current.registration_number
        )
        try:
            values["registration_number"] = normalise_registration(country_now, raw)
        except DomainError as exc:
            errors.append(exc)
    for attr, column, limit in (
        ("industry", "industry", texts.SHORT),
        ("business_model", "business_model", texts.SUMMARY),
        ("company_history", "company_history", texts.TEXT),
        ("salesperson", "salesperson", texts.NAME),
    ):
        value = getattr(changes, attr)
        if value is not UNSET:
            values[column] = _text(value, _camel(attr), errors, limit=limit)
    if changes.founded_on is not UNSET:
        try:
            check_date(changes.founded_on, "foundedOn")
            if changes.founded_on is not None and changes.founded_on > date(2100, 1, 1):
                errors.append(DomainError("INVALID_DATE", "not a plausible date", "foundedOn"))
        except DomainError as exc:
            errors.append(exc)
        values["founded_on"] = changes.founded_on
    for attr, prefix in (
        ("registered_capital", "registered_capital"),
        ("annual_sales", "annual_sales"),
    ):
        value = getattr(changes, attr)
        if value is not UNSET:
            money = _money(value, _camel(attr), errors)
            values[f"{prefix}_minor"] = money.minor if money else None
            values[f"{prefix}_currency"] = money.currency if money else None
    if changes.contacts is not UNSET:
        values["contacts"] = _contacts(changes.contacts or [], errors)
    if errors:
        raise ValidationFailed(errors)
    return values


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def _audit_view(record: CustomerRecord | None) -> dict[str, Any]:
    """A customer as the audit trail shows it: money as "1234.50 CNY", dates as ISO strings."""
    if record is None:
        return {}
    view = {_camel(key): _jsonable(getattr(record, key)) for key in AUDITED}
    for prefix in AUDITED_MONEY:
        minor = getattr(record, f"{prefix}_minor")
        currency = getattr(record, f"{prefix}_currency")
        view[_camel(prefix)] = (
            None
            if minor is None or currency is None
            else f"{Money(int(minor), str(currency).strip()).to_decimal_string()} "
            f"{str(currency).strip()}"
        )
    return view


def diff(before: CustomerRecord | None, after: CustomerRecord) -> dict[str, Any]:
    """Changed audited fields with their before and after values, as the trail names them."""
    old, new = _audit_view(before), _audit_view(after)
    return {
        key: {"before": old.get(key), "after": value}
        for key, value in new.items()
        if old.get(key) != value
    }


async def create_customer(uow: UnitOfWork, changes: CustomerChanges) -> CustomerRecord:
    """Create a customer; the code is unique per tenant."""
    values = validate(changes, None)
    if await q.code_taken(uow.conn, values["code"]):
        raise ValidationFailed([DomainError("DUPLICATE_CODE", "code already in use", "code")])
    try:
        async with uow.conn.begin_nested():
            stored = customer_of(await q.insert(uow.conn, {**values, "tenant_id": uow.tenant_id}))
    except IntegrityError:
        raise ValidationFailed(
            [DomainError("DUPLICATE_CODE", "code already in use", "code")]
        ) from None
    await audit.record(
        uow, AuditAction.CREATE_CUSTOMER, "Customer", stored.id, stored.id, diff(None, stored)
    )
    return stored


async def locked(
    uow: UnitOfWork, customer_id: UUID, version: int | None, field: str = "id"
) -> CustomerRecord:
    """The customer under a row lock; refused when gone or (with a version) changed since.
    `field`: the input field that named it (a credit-file entry's is `customerId`)."""
    row = await q.for_update(uow.conn, customer_id)
    if row is None:
        raise NotFound(field, "customer")
    current = customer_of(row)
    if version is not None and current.version != version:
        raise DomainError(
            "STALE_VERSION",
            f"customer is at version {current.version}, not {version}; reload and retry",
            "version",
        )
    return current


async def save(
    uow: UnitOfWork,
    customer_id: UUID,
    version: int | None,
    values: dict[str, Any],
    action: AuditAction,
) -> CustomerRecord:
    """Apply column values under a row lock and version check, and audit the difference."""
    current = await locked(uow, customer_id, version)
    if (
        "code" in values
        and values["code"] != current.code
        and await q.code_taken(uow.conn, values["code"], customer_id)
    ):
        raise ValidationFailed([DomainError("DUPLICATE_CODE", "code already in use", "code")])
    row = await q.update(uow.conn, customer_id, current.version, values)
    assert row is not None  # the row lock holds the version still
    stored = customer_of(row)
    changes = diff(current, stored)
    if changes:
        await audit.record(uow, action, "Customer", customer_id, customer_id, changes)
    return stored


async def update_customer(
    uow: UnitOfWork, customer_id: UUID, version: int, changes: CustomerChanges
) -> CustomerRecord:
    """Change master data; a stale version is refused so no edit is silently lost."""
    current = await locked(uow, customer_id, version)
    values = validate(changes, current)
    return await save(uow, customer_id, version, values, AuditAction.UPDATE_CUSTOMER)


async def archive_customer(
    uow: UnitOfWork, customer_id: UUID, version: int | None
) -> CustomerRecord:
    """Stop trading with a customer; the record and its history stay."""
    current = await locked(uow, customer_id, version)
    if current.status == "ARCHIVED":
        raise DomainError("ALREADY_ARCHIVED", "customer is already archived", "id")
    return await save(
        uow, customer_id, version, {"status": "ARCHIVED"}, AuditAction.ARCHIVE_CUSTOMER
    )


async def set_credit_terms(
    uow: UnitOfWork,
    customer_id: UUID,
    version: int | None,
    payment_terms_code: str | Keep | None = KEEP,
    late_interest_daily_rate: str | Keep | None = KEEP,
) -> CustomerRecord:
    """Set, reset (None) or keep (KEEP) agreed terms and rate; an agreed terms code must exist.

    The class is not a term set here: it moves only through services.credit (history, decision,
    and four eyes on an upgrade).
    """
    change = credit_terms_change(KEEP, payment_terms_code, late_interest_daily_rate)
    code = change.payment_terms_code
    if isinstance(code, str) and not await payment_terms.exists(uow, code):
        raise DomainError("NOT_FOUND", f"no payment terms {code!r}", "paymentTermsCode")
    return await save(uow, customer_id, version, change.changed(), AuditAction.SET_CREDIT_TERMS)


async def find_by_code(uow: UnitOfWork, code: str) -> CustomerRecord | None:
    """The tenant's customer with this code, if any."""
    row = await q.by_code(uow.conn, code)
    return None if row is None else customer_of(row)
