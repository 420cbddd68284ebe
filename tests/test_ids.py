"""Provisional identifiers: check digit and allocation from disjoint workstation blocks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from continuity.errors import InvalidInput
from continuity.ids import MAX_NUMBER, format_id, parse_id

numbers = st.integers(min_value=1, max_value=MAX_NUMBER)


@given(numbers)
def test_round_trip(n: int) -> None:
    text = format_id(n)
    assert len(text) == 10
    assert parse_id(text) == n
    assert parse_id(f"{text[:3]} {text[3:6]}-{text[6:]}") == n


@given(numbers, st.integers(min_value=0, max_value=9), st.integers(min_value=1, max_value=9))
def test_any_single_digit_error_is_rejected(n: int, pos: int, delta: int) -> None:
    text = format_id(n)
    wrong = text[:pos] + str((int(text[pos]) + delta) % 10) + text[pos + 1 :]
    with pytest.raises(InvalidInput, match="chiffre de contrôle"):
        parse_id(wrong)


@given(numbers, st.integers(min_value=0, max_value=8))
def test_any_adjacent_swap_is_rejected(n: int, pos: int) -> None:
    text = format_id(n)
    if text[pos] == text[pos + 1]:
        return
    swapped = text[:pos] + text[pos + 1] + text[pos] + text[pos + 2 :]
    with pytest.raises(InvalidInput):
        parse_id(swapped)


@pytest.mark.parametrize("text", ["", "12345", "12345678901", "ABCDEFGHIJ"])
def test_malformed(text: str) -> None:
    with pytest.raises(InvalidInput, match="10 chiffres"):
        parse_id(text)
