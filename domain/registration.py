"""Company registration numbers: China's unified social credit code has a check character."""

from __future__ import annotations

from domain.errors import DomainError

#: GB 32100-2015 alphabet: digits and capitals without I, O, Z, S, V.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: GB 32100-2015 position weights for the first 17 characters.
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_character(first17: str) -> str:
    """The 18th character GB 32100-2015 prescribes for the first 17."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalise_registration(country: str, number: str | None) -> str | None:
    """Validate and normalise a registration number for its country; None stays None."""
    if number is None:
        return None
    value = number.strip().upper()
    if not value:
        return None
    if country != "CN":
        if len(value) > 64:
            raise DomainError(
                "INVALID_REGISTRATION_NUMBER", "at most 64 characters", "registrationNumber"
            )
        return value
    if len(value) != 18 or any(ch not in USCC_ALPHABET for ch in value):
        raise DomainError(
            "INVALID_REGISTRATION_NUMBER",
            "a Chinese unified social credit code has 18 characters from GB 32100-2015",
            "registrationNumber",
        )
    expected = uscc_check_character(value[:17])
    if value[17] != expected:
        raise DomainError(
            "INVALID_REGISTRATION_NUMBER",
            f"check character should be {expected!r}, not {value[17]!r}",
            "registrationNumber",
        )
    return value
