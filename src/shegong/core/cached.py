"""Rarely changing data read from the cache instead of the database on the hot
pages: organisation names for the forms' selects (org.names), a station's visit
rules (rosters.rules).

Each group of lists lives in the Django cache (Redis in production, shared by the
gunicorn workers; per process in development and tests) under a generation
number. Saving or deleting a row of the group's models bumps the generation, at
once (for the rest of the writing transaction) and again when it commits (a
reader in another process between the two read the rows as they were), so every
process reads fresh data on its next page; the old entries expire unread. A bulk
write that sends no signals, and `restore`, call `changed` or clear the cache.
Each process also keeps what it read of a generation (a generation's value never
changes), so a call asks the shared cache for the generation number alone; a
generation that is missing (flushed, evicted, Redis restarted) starts at a number
no process has seen."""

from __future__ import annotations

import pickle
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

TIMEOUT = 24 * 3600


def _generation_key(group: str) -> str:
    return f"{group}:generation"


def _first_generation() -> int:
    """A group's number when the cache holds none (new, evicted, flushed, Redis
    restarted): never one a process may have kept (`_kept`, core.blank_forms)."""
    return time.time_ns()


def generation(group: str) -> int:
    """The number of `group`'s current state: it changes whenever the group does."""
    key = _generation_key(group)
    generation = cache.get(key)
    if generation is None:
        cache.add(key, _first_generation(), timeout=None)
        generation = cache.get(key)
    return generation if generation is not None else _first_generation()


# What this process has read of each generation, pickled: a generation's value never
# changes (a change makes a new generation), so only the generation number is asked
# of the shared cache on each call. Each call still gets its own copy.
_kept: dict[str, bytes] = {}
KEPT_LIMIT = 4096


def cached(group: str, name: str, read: Callable[[], Any]) -> Any:
    """`read()`'s value (a fresh copy each call), from the cache while `group` has
    not changed."""
    key = f"{group}:{generation(group)}:{name}"
    kept = _kept.get(key)
    if kept is not None:
        return pickle.loads(kept)  # noqa: S301 - written by this process below
    found = cache.get(key)
    if found is None:
        found = read()
        cache.set(key, found, TIMEOUT)
    if len(_kept) >= KEPT_LIMIT:
        _kept.clear()
    _kept[key] = pickle.dumps(found, pickle.HIGHEST_PROTOCOL)
    return found


def _bump(group: str) -> None:
    try:
        cache.incr(_generation_key(group))
    except ValueError:  # not set yet, or evicted: start a generation no one has read
        cache.set(_generation_key(group), _first_generation(), timeout=None)


def changed(group: str) -> None:
    """Every cached list of `group` is stale."""
    _bump(group)
    transaction.on_commit(lambda: _bump(group))


def follow(group: str, *senders: type[models.Model]) -> None:
    """Mark `group` changed whenever a row of `senders` is saved or deleted."""

    def receiver(sender=None, **kwargs) -> None:
        changed(group)

    for model in senders:
        uid = f"cached-{group}-{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-deleted", weak=False)
