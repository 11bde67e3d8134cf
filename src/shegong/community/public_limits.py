"""Rate limits of the volunteers' and residents' public pages (no log-in), like the
surveys' (`surveys.antispam`): every submission from an IP address counts in the
cache for the hour (per activity or volunteer), the increment being the gate
(atomic `add` then `incr`), and over `COMMUNITY_PUBLIC_MAX_PER_IP_PER_HOUR` a
submission is refused with 429.
Refused and invalid submissions count too: they are what a guesser sends."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _


class Limited(Exception):
    def __init__(self) -> None:
        super().__init__("rate limited")
        self.message = _(
            "Too many submissions from this phone or network in the last hour. "
            "Please try again later."
        )


def limit() -> int:
    return int(getattr(settings, "COMMUNITY_PUBLIC_MAX_PER_IP_PER_HOUR", 60))


def take(kind: str, ip: str | None, target: object = "") -> None:
    """Count one submission of `kind` from `ip` to `target` (the activity or the
    volunteer it concerns, like the surveys' per-survey count: one busy activity
    does not lock a shared network out of another); raise `Limited` past the
    allowance."""
    if not ip:
        return
    key = f"community:rate:{kind}:{target}:{ip}:{int(time.time() // 3600)}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=3600)
        count = 1
    if count > limit():
        raise Limited
