"""How long a text the platform stores may be: one limit per kind of text, the same everywhere.

Every text input names its limit (its GraphQL description says "At most N characters"), the
API refuses a longer one with TOO_LONG before anything is written, and a CHECK on the column
(or on a JSON document's size) refuses it in the database too, so no path can store a
megabyte note. Characters are Unicode code points, as PostgreSQL's char_length counts them.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import DomainError


@dataclass(frozen=True, slots=True)
class TextLimit:
    """A kind of text and the most characters it may hold."""

    kind: str
    max_chars: int


CODE = TextLimit("code", 64)  #: customer codes, terms codes, stage keys, enum-like words
CURRENCY = TextLimit("currency", 3)  #: an ISO 4217 code
COUNTRY = TextLimit("country", 2)  #: an ISO 3166 alpha-2 code
REFERENCE = TextLimit("reference", 200)  #: document numbers, references, external ids, keys
NAME = TextLimit("name", 200)  #: people, salespeople, banks, titles, short names
LEGAL_NAME = TextLimit("legal name", 500)  #: a company's registered name, in any language
LABEL = TextLimit("label", 40)  #: bucket labels, short outcomes shown in tables
SHORT = TextLimit("short", 100)  #: industries, channels, roles, outcomes
PHONE = TextLimit("phone", 40)  #: a telephone number as people write it
EMAIL = TextLimit("email", 254)  #: RFC 5321's longest forward path
ADDRESS = TextLimit("address", 500)  #: a postal address
DESCRIPTION = TextLimit("description", 500)  #: what a webhook endpoint or the like is for
ACCOUNT_NUMBER = TextLimit("account number", 40)  #: a bank account number or IBAN
NOTE = TextLimit("note", 2000)  #: notes, reasons, resolutions, causes, lessons
SUMMARY = TextLimit("summary", 5000)  #: a business model, a short account
TEXT = TextLimit("text", 20_000)  #: a dossier entry's body, a company's history
EVIDENCE = TextLimit("evidence", 500)  #: one evidence reference (a document's location)
URL = TextLimit("url", 2000)  #: a webhook URL
AMOUNT = TextLimit("amount", 40)  #: a decimal amount written as text
DATE_TEXT = TextLimit("date", 10)  #: a date written YYYY-MM-DD
#: An opaque paging cursor: it may carry the longest legal name, JSON-escaped and in base64.
CURSOR = TextLimit("cursor", 12_000)
SEARCH = TextLimit("search", 200)  #: a search text
TIME_ZONE = TextLimit("time zone", 64)  #: an IANA zone name
DOCUMENT = TextLimit("document", 100_000)  #: a registered GraphQL operation
IMAGE = TextLimit("image", 700_000)  #: a base64 PNG or JPEG of at most 512 KB
HOST = TextLimit("host", 253)  #: a DNS name, the longest there can be
SECRET = TextLimit("secret", 500)  #: a password the platform keeps write-only
RECORD_EVIDENCE = TextLimit("record evidence", 1000)  #: where an external credit record is kept
RECORD_SUMMARY = TextLimit("record summary", 4000)  #: what an external credit record says
SCORE = TextLimit("score", 40)  #: a bureau's score or rating as it prints it
BAND_LABEL = TextLimit("band label", 60)  #: a scorecard band's label
#: a credit-insurance policy or factoring agreement number
AGREEMENT_NUMBER = TextLimit("agreement number", 100)
RATING = TextLimit("rating", 20)  #: a guarantor's rating as an agency prints it

#: Every limit, for the tests that compare the API, the database and these rules.
LIMITS: tuple[TextLimit, ...] = (
    CODE,
    CURRENCY,
    COUNTRY,
    REFERENCE,
    NAME,
    LEGAL_NAME,
    LABEL,
    SHORT,
    PHONE,
    EMAIL,
    ADDRESS,
    DESCRIPTION,
    ACCOUNT_NUMBER,
    NOTE,
    SUMMARY,
    TEXT,
    EVIDENCE,
    URL,
    AMOUNT,
    DATE_TEXT,
    CURSOR,
    SEARCH,
    TIME_ZONE,
    DOCUMENT,
    IMAGE,
    HOST,
    SECRET,
    RECORD_EVIDENCE,
    RECORD_SUMMARY,
    SCORE,
    BAND_LABEL,
    AGREEMENT_NUMBER,
    RATING,
)
MAX_EVIDENCE = 20  #: evidence references one write-off proposal carries
MAX_CONTACTS = 50  #: people on file at one customer
MAX_LIST = 100  #: items of any other list of texts (event types, ...)


def too_long(value: str | None, limit: TextLimit) -> bool:
    """Whether a text exceeds its limit (None never does)."""
    return value is not None and len(value) > limit.max_chars


def check_text(value: str | None, limit: TextLimit, field: str) -> str | None:
    """The text as given, or TOO_LONG naming the field and the limit."""
    if too_long(value, limit):
        raise DomainError("TOO_LONG", f"at most {limit.max_chars:,} characters", field)
    return value


def collect_text(
    value: str | None, limit: TextLimit, field: str, errors: list[DomainError]
) -> str | None:
    """Like check_text, but the refusal joins a form's other errors; the text is trimmed
    (None when blank)."""
    if too_long(value, limit):
        errors.append(DomainError("TOO_LONG", f"at most {limit.max_chars:,} characters", field))
    text = (value or "").strip()
    return text or None


def description(limit: TextLimit) -> str:
    """The sentence an input's description ends with, so clients know the limit."""
    said = f"At most {limit.max_chars:,} characters."
    return f"{said} Any case: cny is taken, and stored, as CNY." if limit is CURRENCY else said
