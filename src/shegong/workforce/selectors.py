"""Reads of the workforce records, always through the user's scope.

`staffing_summary` is the one source of a station's staffing figures 人员配置:
the staffing page, the API, the export (and the evaluation app) all read it, so
the same numbers come out everywhere."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from shegong.accounts.models import User
from shegong.core.scope import CHANGE, can_at, may, restrict, roles_for
from shegong.org.models import READ_STAFFING, Station
from shegong.workforce.models import (
    HOLD,
    QUALIFIED,
    Post,
    Qualification,
    StaffProfile,
    SupervisionRecord,
    TrainingRecord,
)

ZERO = Decimal("0.0")
_ONE_PLACE = Decimal("0.1")


def _one_place(value: Decimal) -> Decimal:
    return Decimal(value).quantize(_ONE_PLACE, rounding=ROUND_HALF_UP)


def _ratio(part: Decimal | int, whole: int, scale: int = 1) -> Decimal:
    if not whole:
        return ZERO
    return _one_place(Decimal(part) * scale / Decimal(whole))


@dataclass
class StaffingRow:
    """人员配置 of one station (or the total of several) in one year."""

    station_id: int | None
    station_code: str
    station_name: str
    district_name: str
    agency_name: str
    headcount: int = 0
    by_post: dict[str, int] = field(default_factory=dict)
    by_qualification: dict[str, int] = field(default_factory=dict)
    training_hours: Decimal = ZERO
    supervision_hours: Decimal = ZERO

    @property
    def qualified(self) -> int:
        """Holders of a social-work qualification (助理社会工作师 or above)."""
        return sum(self.by_qualification.get(q, 0) for q in QUALIFIED)

    @property
    def qualified_share(self) -> Decimal:
        """Qualified staff as a percentage of the headcount, one decimal place."""
        return _ratio(self.qualified, self.headcount, 100)

    @property
    def training_per_staff(self) -> Decimal:
        return _ratio(self.training_hours, self.headcount)

    @property
    def supervision_per_staff(self) -> Decimal:
        return _ratio(self.supervision_hours, self.headcount)

    def posts(self) -> list[tuple[str, str, int]]:
        return [(p.value, p.label, self.by_post.get(p.value, 0)) for p in Post]

    def qualifications(self) -> list[tuple[str, str, int]]:
        return [(q.value, q.label, self.by_qualification.get(q.value, 0)) for q in Qualification]


def may_read_summary(user: Any) -> bool:
    """Whether `user`'s role reads staffing figures at all (the station scope's
    READ_STAFFING)."""
    return may(user, READ_STAFFING, Station)


def summary_stations(user: Any) -> QuerySet[Station]:
    """The stations whose staffing figures `user` may read."""
    return restrict(Station.objects.all(), user, READ_STAFFING).select_related(
        "street__district", "agency"
    )


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def employed_in(year: int) -> Q:
    """Profiles of staff employed at some time in `year`."""
    first, last = _year_bounds(year)
    return Q(employed_since__lte=last) & (Q(left_on__isnull=True) | Q(left_on__gte=first))


def staffing_summary(
    user: Any, *, year: int, stations: QuerySet[Station] | None = None
) -> list[StaffingRow]:
    """One row per station `user` may read (narrowed to `stations` if given), in
    code order: headcount of staff employed in `year` by post and by
    qualification, the qualified share, and the training and supervision hours
    of records dated in `year` (total and per staff member).

    Four queries whatever the number of stations: the stations, one grouped
    count of profiles, one grouped sum per kind of record."""
    allowed = summary_stations(user)
    if stations is not None:
        allowed = allowed.filter(pk__in=stations.values("pk"))
    rows = {
        s.pk: StaffingRow(
            station_id=s.pk,
            station_code=s.code,
            station_name=s.name,
            district_name=s.street.district.name,
            agency_name=s.agency.name if s.agency_id else "",
        )
        for s in allowed.order_by("code")
    }
    if not rows:
        return []
    ids = list(rows)
    profiles = StaffProfile.objects.filter(employed_in(year), station_id__in=ids)
    by_post: dict[int, dict[str, int]] = defaultdict(dict)
    by_qualification: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    counts = profiles.values("station_id", "post", "qualification").annotate(n=Count("pk"))
    for line in counts.order_by():
        row = rows[line["station_id"]]
        row.headcount += line["n"]
        posts = by_post[line["station_id"]]
        posts[line["post"]] = posts.get(line["post"], 0) + line["n"]
        by_qualification[line["station_id"]][line["qualification"]] += line["n"]
    first, last = _year_bounds(year)
    for model, attribute in (
        (TrainingRecord, "training_hours"),
        (SupervisionRecord, "supervision_hours"),
    ):
        sums = (
            model.objects.filter(profile__in=profiles, held_on__gte=first, held_on__lte=last)
            .values("profile__station_id")
            .annotate(total=Sum("hours"))
            .order_by()
        )
        for line in sums:
            setattr(rows[line["profile__station_id"]], attribute, _one_place(line["total"]))
    for station_id, row in rows.items():
        row.by_post = dict(by_post.get(station_id, {}))
        row.by_qualification = dict(by_qualification.get(station_id, {}))
    return list(rows.values())


def staffing_total(rows: list[StaffingRow]) -> StaffingRow:
    """The sum of several stations' rows (a district's or the city's figure)."""
    total = StaffingRow(
        station_id=None, station_code="", station_name="", district_name="", agency_name=""
    )
    for row in rows:
        total.headcount += row.headcount
        total.training_hours += row.training_hours
        total.supervision_hours += row.supervision_hours
        for key, n in row.by_post.items():
            total.by_post[key] = total.by_post.get(key, 0) + n
        for key, n in row.by_qualification.items():
            total.by_qualification[key] = total.by_qualification.get(key, 0) + n
    return total


def profiles_visible_to(user: Any) -> QuerySet[StaffProfile]:
    return StaffProfile.objects.visible_to(user).select_related("user", "station")


def _hours_in(model, year: int):
    first, last = _year_bounds(year)
    summed = (
        model.objects.filter(profile=OuterRef("pk"), held_on__gte=first, held_on__lte=last)
        .order_by()
        .values("profile")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return Coalesce(
        Subquery(summed, output_field=DecimalField(max_digits=9, decimal_places=1)),
        Value(ZERO),
        output_field=DecimalField(max_digits=9, decimal_places=1),
    )


def staff_with_hours(user: Any, *, year: int, station: Station | None = None):
    """The profiles `user` may read, each with `training_hours` and
    `supervision_hours` of records dated in `year`."""
    profiles = profiles_visible_to(user)
    if station is not None:
        profiles = profiles.filter(station=station)
    return profiles.annotate(
        training_hours=_hours_in(TrainingRecord, year),
        supervision_hours=_hours_in(SupervisionRecord, year),
    )


def may_edit_station(user: Any, station: Station) -> bool:
    """Whether `user` edits the profiles of `station`: its director, the manager
    of its agency (and superusers)."""
    return can_at(user, CHANGE, StaffProfile, station)


def staff_without_profile(station: Station) -> QuerySet[User]:
    """The station's active staff accounts that have no profile yet."""
    return User.objects.filter(
        station=station,
        role__in=roles_for(StaffProfile.scope, HOLD),
        is_active=True,
        staff_profile__isnull=True,
    ).order_by("username")
