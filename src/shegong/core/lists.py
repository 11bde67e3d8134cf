"""The first rows of a list and how many there are, in one query while they fit."""

from __future__ import annotations

from django.core import paginator
from django.db.models import QuerySet


def head(rows: QuerySet, limit: int) -> tuple[list, int]:
    """The first `limit` of `rows` and their total: one query when there are at
    most `limit` (most of a worker's lists), a count besides when there are more."""
    first = list(rows[: limit + 1])
    if len(first) <= limit:
        return first, len(first)
    return first[:limit], rows.count()


class Paginator(paginator.Paginator):
    """Django's paginator, without its COUNT query when the first page is asked
    for and holds every row (a worker's caseload, a station's short lists): the
    first page's rows are read first, and counted only when there are more."""

    def get_page(self, number) -> paginator.Page:
        if "count" not in self.__dict__ and _first(number):
            fits = self.per_page + self.orphans
            rows = list(self.object_list[: fits + 1])
            if len(rows) <= fits:
                self.__dict__["count"] = len(rows)  # Django's cached_property
                return self._get_page(rows, 1, self)
            return self._get_page(rows[: self.per_page], 1, self)
        return super().get_page(number)


def _first(number) -> bool:
    """Whether Django's `get_page(number)` shows the first page: page 1, or a
    number that is not a whole one (None, "", "abc", 1.5)."""
    if isinstance(number, float) and not number.is_integer():
        return True
    try:
        return int(number) == 1
    except (TypeError, ValueError):
        return True
