"""Letter numbers and deadlines; a mail server's settings as they may be saved."""

from __future__ import annotations

from datetime import date

import pytest

from domain.delivery import Security, check_smtp, is_permanent
from domain.errors import DomainError, ValidationFailed
from domain.letters import LetterKind, deadline, kind_of, letter_number

AS_OF = date(2026, 11, 30)


def test_numbers_and_deadlines() -> None:
    assert letter_number(LetterKind.REMINDER, 2026, 7) == "DL-2026-0007"
    assert letter_number(LetterKind.LAWYER, 2027, 12345) == "LL-2027-12345"
    assert deadline(LetterKind.REMINDER, AS_OF) == date(2026, 12, 10)
    assert deadline(LetterKind.LAWYER, AS_OF) == date(2026, 12, 5)
    assert deadline(LetterKind.DEMAND, AS_OF, date(2026, 12, 31)) == date(2026, 12, 31)
    for bad in (AS_OF, date(2027, 3, 1)):
        with pytest.raises(DomainError) as refused:
            deadline(LetterKind.DEMAND, AS_OF, bad)
        assert (refused.value.code, refused.value.field) == ("INVALID_DATE", "deadline")
    with pytest.raises(DomainError, match="REMINDER"):
        kind_of("FRIENDLY")


def test_a_complete_setting_gets_its_default_port() -> None:
    saved = check_smtp(" smtp.example.cn ", None, "TLS", "bot", "pw", "ar@example.cn", " 应收 ")
    assert (saved.host, saved.port, saved.security, saved.from_name) == (
        "smtp.example.cn",
        465,
        Security.TLS,
        "应收",
    )
    assert check_smtp("127.0.0.1", 2525, "NONE", None, None, "ar@example.cn").port == 2525


def codes(**kwargs: object) -> set[tuple[str, str | None]]:
    args = {
        "host": "smtp.example.cn",
        "port": None,
        "security": "STARTTLS",
        "username": None,
        "password": None,
        "from_address": "ar@example.cn",
        **kwargs,
    }
    with pytest.raises(ValidationFailed) as refused:
        check_smtp(**args)  # type: ignore[arg-type]
    return {(e.code, e.field) for e in refused.value.errors}


def test_refusals_all_at_once() -> None:
    assert codes(host=None) == {("REQUIRED", "host")}
    assert codes(host="  ") == {("REQUIRED", "host")}
    assert codes(host="smtp://x") == {("INVALID_HOST", "host")}
    assert codes(port=0, security="SSL") == {
        ("INVALID_INPUT", "port"),
        ("INVALID_INPUT", "security"),
    }
    assert codes(username="bot") == {("REQUIRED", "password")}
    assert codes(username="b\x00t", password="p\nw") == {
        ("INVALID_INPUT", "username"),
        ("INVALID_INPUT", "password"),
    }
    assert codes(username="bot", password="pw", security="NONE") == {("INSECURE_LOGIN", "security")}
    assert codes(from_address=None, reply_to="nope") == {
        ("REQUIRED", "fromAddress"),
        ("INVALID_EMAIL", "replyTo"),
    }


def test_permanent_replies() -> None:
    assert is_permanent(550) and is_permanent(535)
    assert not is_permanent(451) and not is_permanent(421)
