"""Country codes: ISO 3166-1 alpha-2 as assigned, any case in, upper case out; and the USCC
check character exactly as the API's description says it is computed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from domain.countries import ALPHA_2, country_code
from domain.registration import USCC_ALPHABET, USCC_WEIGHTS, uscc_check_character


def test_assigned_codes_pass_in_any_case_and_user_codes_do_not():
    assert len(ALPHA_2) == 249
    assert country_code(" cn ") == "CN" and country_code("De") == "DE"
    for refused in ("ZZ", "XA", "QM", "AA", "EU", "UK", "C", "CHN", ""):
        assert country_code(refused) is None, refused


def test_uscc_alphabet_and_weights_are_as_described():
    # 0-9 A-H J-N P-R T-U W-Y, and weights 3^i mod 31 for the first 17 characters
    assert USCC_ALPHABET == "0123456789" + "ABCDEFGH" + "JKLMN" + "PQR" + "TU" + "WXY"
    assert USCC_WEIGHTS == tuple(pow(3, i, 31) for i in range(17))


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_check_character_is_31_minus_the_weighted_sum_mod_31(first17: str):
    total = sum(USCC_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    assert uscc_check_character(first17) == USCC_ALPHABET[(31 - total % 31) % 31]
