"""Property tests for the identifier checks: the NHS number's modulus 11 check digit
(NHS Data Dictionary, "NHS Number"), worked out here independently of the package the
code uses, and the UK postcode format."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from caremap.people.identifiers import (
    format_nhs_number,
    is_valid_nhs_number,
    is_valid_postcode,
    normalise_postcode,
)

# Numbers issued in England, Wales and the Isle of Man (400-499, 600-799 million) and the
# 999 range never issued; Scotland's CHI numbers (from 010 101 0000) begin with a date of
# birth and are checked for it as well, so they are left out of the arithmetic here.
nine_digits = st.tuples(
    st.sampled_from("4679"), st.text(alphabet=string.digits, min_size=8, max_size=8)
).map("".join)


def check_digit(nine: str) -> int | None:
    """Weights 10 down to 2; 11 minus the remainder mod 11; 11 means 0; 10 means the nine
    digits can never start a valid number."""
    total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))
    digit = 11 - total % 11
    return {11: 0, 10: None}.get(digit, digit)


@given(nine_digits)
def test_a_number_is_valid_exactly_when_its_check_digit_is_right(nine):
    right = check_digit(nine)
    for last in range(10):
        assert is_valid_nhs_number(f"{nine}{last}") == (right == last)


@given(nine_digits, st.integers(min_value=0, max_value=9), st.integers(min_value=1, max_value=9))
def test_any_single_digit_mistyped_is_caught(nine, position, shift):
    right = check_digit(nine)
    if right is None:
        return
    number = f"{nine}{right}"
    wrong = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1 :]
    assert not is_valid_nhs_number(wrong)


@given(nine_digits)
def test_the_display_format_reads_back(nine):
    right = check_digit(nine)
    if right is None:
        return
    number = f"{nine}{right}"
    assert is_valid_nhs_number(format_nhs_number(number))
    assert is_valid_nhs_number(format_nhs_number(number).replace(" ", "-"))


@given(st.text(max_size=12))
def test_anything_typed_is_answered_never_raised(text):
    assert is_valid_nhs_number(text) in (True, False)
    assert is_valid_postcode(text) in (True, False)


outward = st.sampled_from(["PL4", "PL1", "TQ9", "EX20", "M1", "W1A", "EC1A", "SW1A", "B33"])
inward = st.tuples(
    st.sampled_from(string.digits),
    st.sampled_from("ABDEFGHJLNPQRSTUWXYZ"),
    st.sampled_from("ABDEFGHJLNPQRSTUWXYZ"),
).map("".join)


@given(outward, inward, st.sampled_from(["", " ", "  "]), st.booleans())
def test_a_postcode_is_valid_however_it_is_spaced_or_cased(out, inn, gap, lower):
    typed = f"{out}{gap}{inn}"
    typed = typed.lower() if lower else typed
    assert is_valid_postcode(typed)
    assert normalise_postcode(typed) == f"{out} {inn}"
    assert normalise_postcode(normalise_postcode(typed)) == normalise_postcode(typed)


@given(outward, st.sampled_from(string.digits), st.sampled_from("CIKMOV"), st.sampled_from("AB"))
def test_the_inward_code_never_uses_the_letters_the_format_leaves_out(out, digit, bad, good):
    assert not is_valid_postcode(f"{out} {digit}{bad}{good}")
    assert not is_valid_postcode(f"{out} {digit}{good}{bad}")
