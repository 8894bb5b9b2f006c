"""Ticket numbers: shape, check digits, parsing, allocation."""

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from careerbreak.interruptions.tickets import check_digits, format_ticket, next_ticket, parse_ticket


def test_a_ticket_has_the_year_an_eight_digit_sequence_and_two_check_digits() -> None:
    assert format_ticket(2026, 12345) == "2026/00012345/73"


@given(st.integers(2000, 2100), st.integers(1, 99_999_999))
def test_every_formatted_ticket_parses_back(year: int, sequence: int) -> None:
    assert parse_ticket(format_ticket(year, sequence)) == (year, sequence)


@given(st.integers(2000, 2100), st.integers(1, 99_999_999), st.integers(0, 11), st.integers(1, 9))
def test_a_single_mistyped_digit_is_caught(year: int, sequence: int, position: int, delta: int) -> None:
    digits = list(f"{year:04d}{sequence:08d}")
    digits[position] = str((int(digits[position]) + delta) % 10)
    typo = "".join(digits)
    ticket = f"{typo[:4]}/{typo[4:]}/{check_digits(year, sequence):02d}"
    assert parse_ticket(ticket) is None


def test_two_swapped_neighbouring_digits_are_caught() -> None:
    assert parse_ticket("2026/00012354/73") is None


@pytest.mark.parametrize(
    "typed", ["2026/00012345/73", "2026-00012345-73", " 2026 00012345 73 ", "20260001234573"]
)
def test_a_ticket_is_read_with_any_separators(typed: str) -> None:
    assert parse_ticket(typed) == (2026, 12345)


@pytest.mark.parametrize(
    "typed", ["", "2026/12345/73", "2026/00000000/97", "abcd/00012345/73", "2026/00012345/74"]
)
def test_what_is_not_a_ticket_is_refused(typed: str) -> None:
    assert parse_ticket(typed) is None


@pytest.mark.django_db
def test_tickets_are_allocated_in_sequence_per_year() -> None:
    with transaction.atomic():
        first, second = next_ticket(2026), next_ticket(2026)
        other_year = next_ticket(2027)
    assert parse_ticket(first) == (2026, 1)
    assert parse_ticket(second) == (2026, 2)
    assert parse_ticket(other_year) == (2027, 1)


@pytest.mark.django_db(transaction=True)
def test_a_ticket_is_only_allocated_inside_a_transaction() -> None:
    with pytest.raises(RuntimeError):
        next_ticket(2026)
