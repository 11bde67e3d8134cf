"""The first rows of a list and how many there are, in one query while they fit."""

from __future__ import annotations

from django.db.models import QuerySet


def head(rows: QuerySet, limit: int) -> tuple[list, int]:
    """The first `limit` of `rows` and their total: one query when there are at
    most `limit` (most of a worker's lists), a count besides when there are more."""
    first = list(rows[: limit + 1])
    if len(first) <= limit:
        return first, len(first)
    return first[:limit], rows.count()
