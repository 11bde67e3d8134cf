"""The scope of case content: the one rule for every part of a case file."""

from __future__ import annotations

from shegong.clients.models import STATION_STAFF, STATION_STAFF_ONLY
from shegong.core.scope import Scope


def content_scope(path: str, **options) -> Scope:
    """Case content: only the case's assigned workers and the station director.

    Not even a superuser reads it through the application (docs/domain.md: officials
    see counts, not stories)."""
    return Scope(
        station=f"{path}__station",
        assigned=f"{path}__workers",
        change_roles=STATION_STAFF,
        create_roles=STATION_STAFF,
        hidden_from=STATION_STAFF_ONLY,
        superuser_sees=False,
        distinct=True,
        **options,
    )
