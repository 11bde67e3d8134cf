"""The shared cache: Redis in production (`REDIS_URL`), so that the public
survey's rate limits and cached fragments hold across gunicorn workers and
hosts; per-process memory otherwise (development, tests, one process).

`ResilientRedisCache` is Django's Redis backend that degrades instead of failing:
when Redis is down or unreachable, every operation falls back to a per-process
memory cache, with one logged warning per outage (not one per request), and
goes back to Redis by itself once it answers again. Limits then hold per
process only — looser, never a 500. `SessionCache`, the sessions' cache, degrades
to the database instead (below)."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("shegong.cache")

# After a failure, Redis is tried again at most this often (seconds): a dead
# server must not add a connection timeout to every request.
RETRY_AFTER = 10.0

_OPERATIONS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)


def _connection_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = params.setdefault("OPTIONS", {})
        # Fail fast: a request waits at most this long for a dead Redis.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        self._fallback = LocMemCache("shegong-cache-fallback", {"TIMEOUT": params.get("TIMEOUT")})
        self._down_since: float | None = None
        self._next_try = 0.0

    @property
    def degraded(self) -> bool:
        """Whether the last attempt found Redis unreachable."""
        return self._down_since is not None

    # What the warning says a degraded process does.
    degraded_sentence = "this process counts limits in its own memory until it answers again"

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if self._down_since is not None and time.monotonic() < self._next_try:
            return self._degraded(name, *args, **kwargs)
        try:
            if self._down_since is not None:
                self._before_recovery()
            result = getattr(super(), name)(*args, **kwargs)
        except _connection_errors() as error:
            if self._down_since is None:
                self._down_since = time.monotonic()
                logger.warning("Redis unreachable (%s); %s", error, self.degraded_sentence)
            self._next_try = time.monotonic() + RETRY_AFTER
            return self._degraded(name, *args, **kwargs)
        if self._down_since is not None:
            logger.warning("Redis answers again after %.0f s", time.monotonic() - self._down_since)
            self._down_since = None
        return result

    def _degraded(self, name: str, *args: Any, **kwargs: Any) -> Any:
        return getattr(self._fallback, name)(*args, **kwargs)

    def _before_recovery(self) -> None:
        """Runs against Redis before the first operation once it answers again."""


# The operations that change what a key holds.
_WRITES = {"add", "set", "touch", "delete", "incr"}
_MANY_WRITES = {"set_many", "delete_many"}


class SessionCache(ResilientRedisCache):
    """The sessions' cache in front of the database (Django's cached_db sessions):
    a page reads its session from Redis instead of the database.

    It never falls back to memory: while Redis is down every session is read from
    and written to the database alone (a session ended in one process must not
    live on in another's memory). The keys this process wrote or deleted during
    the outage are deleted from Redis before its first use once it answers again,
    so a session logged out meanwhile does not come back from Redis's older copy;
    another process reads that copy until then, at most RETRY_AFTER seconds."""

    degraded_sentence = "sessions are read from the database until it answers again"

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._fallback = DummyCache("shegong-sessions-fallback", {})
        self._stale: set[str] = set()

    def _degraded(self, name: str, *args: Any, **kwargs: Any) -> Any:
        key = args[0] if args else kwargs.get("key", kwargs.get("data", kwargs.get("keys")))
        if name in _WRITES:
            self._stale.add(key)
        elif name in _MANY_WRITES:
            self._stale.update(key)
        return super()._degraded(name, *args, **kwargs)

    def _before_recovery(self) -> None:
        if self._stale:
            RedisCache.delete_many(self, list(self._stale))
            self._stale.clear()


def _delegate(name: str):
    def method(self, *args: Any, **kwargs: Any) -> Any:
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    return method


for _name in _OPERATIONS:
    setattr(ResilientRedisCache, _name, _delegate(_name))
