"""Resident identity numbers (身份证号) and mainland mobile numbers: validation,
encryption at rest, keyed look-up hashes and masking.

The ID number is stored only encrypted (Fernet: AES-128-CBC + HMAC-SHA256) and as a
keyed HMAC-SHA256 digest for exact look-up, so a copy of the database alone reveals
no ID numbers. The key comes from SHEGONG_FIELD_KEY.

Key rotation (docs/privacy.md, "Key rotation"): with the old key in
SHEGONG_FIELD_KEY_PREVIOUS, values encrypted under either key decrypt, new values are
encrypted and hashed under the new key only, and look-ups match either key's digest
(`lookup_hashes`) until `shegong rotate_field_key` has re-encrypted every row.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_ID_SHAPE = re.compile(r"^[1-9]\d{16}[\dX]$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalise_id_number(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def id_check_char(first17: str) -> str:
    """The GB 11643-1999 check character (ISO 7064 MOD 11-2) of 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def id_birth_date(number: str) -> datetime.date | None:
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str) -> str:
    """Return the normalised 18-character ID number, or raise ValidationError."""
    number = normalise_id_number(value)
    if not _ID_SHAPE.match(number):
        raise ValidationError(
            _("An ID number has 18 characters: 17 digits and a digit or X."), code="id_shape"
        )
    if id_check_char(number[:17]) != number[17]:
        raise ValidationError(
            _("The ID number's check digit is wrong; please check the number."),
            code="id_check",
        )
    born = id_birth_date(number)
    if born is None or born.year < 1900 or born > timezone.localdate():
        raise ValidationError(
            _("The ID number does not contain a plausible birth date."), code="id_birth"
        )
    return number


def validate_mobile(value: str) -> str:
    number = (value or "").strip().replace(" ", "").replace("-", "")
    if number.startswith("+86"):
        number = number[3:]
    if not _MOBILE.match(number):
        raise ValidationError(
            _("A mainland mobile number has 11 digits and starts with 13–19."), code="mobile"
        )
    return number


def mask_id_number(number: str) -> str:
    """4401**********1234: the region's first four and the last four characters."""
    if not number:
        return ""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


@lru_cache(maxsize=4)
def _keys(field_key: str) -> tuple[Fernet, bytes]:
    master = hashlib.sha256(("shegong-field-key:" + field_key).encode()).digest()
    encryption = base64.urlsafe_b64encode(hmac.new(master, b"encrypt", hashlib.sha256).digest())
    lookup = hmac.new(master, b"lookup", hashlib.sha256).digest()
    return Fernet(encryption), lookup


def _current_keys() -> tuple[Fernet, bytes]:
    return _keys(settings.FIELD_ENCRYPTION_KEY)


def _previous_keys() -> tuple[Fernet, bytes] | None:
    previous = getattr(settings, "FIELD_ENCRYPTION_KEY_PREVIOUS", "")
    if not previous or previous == settings.FIELD_ENCRYPTION_KEY:
        return None
    return _keys(previous)


def rotation_pending() -> bool:
    """True while a previous key is configured: rows may still be under it."""
    return _previous_keys() is not None


def encrypt(plain: str) -> str:
    if not plain:
        return ""
    return _current_keys()[0].encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _current_keys()[0].decrypt(token.encode()).decode()
    except InvalidToken as error:
        previous = _previous_keys()
        if previous is not None:
            try:
                return previous[0].decrypt(token.encode()).decode()
            except InvalidToken:
                pass
        raise ValueError(
            "field cannot be decrypted with the configured SHEGONG_FIELD_KEY"
        ) from error


def under_current_key(token: str) -> bool:
    """Whether a stored token decrypts with the current key alone (rotated)."""
    if not token:
        return True
    try:
        _current_keys()[0].decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def lookup_hash(plain: str) -> str:
    """A keyed digest for exact-match look-up; not reversible without the key."""
    if not plain:
        return ""
    return hmac.new(_current_keys()[1], plain.encode(), hashlib.sha256).hexdigest()


def lookup_hashes(plain: str) -> list[str]:
    """Every digest a stored value of `plain` may carry: the current key's, and the
    previous key's while a rotation is under way. Look-ups filter with `__in`."""
    if not plain:
        return []
    digests = [lookup_hash(plain)]
    previous = _previous_keys()
    if previous is not None:
        digests.append(hmac.new(previous[1], plain.encode(), hashlib.sha256).hexdigest())
    return digests
