"""Spam and replay resistance of the public survey forms (no log-in).

- Every render of the form issues a one-time token: a signed (SECRET_KEY) value
  holding the survey, a random nonce, the device id and the time it was issued.
  A submission must bring a valid token for this survey, at least
  `SURVEYS_MIN_FILL_SECONDS` and at most `SURVEYS_TOKEN_MAX_AGE` after it was
  issued. The nonce is stored on the response under a unique constraint, so the
  same form is accepted once: a replay is refused by the database itself, on any
  number of workers.
- A honeypot field, hidden from people, must stay empty.
- Rate limits count successful submissions per survey and hour in the cache:
  per IP address (`SURVEYS_MAX_PER_IP_PER_HOUR`) and per device cookie
  (`SURVEYS_MAX_PER_DEVICE_PER_HOUR`). Over either limit → 429. The count is
  taken before the answers are saved (the increment is the gate, so concurrent
  submissions cannot pass together) and given back when nothing was saved.
- The whole request body is limited (`SURVEYS_MAX_REQUEST_BYTES` → 413) and each
  free-text answer to 1000 characters (→ 400).
"""

from __future__ import annotations

import contextlib
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext as _

SALT = "shegong.surveys.form"
DEVICE_COOKIE = "sg_device"
DEVICE_SALT = "shegong.surveys.device"
HONEYPOT_FIELD = "website"


def setting(name: str) -> int:
    defaults = {
        "SURVEYS_MIN_FILL_SECONDS": 3,
        "SURVEYS_TOKEN_MAX_AGE": 6 * 3600,
        "SURVEYS_MAX_PER_IP_PER_HOUR": 30,
        "SURVEYS_MAX_PER_DEVICE_PER_HOUR": 5,
        "SURVEYS_MAX_REQUEST_BYTES": 32 * 1024,
    }
    return getattr(settings, name, defaults[name])


class Refused(Exception):
    """A submission refused before its answers are looked at."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message, self.status = message, status


@dataclass(frozen=True)
class FormToken:
    nonce: str
    device: str


def new_device_id() -> str:
    return secrets.token_hex(16)


def issue_token(survey_id: int, device: str) -> str:
    payload = {"s": survey_id, "n": secrets.token_hex(16), "d": device, "t": time.time()}
    return signing.dumps(payload, salt=SALT, compress=False)


def check_token(value: str, survey_id: int) -> FormToken:
    try:
        payload = signing.loads(value or "", salt=SALT, max_age=setting("SURVEYS_TOKEN_MAX_AGE"))
    except signing.SignatureExpired:
        raise Refused(
            _("The form was open too long. Please reload the page and answer again."), 400
        ) from None
    except signing.BadSignature:
        raise Refused(
            _("The form is not valid. Please reload the page and try again."), 400
        ) from None
    if payload.get("s") != survey_id:
        raise Refused(_("The form is not valid. Please reload the page and try again."), 400)
    if time.time() - float(payload.get("t", 0)) < setting("SURVEYS_MIN_FILL_SECONDS"):
        raise Refused(_("That was too fast. Please read the questions and submit again."), 400)
    return FormToken(nonce=str(payload["n"]), device=str(payload["d"]))


def _keys(survey_id: int, ip: str | None, device: str) -> list[tuple[str, int]]:
    hour = int(time.time() // 3600)
    keys = [(f"surveys:rate:dev:{survey_id}:{device}:{hour}", "SURVEYS_MAX_PER_DEVICE_PER_HOUR")]
    if ip:
        keys.append((f"surveys:rate:ip:{survey_id}:{ip}:{hour}", "SURVEYS_MAX_PER_IP_PER_HOUR"))
    return [(key, setting(name)) for key, name in keys]


def rate_take(survey_id: int, ip: str | None, device: str) -> list[str]:
    """The gate: count this submission first, then refuse it (429) if the count
    went past the allowance of this device or address this hour.

    The increment is the check (`add` then `incr`, each atomic in Redis and in
    the memory cache), so concurrent submissions on any number of workers get
    distinct counts and exactly the allowance passes; reading the count first
    and adding to it after the save let every racing submission through.
    Returns the counters taken, for `rate_give_back` when nothing was saved."""
    taken: list[str] = []
    for key, limit in _keys(survey_id, ip, device):
        cache.add(key, 0, timeout=3600)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=3600)
            count = 1
        taken.append(key)
        if count > limit:
            rate_give_back(taken)
            raise Refused(
                _(
                    "Too many questionnaires have been submitted from this phone or "
                    "network in the last hour. Please try again later."
                ),
                429,
            )
    return taken


def rate_give_back(keys: list[str]) -> None:
    """Return the counts taken by a submission that saved nothing (refused by the
    limit, an invalid form, a replay, a closed survey, an error): the allowance
    counts saved responses. A submission in flight holds its count, so one that
    is given back may have refused a concurrent one: stricter, never looser."""
    for key in keys:
        with contextlib.suppress(ValueError):  # the hour's counter expired meanwhile
            cache.decr(key)


def read_device(cookie: str | None) -> str | None:
    if not cookie:
        return None
    try:
        return signing.Signer(salt=DEVICE_SALT).unsign(cookie)
    except signing.BadSignature:
        return None


def sign_device(device: str) -> str:
    return signing.Signer(salt=DEVICE_SALT).sign(device)
