"""The seller's own particulars, as its letters and statements print them: who it is, where to
pay, who signs and stamps, which law firm writes its lawyer's letters."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.errors import DomainError

TEXT_MAX = 200  #: a name, an address line, a bank's name
ADDRESS_MAX = 500  #: a postal address
IMAGE_MAX_BYTES = 512 * 1024  #: a logo or a seal: a scan at print resolution fits easily
BANK_ACCOUNTS_MAX = 5  #: accounts a letter may list
ACCOUNT_NUMBER = re.compile(r"^[0-9A-Z][0-9A-Z \-]{4,38}[0-9A-Z]$")  #: CN 16-19 digits, IBANs
PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{4,30}$")
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


@dataclass(frozen=True)
class BankAccount:
    """Where customers pay: printed on letters and statements."""

    bank: str
    account_name: str
    account_number: str
    currency: str
    branch: str | None = None


def image_type(data: bytes, field: str) -> str:
    """The media type of a logo or seal image (PNG or JPEG), or a refusal."""
    if len(data) > IMAGE_MAX_BYTES:
        raise DomainError("TOO_LONG", f"an image is at most {IMAGE_MAX_BYTES // 1024} KB", field)
    for signature, media_type in SIGNATURES.items():
        if data.startswith(signature):
            return media_type
    raise DomainError("INVALID_IMAGE", "a PNG or JPEG image", field)


def check_text(value: str | None, field: str, limit: int = TEXT_MAX) -> str | None:
    """A trimmed optional text within its limit."""
    if value is None:
        return None
    text = value.strip()
    if len(text) > limit:
        raise DomainError("TOO_LONG", f"at most {limit} characters", field)
    return text or None


def check_phone(value: str | None, field: str) -> str | None:
    """A telephone number as people write it (+86 21 5555 0000, 021-5555-0000)."""
    text = check_text(value, field, 40)
    if text is not None and not PHONE.match(text):
        raise DomainError("INVALID_PHONE", "digits, spaces, brackets, - and a leading +", field)
    return text


def check_account(account: BankAccount, field: str) -> BankAccount:
    """A bank account with every part present and within limits."""
    number = account.account_number.strip().upper()
    if not ACCOUNT_NUMBER.match(number):
        raise DomainError(
            "INVALID_ACCOUNT",
            "6-40 letters and digits (spaces and - allowed)",
            f"{field}.accountNumber",
        )
    bank = check_text(account.bank, f"{field}.bank")
    name = check_text(account.account_name, f"{field}.accountName")
    if not bank or not name:
        raise DomainError("REQUIRED", "the bank and the account's name are needed", field)
    return BankAccount(
        bank=bank,
        account_name=name,
        account_number=number,
        currency=account.currency.strip().upper(),
        branch=check_text(account.branch, f"{field}.branch"),
    )
