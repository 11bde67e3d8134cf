"""The unit of the organisation tree a user is anchored at (city, district,
street, agency or station), read from the cache (core.cached) instead of joined
to the user on every request (accounts.backends).

Every page shows the user's unit in its header and most views read
`user.station`; the units change a few times a year (a station renamed, opened,
closed), and saving one bumps the group. On PostgreSQL the user joined to its
five possible units cost about 0.5 ms of planning on every request, against a
few hundredths for the user alone (docs/performance.md, "CPU per request")."""

from __future__ import annotations

from typing import Any

from shegong.core.cached import cached

# The organisation tree's group, for the units and for the forms' names
# (org.names): both change a few times a year, and one group means a page asks
# the shared cache for one generation number, not two.
GROUP = "org"


def unit(model: type, pk: int) -> Any:
    """The `model` row `pk` (a fresh copy each call), or None if there is none."""

    def read():
        return model._default_manager.filter(pk=pk).first()

    found = cached(GROUP, f"{model._meta.label_lower}:{pk}", lambda: read() or 0)
    return found or None


def models() -> tuple[type, ...]:
    from shegong.org.models import Agency, City, District, Station, Street

    return (City, District, Street, Agency, Station)
