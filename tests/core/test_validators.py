"""Identifier checks: 统一社会信用代码 (GB 32100-2015) and 公民身份号码 (GB 11643-1999)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from zhifa.core.validators import (
    ID_NUMBER_WEIGHTS,
    USCC_CATEGORIES,
    USCC_CHARSET,
    USCC_WEIGHTS,
    IdentifierError,
    id_number_check_char,
    make_id_number,
    make_uscc,
    mask_id_number,
    mask_name,
    uscc_check_char,
    validate_id_number,
    validate_uscc,
)

TODAY = dt.date(2026, 3, 1)

# --- strategies ---------------------------------------------------------------------------

authority_and_category = st.sampled_from(sorted(a + c for a, cats in USCC_CATEGORIES.items() for c in cats))
digits = st.text(alphabet="0123456789", min_size=6, max_size=6)
subject_ids = st.text(alphabet=USCC_CHARSET, min_size=9, max_size=9)
uscc_bodies = st.builds(
    lambda ac, region, subject: ac + region + subject, authority_and_category, digits, subject_ids
)

births = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
regions = st.text(alphabet="0123456789", min_size=6, max_size=6)
seqs = st.text(alphabet="0123456789", min_size=3, max_size=3)
id_numbers = st.builds(make_id_number, regions, births, seqs)


def _code(fn, value, **kw) -> str:
    with pytest.raises(IdentifierError) as info:
        fn(value, **kw)
    assert isinstance(info.value, ValueError)
    assert info.value.message and str(info.value) == info.value.message
    return info.value.code


# --- USCC -----------------------------------------------------------------------------------


def test_uscc_weights_are_powers_of_three_mod_31():
    assert USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(USCC_CHARSET) == 31 and not set("IOSVZ") & set(USCC_CHARSET)


def test_known_uscc_is_valid():
    assert validate_uscc("91350100M000100Y43") == "91350100M000100Y43"
    assert uscc_check_char("91350100M000100Y4") == "3"


def test_uscc_is_normalised():
    assert validate_uscc("  91350100m000100y43\n") == "91350100M000100Y43"
    # full-width characters pasted from documents
    assert validate_uscc("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"


@given(uscc_bodies)
def test_generated_uscc_validates(body):
    code = make_uscc(body)
    assert len(code) == 18
    assert validate_uscc(code) == code


@given(uscc_bodies, st.integers(0, 17), st.sampled_from(USCC_CHARSET))
def test_uscc_single_substitution_is_detected(body, position, replacement):
    # 31 is prime and every weight is non-zero mod 31, so a substitution in the first 17
    # positions always changes the weighted sum mod 31; the check position trivially differs.
    code = make_uscc(body)
    assume(code[position] != replacement)
    changed = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(IdentifierError):
        validate_uscc(changed)
    # Where the structural checks still pass, it is the checksum that catches it.
    if position >= 8:
        assert _code(validate_uscc, changed) == "uscc_checksum"


@pytest.mark.parametrize("value", ["", "91350100M000100Y4", "91350100M000100Y433", "9135"])
def test_uscc_wrong_length(value):
    assert _code(validate_uscc, value) == "uscc_length"


@pytest.mark.parametrize("bad", list("IOZSV") + ["-", "中"])
def test_uscc_letters_not_in_charset(bad):
    value = "91350100M000100" + bad + "43"
    assert _code(validate_uscc, value) == "uscc_charset"


def test_uscc_structure():
    assert _code(validate_uscc, make_uscc("B1350100M000100Y4")) == "uscc_authority"
    assert _code(validate_uscc, make_uscc("94350100M000100Y4")) == "uscc_category"  # 工商 has 1–3
    assert _code(validate_uscc, make_uscc("Y2350100M000100Y4")) == "uscc_category"  # 其他 only 1
    assert _code(validate_uscc, make_uscc("9135A100M000100Y4")) == "uscc_region"
    assert _code(validate_uscc, "91350100M000100Y44") == "uscc_checksum"
    # authorities assigned after GB 32100-2015: 司法行政 (law firm), 农业 (village collective)
    assert validate_uscc(make_uscc("31330000MD0123456"))
    assert validate_uscc(make_uscc("N2330100MF0000001"))


def test_uscc_checksum_message_is_chinese():
    with pytest.raises(IdentifierError) as info:
        validate_uscc("91350100M000100Y44")
    assert info.value.message == "统一社会信用代码校验位错误"


def test_uscc_check_char_input_errors():
    assert _code(uscc_check_char, "1234") == "uscc_length"
    assert _code(uscc_check_char, "91350100M000100YO") == "uscc_charset"


# --- ID numbers -----------------------------------------------------------------------------


def test_id_number_weights():
    assert ID_NUMBER_WEIGHTS == (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def test_known_id_number_is_valid():
    assert validate_id_number("11010519491231002X") == "11010519491231002X"
    assert validate_id_number(" 11010519491231002x ") == "11010519491231002X"
    assert id_number_check_char("11010519491231002") == "X"


@given(regions, births, seqs)
def test_make_id_number_round_trips(region, birth, seq):
    number = make_id_number(region, birth, seq)
    assert number[:6] == region and number[6:14] == birth.strftime("%Y%m%d") and number[14:17] == seq
    assert validate_id_number(number, today=TODAY) == number


@given(id_numbers, st.integers(0, 16), st.sampled_from("0123456789"))
def test_id_number_single_digit_change_is_detected(number, position, digit):
    # 11 is prime and every weight is non-zero mod 11: one changed digit always changes the check.
    assume(number[position] != digit)
    changed = number[:position] + digit + number[position + 1 :]
    with pytest.raises(IdentifierError):
        validate_id_number(changed, today=TODAY)
    if not 6 <= position < 14:  # outside the birth date only the checksum can catch it
        assert _code(validate_id_number, changed, today=TODAY) == "id_number_checksum"


@given(id_numbers, st.sampled_from("0123456789X"))
def test_id_number_wrong_check_char(number, check):
    assume(number[-1] != check)
    assert _code(validate_id_number, number[:-1] + check, today=TODAY) == "id_number_checksum"


@pytest.mark.parametrize("value", ["", "110105491231002", "11010519491231002", "11010519491231002X1"])
def test_id_number_wrong_length(value):
    assert _code(validate_id_number, value) == "id_number_length"


@pytest.mark.parametrize("value", ["1101051949123100AX", "11010519491231002Y", "A10105194912310021"])
def test_id_number_bad_characters(value):
    assert _code(validate_id_number, value) == "id_number_charset"


def test_id_number_birth_date_must_be_real_and_plausible():
    feb30 = "110105" + "20010230" + "001"
    assert _code(validate_id_number, feb30 + id_number_check_char(feb30)) == "id_number_birthdate"
    month13 = "110105" + "20011301" + "001"
    assert _code(validate_id_number, month13 + id_number_check_char(month13)) == "id_number_birthdate"
    future = make_id_number("110105", dt.date(2026, 3, 2), "001")
    assert _code(validate_id_number, future, today=TODAY) == "id_number_birthdate"
    assert validate_id_number(make_id_number("110105", TODAY, "001"), today=TODAY)
    too_old = make_id_number("110105", dt.date(1899, 12, 31), "001")
    assert _code(validate_id_number, too_old, today=TODAY) == "id_number_birthdate"
    leap = make_id_number("110105", dt.date(2000, 2, 29), "001")
    assert validate_id_number(leap, today=TODAY) == leap


def test_id_number_checksum_message():
    with pytest.raises(IdentifierError) as info:
        validate_id_number("110105194912310021")
    assert info.value.code == "id_number_checksum"
    assert info.value.message == "公民身份号码校验位错误"


def test_make_id_number_rejects_bad_parts():
    with pytest.raises(ValueError):
        make_id_number("11010", dt.date(1990, 1, 1), "001")
    with pytest.raises(ValueError):
        make_id_number("110105", dt.date(1990, 1, 1), "01")


# --- masking --------------------------------------------------------------------------------


def test_mask_id_number():
    assert mask_id_number("11010519491231002X") == "1" + "*" * 16 + "X"
    assert mask_id_number("11010519491231002x") == "1" + "*" * 16 + "X"
    assert mask_id_number("") == ""
    assert mask_id_number("1") == "*"


@given(id_numbers)
def test_mask_id_number_hides_birth_date_and_region(number):
    masked = mask_id_number(number)
    assert len(masked) == len(number)
    assert masked[1:-1] == "*" * 16
    assert masked[0] == number[0] and masked[-1] == number[-1]


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("王小明", "王**"),
        ("欧阳娜娜", "欧阳**"),
        ("诸葛亮", "诸葛*"),
        ("欧阳", "欧*"),
        ("李", "*"),
        ("", ""),
        ("  赵四 ", "赵*"),
        ("买买提·艾力", "买*****"),
    ],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked
