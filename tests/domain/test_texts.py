"""Text limits: one per kind of text; a text at its limit passes, one character more does not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import texts
from domain.errors import DomainError


@pytest.mark.parametrize("limit", texts.LIMITS, ids=[limit.kind for limit in texts.LIMITS])
def test_a_text_at_its_limit_passes_and_one_more_character_is_too_long(
    limit: texts.TextLimit,
) -> None:
    assert texts.check_text("字" * limit.max_chars, limit, "f") == "字" * limit.max_chars
    with pytest.raises(DomainError) as refused:
        texts.check_text("字" * (limit.max_chars + 1), limit, "f")
    assert (refused.value.code, refused.value.field) == ("TOO_LONG", "f")
    assert f"{limit.max_chars:,}" in texts.description(limit)


def test_limits_are_named_once() -> None:
    assert len({limit.kind for limit in texts.LIMITS}) == len(texts.LIMITS)


@given(st.text(max_size=300))
def test_collect_trims_and_reports_with_the_others(value: str) -> None:
    errors: list[DomainError] = []
    kept = texts.collect_text(value, texts.NAME, "name", errors)
    assert kept == (value.strip() or None)
    assert bool(errors) == (len(value) > texts.NAME.max_chars)
