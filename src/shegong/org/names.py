"""Organisation names for the forms' selects — a street's communities, a station's
active service points — read from the cache, not the database, on every form page.

They change a few times a year (an officer renames a community, a station opens a
service point) and are read on every registration, group and activity form. The
lists live in the Django cache (Redis in production, shared by the gunicorn
workers; per process in development and tests) under a generation number; saving
or deleting a community or a service point bumps the generation, so every process
reads the new names on its next form. The form fields keep their querysets:
a posted value is still checked against the database (scope, active points)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

GENERATION = "org-names:generation"
TIMEOUT = 24 * 3600


def _generation() -> int:
    generation = cache.get(GENERATION)
    if generation is None:
        cache.add(GENERATION, 1, timeout=None)
        generation = cache.get(GENERATION, 1)
    return generation


def _cached(name: str, read: Callable[[], list[tuple[int, str]]]) -> list[tuple[int, str]]:
    key = f"org-names:{_generation()}:{name}"
    found = cache.get(key)
    if found is None:
        found = read()
        cache.set(key, found, TIMEOUT)
    return found


def community_choices(street_id: int) -> list[tuple[int, str]]:
    from shegong.org.models import Community

    return _cached(
        f"communities:{street_id}",
        lambda: list(
            Community.objects.filter(street_id=street_id).order_by("name").values_list("pk", "name")
        ),
    )


def point_choices(station_id: int) -> list[tuple[int, str]]:
    from shegong.org.models import ServicePoint

    return _cached(
        f"points:{station_id}",
        lambda: list(
            ServicePoint.objects.filter(station_id=station_id, is_active=True)
            .order_by("code")
            .values_list("pk", "name")
        ),
    )


def _bump() -> None:
    try:
        cache.incr(GENERATION)
    except ValueError:  # not set yet, or evicted: start a generation no one has read
        cache.set(GENERATION, 2, timeout=None)


def names_changed(sender=None, **kwargs) -> None:
    """post_save / post_delete of a community or a service point: every cached list
    is stale (a new generation; the old entries expire unread). Bumped at once, for
    the rest of the writing transaction, and again when it commits: a form read in
    another process between the two read the rows as they were before the commit."""
    _bump()
    transaction.on_commit(_bump)
