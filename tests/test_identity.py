"""Resident ID numbers (GB 11643-1999) and mainland mobile numbers: validation,
masking, encryption at rest and the keyed look-up hash (clients.identity).

hypothesis is not installed in .venv, so the cases are parametrized."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from shegong.clients import identity

# Valid numbers, check digits computed by hand with the GB 11643 weights.
VALID_ID = "440105198001011234"
VALID_ID_X = "11010519491231002X"  # the standard's own example, ending in X


def error_code(call, value) -> str:
    with pytest.raises(ValidationError) as caught:
        call(value)
    return caught.value.code


# --- ID numbers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        ("44010519800101123", "4"),
        ("11010519491231002", "X"),
        ("44010519450315202", "0"),
        ("44010519500720301", "4"),
        ("44010419520808404", "3"),
    ],
)
def test_check_char_follows_gb11643(first17, check):
    assert identity.id_check_char(first17) == check


@pytest.mark.parametrize(
    "number", [VALID_ID, VALID_ID_X, "440105194503152020", "440104195208084043"]
)
def test_valid_id_number_is_accepted(number):
    assert identity.validate_id_number(number) == number


def test_lowercase_x_and_spaces_are_normalised():
    assert identity.validate_id_number(" 110105 19491231 002x ") == VALID_ID_X


@pytest.mark.parametrize(
    "number",
    [
        "440105198001011235",  # last digit off by one
        "440105198001011230",
        "110105194912310021",  # an X number with a digit instead
        "44010519800101123X",  # an X where a digit is due
    ],
)
def test_wrong_check_digit_is_refused(number):
    assert error_code(identity.validate_id_number, number) == "id_check"


def test_wrong_check_digit_message():
    with pytest.raises(ValidationError) as caught:
        identity.validate_id_number("440105198001011235")
    # The message is lazy: it is translated when read.
    with translation.override("en"):
        assert caught.value.messages == [
            "The ID number's check digit is wrong; please check the number."
        ]
    with translation.override("zh-hans"):
        assert caught.value.messages == ["身份证号校验位不正确，请核对。"]


@pytest.mark.parametrize(
    "number",
    [
        "44010519800101123",  # 17 characters
        "4401051980010112345",  # 19 characters
        "440105800101123",  # the old 15-digit format
        "",
    ],
)
def test_wrong_length_is_refused(number):
    assert error_code(identity.validate_id_number, number) == "id_shape"


@pytest.mark.parametrize(
    "number",
    [
        "44010519800101123A",
        "4401A5198001011234",
        "44010519800101l234",
        "040105198001011234",  # region codes never start with 0
    ],
)
def test_letters_or_bad_shape_are_refused(number):
    assert error_code(identity.validate_id_number, number) == "id_shape"


@pytest.mark.parametrize(
    "number",
    [
        "440105199902301233",  # 30 February 1999, with a correct check digit
        "440105189912311233",  # born before 1900
    ],
)
def test_impossible_birth_date_is_refused(number):
    assert identity.id_check_char(number[:17]) == number[17]
    assert error_code(identity.validate_id_number, number) == "id_birth"


def test_future_birth_date_is_refused():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    first17 = f"440105{tomorrow:%Y%m%d}123"
    number = first17 + identity.id_check_char(first17)
    assert error_code(identity.validate_id_number, number) == "id_birth"


def test_birth_date_today_is_accepted():
    today = timezone.localdate()
    first17 = f"440105{today:%Y%m%d}123"
    number = first17 + identity.id_check_char(first17)
    assert identity.validate_id_number(number) == number


def test_birth_date_is_read_from_the_number():
    assert identity.id_birth_date(VALID_ID) == datetime.date(1980, 1, 1)
    assert identity.id_birth_date("440105199902301233") is None


# --- Mobile numbers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13800138000", "13800138000"),
        ("14712345678", "14712345678"),
        ("15012345678", "15012345678"),
        ("16612345678", "16612345678"),
        ("17712345678", "17712345678"),
        ("18612345678", "18612345678"),
        ("19912345678", "19912345678"),
        ("+8613800138000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
    ],
)
def test_valid_mobile_is_normalised(value, expected):
    assert identity.validate_mobile(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "12345678901",  # 12x is not a mobile prefix
        "11012345678",
        "10012345678",
        "1380013800",  # 10 digits
        "138001380001",  # 12 digits
        "23800138000",
        "020-83001234",  # a landline
        "1380013800a",
        "+85213800138000",
        "",
    ],
)
def test_invalid_mobile_is_refused(value):
    assert error_code(identity.validate_mobile, value) == "mobile"


# --- Masking, encryption, look-up hash ------------------------------------------------


def test_mask_keeps_first_and_last_four():
    assert identity.mask_id_number(VALID_ID) == "4401**********1234"
    assert identity.mask_id_number(VALID_ID_X) == "1101**********002X"


def test_mask_of_nothing_is_empty():
    assert identity.mask_id_number("") == ""


def test_encryption_round_trip():
    assert identity.decrypt(identity.encrypt(VALID_ID)) == VALID_ID
    assert identity.decrypt(identity.encrypt(VALID_ID_X)) == VALID_ID_X


def test_encrypted_value_does_not_contain_the_number():
    token = identity.encrypt(VALID_ID)
    assert VALID_ID not in token
    assert "19800101" not in token


def test_encryption_is_randomised():
    assert identity.encrypt(VALID_ID) != identity.encrypt(VALID_ID)


def test_empty_values_stay_empty():
    assert identity.encrypt("") == ""
    assert identity.decrypt("") == ""
    assert identity.lookup_hash("") == ""


def test_decrypting_a_foreign_token_is_an_error():
    with pytest.raises(ValueError):
        identity.decrypt("gAAAAABnot-a-real-token")


def test_lookup_hash_is_stable():
    assert identity.lookup_hash(VALID_ID) == identity.lookup_hash(VALID_ID)


def test_lookup_hash_differs_for_different_numbers():
    assert identity.lookup_hash(VALID_ID) != identity.lookup_hash(VALID_ID_X)
    assert identity.lookup_hash(VALID_ID) != identity.lookup_hash("440105194503152020")


def test_lookup_hash_is_a_hex_digest_without_the_number():
    digest = identity.lookup_hash(VALID_ID)
    assert len(digest) == 64
    assert set(digest) <= set("0123456789abcdef")
    assert VALID_ID not in digest


def test_lookup_hash_is_keyed(settings):
    before = identity.lookup_hash(VALID_ID)
    settings.FIELD_ENCRYPTION_KEY = "another-key"
    assert identity.lookup_hash(VALID_ID) != before
