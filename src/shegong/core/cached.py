"""Rarely changing data read from the cache instead of the database on the hot
pages: organisation names for the forms' selects (org.names), a station's visit
rules (rosters.rules).

Each group of lists lives in the Django cache (Redis in production, shared by the
gunicorn workers; per process in development and tests) under a generation
number. Saving or deleting a row of the group's models bumps the generation, at
once (for the rest of the writing transaction) and again when it commits (a
reader in another process between the two read the rows as they were), so every
process reads fresh data on its next page; the old entries expire unread. A bulk
write that sends no signals, and `restore`, call `changed` or clear the cache."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

TIMEOUT = 24 * 3600


def _generation_key(group: str) -> str:
    return f"{group}:generation"


def generation(group: str) -> int:
    """The number of `group`'s current state: it changes whenever the group does."""
    key = _generation_key(group)
    generation = cache.get(key)
    if generation is None:
        cache.add(key, 1, timeout=None)
        generation = cache.get(key, 1)
    return generation


def cached(group: str, name: str, read: Callable[[], Any]) -> Any:
    """`read()`'s value, from the cache while `group` has not changed."""
    key = f"{group}:{generation(group)}:{name}"
    found = cache.get(key)
    if found is None:
        found = read()
        cache.set(key, found, TIMEOUT)
    return found


def _bump(group: str) -> None:
    try:
        cache.incr(_generation_key(group))
    except ValueError:  # not set yet, or evicted: start a generation no one has read
        cache.set(_generation_key(group), 2, timeout=None)


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
