"""Organisation names for the forms' selects — a street's communities, a station's
active service points — read from the cache (core.cached), not the database, on
every form page. They change a few times a year (an officer renames a community,
a station opens a service point) and are read on every registration form. The
form fields keep their querysets: a posted value is still checked against the
database (scope, active points)."""

from __future__ import annotations

from shegong.core.cached import cached
from shegong.org.units import GROUP  # one group: a page asks for one generation


def community_choices(street_id: int) -> list[tuple[int, str]]:
    from shegong.org.models import Community

    return cached(
        GROUP,
        f"communities:{street_id}",
        lambda: list(
            Community.objects.filter(street_id=street_id).order_by("name").values_list("pk", "name")
        ),
    )


def point_choices(station_id: int) -> list[tuple[int, str]]:
    from shegong.org.models import ServicePoint

    return cached(
        GROUP,
        f"points:{station_id}",
        lambda: list(
            ServicePoint.objects.filter(station_id=station_id, is_active=True)
            .order_by("code")
            .values_list("pk", "name")
        ),
    )
