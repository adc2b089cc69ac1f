"""The unified social credit code check character (GB 32100-2015)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.registration import USCC_ALPHABET, normalise_registration, uscc_check_character

#: Published codes of real companies (public registry data), check character included.
KNOWN_VALID = ["91110000100006485K", "91310000607206953D"]


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_known_codes_validate(code: str) -> None:
    assert normalise_registration("CN", code.lower()) == code


def test_wrong_check_character_is_refused() -> None:
    code = KNOWN_VALID[0]
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(DomainError) as info:
        normalise_registration("CN", wrong)
    assert info.value.code == "INVALID_REGISTRATION_NUMBER"
    assert info.value.field == "registrationNumber"


@pytest.mark.parametrize("bad", ["123", "91110000100006485KX", "9111000010000648IK"])
def test_malformed_codes_are_refused(bad: str) -> None:
    with pytest.raises(DomainError):
        normalise_registration("CN", bad)


def test_other_countries_take_free_numbers() -> None:
    assert normalise_registration("DE", " hrb 123456 ") == "HRB 123456"
    assert normalise_registration("CN", None) is None
    assert normalise_registration("SE", "  ") is None


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_every_body_has_exactly_one_valid_check_character(body: str) -> None:
    good = uscc_check_character(body)
    assert normalise_registration("CN", body + good) == body + good
    for other in USCC_ALPHABET:
        if other != good:
            with pytest.raises(DomainError):
                normalise_registration("CN", body + other)
            break
