"""Roster import 名单导入: a month's civil-affairs lists from CSV or XLSX, by a
district officer (their district's rows) or a city officer (any district of the
city).

One row is one person on one list. Like the service-record import
(delivery.importing) the whole file is read and checked first and loaded all or
nothing, with a row-by-row report (row, column, problem). Persons are matched to
the residents of the station of their community by the keyed ID hash
(clients.identity); the ID number is kept only encrypted. A person not on file
there becomes a resident of that station, not yet contacted.

Loading is the monthly reconciliation: for every list (district × category) in
the file, a person listed again stays (their entry runs on to this month), a
person listed for the first time opens an entry, and an open entry the file no
longer lists is closed, dated the first day of the month. A list already loaded
for the month is refused as a whole, so a re-import loads nothing twice.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.clients import identity, pinyin
from shegong.clients.models import Consent, Gender, LawfulBasis, Resident
from shegong.core import audit
from shegong.core.access import ensure_visible, require_at
from shegong.core.exports import tabular_response
from shegong.core.scope import CREATE
from shegong.delivery.importing.reading import ImportFileError, batches, read_rows
from shegong.delivery.importing.report import RowError
from shegong.org.models import City, Community, District, ServicePoint, Station
from shegong.rosters import coverage
from shegong.rosters.models import RosterCategory, RosterEntry, RosterImport, RosterList

MAX_FILE_SIZE = 20 * 1024 * 1024
SUFFIXES = (".csv", ".xlsx")
MAX_ERRORS = 10_000
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    aliases: tuple[str, ...]
    required: bool


COLUMNS = (
    Column("id_number", "身份证号", ("id_number", "id"), True),
    Column("name", "姓名", ("name",), True),
    Column("category", "类别", ("category",), True),
    Column("district", "区", ("district",), True),
    Column("street", "街道", ("street", "town"), False),
    Column("community", "社区", ("community", "village"), True),
    Column("address", "地址", ("address",), False),
    Column("valid_from", "有效期起", ("valid_from",), False),
    Column("valid_to", "有效期止", ("valid_to",), False),
    Column("source_department", "来源部门", ("source_department", "source"), True),
    Column("list_date", "名单日期", ("list_date",), True),
)
HEADERS = [c.header for c in COLUMNS]


def _key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lstrip("\ufeff").lower())


_FIELDS = {_key(name): c.field for c in COLUMNS for name in (c.header, *c.aliases)}


@dataclass
class StationCounts:
    new: int = 0
    still: int = 0
    left: int = 0


@dataclass
class RosterResult:
    rows: int = 0
    new: int = 0
    still: int = 0
    left: int = 0
    not_placed: int = 0
    residents_created: int = 0
    # station name -> new / still / left; the rows not placed by the community named.
    by_station: dict[str, StationCounts] = field(default_factory=dict)
    unplaced: Counter = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    roster_import: RosterImport | None = None

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, row: int | None, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, message))


@dataclass
class _Row:
    number: int
    id_number: str
    id_hash: str
    name: str
    category: RosterCategory
    district: District
    community: Community | None
    station_id: int | None
    community_name: str
    address: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    source_department: str
    list_date: datetime.date


def month_of(text: str) -> datetime.date:
    """The first day of a month written YYYY-MM."""
    match = re.match(r"^(\d{4})-(\d{1,2})$", (text or "").strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValidationError(_("Give the roster's month as YYYY-MM."))
    return datetime.date(int(match[1]), int(match[2]), 1)


def _date(text: str) -> datetime.date | None:
    match = _DATE.match(text.strip())
    if not match:
        raise ValueError
    return datetime.date(int(match[1]), int(match[2]), int(match[3]))


class _Places:
    """The districts the actor may import, and the communities and stations of
    the city, read once."""

    def __init__(self, actor: User, city: City):
        self.allowed = set(District.objects.visible_to(actor).values_list("pk", flat=True))
        self.districts = {d.name: d for d in District.objects.filter(city=city)}
        self.communities: dict[tuple[int, str], list[Community]] = defaultdict(list)
        for community in Community.objects.filter(street__district__city=city).select_related(
            "street"
        ):
            self.communities[(community.street.district_id, community.name)].append(community)
        self.stations: dict[int, int] = {}
        for street_id, station_id in (
            Station.objects.filter(street__district__city=city, is_active=True)
            .order_by("-code")
            .values_list("street_id", "pk")
        ):
            self.stations[street_id] = station_id  # the lowest code wins

    def community(self, district: District, street: str, name: str) -> Community | None:
        found = [
            c
            for c in self.communities.get((district.pk, name), [])
            if not street or c.street.name == street
        ]
        return found[0] if len(found) == 1 else None


class _Checker:
    def __init__(self, actor: User, city: City, month: datetime.date, result: RosterResult):
        self.result = result
        self.month = month
        self.places = _Places(actor, city)
        self.categories: dict[str, RosterCategory] = {}
        for category in RosterCategory.objects.filter(is_active=True):
            self.categories[category.name] = category
            self.categories[category.code] = category
        self.seen: dict[tuple[int, str], int] = {}

    def check(self, number: int, cells: list[str], positions: dict[str, int]) -> _Row | None:
        errors_before = self.result.error_count

        def cell(name: str) -> str:
            position = positions.get(name)
            if position is None or position >= len(cells):
                return ""
            return (cells[position] or "").strip()

        def fail(column: str, message: str) -> None:
            self.result.add_error(number, column, message)

        for column in COLUMNS:
            if column.required and not cell(column.field):
                fail(column.header, _("A value is required."))
        if self.result.error_count > errors_before:
            return None
        id_number, id_hash = "", ""
        try:
            id_number = identity.validate_id_number(cell("id_number"))
            id_hash = identity.lookup_hash(id_number)
        except ValidationError as error:
            fail("身份证号", " ".join(error.messages))
        name = cell("name")
        if len(name) > 50:
            fail("姓名", _("At most 50 characters."))
        category = self.categories.get(cell("category"))
        if category is None:
            fail("类别", _("Unknown roster category: %(name)s.") % {"name": cell("category")})
        district = self.places.districts.get(cell("district"))
        if district is None:
            fail(
                "区",
                _("No district of this name in the city: %(name)s.") % {"name": cell("district")},
            )
        elif district.pk not in self.places.allowed:
            fail(
                "区",
                _("This is the roster of %(name)s, outside your district; nothing is loaded.")
                % {"name": district.name},
            )
            district = None
        dates: dict[str, datetime.date | None] = {}
        for column, header in (
            ("valid_from", "有效期起"),
            ("valid_to", "有效期止"),
            ("list_date", "名单日期"),
        ):
            text = cell(column)
            try:
                dates[column] = _date(text) if text else None
            except ValueError:
                fail(header, _("Write the date as YYYY-MM-DD."))
                dates[column] = None
        if dates["valid_from"] and dates["valid_to"] and dates["valid_to"] < dates["valid_from"]:
            fail("有效期止", _("The end of validity is before its start."))
        if dates["list_date"] and dates["list_date"] > timezone.localdate():
            fail("名单日期", _("The date cannot be in the future."))
        address = cell("address")
        if len(address) > 200:
            fail("地址", _("At most 200 characters."))
        if len(cell("source_department")) > 100:
            fail("来源部门", _("At most 100 characters."))
        if id_hash and category is not None:
            first = self.seen.setdefault((category.pk, id_hash), number)
            if first != number:
                fail(
                    "身份证号",
                    _("This person is listed twice in %(category)s (first in row %(row)s).")
                    % {"category": category.name, "row": first},
                )
        if self.result.error_count > errors_before:
            return None
        community = self.places.community(district, cell("street"), cell("community"))
        return _Row(
            number=number,
            id_number=id_number,
            id_hash=id_hash,
            name=name,
            category=category,
            district=district,
            community=community,
            station_id=self.places.stations.get(community.street_id) if community else None,
            community_name=cell("community")[:50],
            address=address,
            valid_from=dates["valid_from"],
            valid_to=dates["valid_to"],
            source_department=cell("source_department"),
            list_date=dates["list_date"],
        )


def _header(cells: list[str], result: RosterResult) -> dict[str, int]:
    positions: dict[str, int] = {}
    for position, text in enumerate(cells):
        name = _FIELDS.get(_key(text or ""))
        if name is None:
            continue
        if name in positions:
            result.add_error(1, text.strip(), _("The column appears twice."))
            continue
        positions[name] = position
    for column in COLUMNS:
        if column.required and column.field not in positions:
            result.add_error(1, column.header, _("The column is missing."))
    return positions


def _check_months(rows: list[_Row], month: datetime.date, result: RosterResult) -> None:
    """A list loaded for this month (or a later one) is refused: nothing twice."""
    lists = {(r.district.pk, r.category.pk): r for r in rows}
    loaded = (
        RosterList.objects.filter(
            district_id__in={d for d, _c in lists}, category_id__in={c for _d, c in lists}
        )
        .values("district_id", "category_id")
        .annotate(latest=Max("month"))
    )
    for row in loaded:
        first = lists.get((row["district_id"], row["category_id"]))
        if first is None or row["latest"] < month:
            continue
        if row["latest"] == month:
            message = _(
                "The list %(category)s of %(district)s for %(month)s is already imported; "
                "nothing is loaded twice."
            )
        else:
            message = _(
                "The list %(category)s of %(district)s is already imported for a later "
                "month than %(month)s."
            )
        result.add_error(
            None,
            "",
            message
            % {
                "category": first.category.name,
                "district": first.district.name,
                "month": f"{month:%Y-%m}",
            },
        )


def _new_resident(actor: User, row: _Row, points: dict[tuple[int, int], int]) -> Resident:
    """A person not yet on file, at the station (and service point) of their
    community, with the pinyin keys the name search reads."""
    born = identity.id_birth_date(row.id_number)
    resident = Resident(
        station_id=row.station_id,
        community=row.community,
        point_id=points.get((row.station_id, row.community.pk)) if row.community else None,
        name=row.name,
        gender=Gender.MALE if int(row.id_number[16]) % 2 else Gender.FEMALE,
        birth_date=born,
        id_number_encrypted=identity.encrypt(row.id_number),
        id_number_hash=row.id_hash,
        id_number_masked=identity.mask_id_number(row.id_number),
        address=row.address,
        created_by=actor,
    )
    pinyin.fill(resident)
    return resident


def _entry_fields(row: _Row) -> dict[str, Any]:
    return {
        "name": row.name,
        "community": row.community,
        "street_id": row.community.street_id if row.community else None,
        "station_id": row.station_id,
        "community_name": row.community_name,
        "address": row.address,
        "valid_from": row.valid_from,
        "valid_to": row.valid_to,
        "source_department": row.source_department,
        "list_date": row.list_date,
    }


def _write(
    actor: User,
    city: City,
    month: datetime.date,
    filename: str,
    source: str,
    rows: list[_Row],
    result: RosterResult,
) -> RosterImport:
    roster_import = RosterImport(
        city=city,
        district_id=actor.district_id,
        month=month,
        filename=Path(filename).name[:200],
        lawful_basis=LawfulBasis.STATUTORY_DUTY,
        source=source,
        rows=len(rows),
        imported_by=actor,
    )
    roster_import.full_clean()
    roster_import.save()
    ensure_visible(actor, roster_import)
    lists = Counter((r.district.pk, r.category.pk) for r in rows)
    RosterList.objects.bulk_create(
        RosterList(roster_import=roster_import, district_id=d, category_id=c, month=month, rows=n)
        for (d, c), n in lists.items()
    )
    # Residents by (station, ID hash), and the open entries of the file's lists.
    hashes = sorted({r.id_hash for r in rows})
    residents: dict[tuple[int, str], int] = {}
    for start in range(0, len(hashes), coverage.CHUNK):
        for station_id, id_hash, pk in (
            Resident.objects.filter(
                id_number_hash__in=hashes[start : start + coverage.CHUNK],
                merged_into__isnull=True,
            )
            .order_by("-pk")
            .values_list("station_id", "id_number_hash", "pk")
        ):
            residents[(station_id, id_hash)] = pk
    open_entries: dict[tuple[int, int, str], RosterEntry] = {}
    for district_id, category_id in lists:
        for entry in RosterEntry.objects.filter(
            district_id=district_id, category_id=category_id, closed_on__isnull=True
        ):
            open_entries[(district_id, category_id, entry.id_number_hash)] = entry
    station_names = dict(
        Station.objects.filter(street__district__city=city).values_list("pk", "name")
    )

    def count(station_id: int | None, what: str) -> None:
        label = station_names.get(station_id, "") if station_id else ""
        if label:
            counts = result.by_station.setdefault(label, StationCounts())
            setattr(counts, what, getattr(counts, what) + 1)

    new_residents: dict[tuple[int, str], Resident] = {}
    # The active service point of each (station, community), read once.
    points = {
        (station_id, community_id): pk
        for pk, station_id, community_id in ServicePoint.objects.filter(
            is_active=True, community__isnull=False
        ).values_list("pk", "station_id", "community_id")
    }
    for row in rows:
        if row.station_id and (row.station_id, row.id_hash) not in residents:
            new_residents.setdefault(
                (row.station_id, row.id_hash), _new_resident(actor, row, points)
            )
    Resident.objects.bulk_create(new_residents.values(), batch_size=1000)
    for key, resident in new_residents.items():
        residents[key] = resident.pk
    # Their record is kept under the station's statutory duty, not their consent
    # (PIPL art. 13 (3)): written down as for any resident.
    today = timezone.localdate()
    Consent.objects.bulk_create(
        (
            Consent(
                resident=resident,
                recorded_on=today,
                lawful_basis=LawfulBasis.STATUTORY_DUTY,
                covers_record=True,
                recorded_by=actor,
            )
            for resident in new_residents.values()
        ),
        batch_size=1000,
    )
    result.residents_created = len(new_residents)
    created, updated, pairs = [], [], set()
    for row in rows:
        resident_id = residents.get((row.station_id, row.id_hash)) if row.station_id else None
        if row.station_id is None:
            result.not_placed += 1
            result.unplaced[f"{row.district.name} {row.community_name}"] += 1
        entry = open_entries.pop((row.district.pk, row.category.pk, row.id_hash), None)
        if entry is None:
            created.append(
                RosterEntry(
                    category=row.category,
                    district=row.district,
                    resident_id=resident_id,
                    id_number_encrypted=identity.encrypt(row.id_number),
                    id_number_hash=row.id_hash,
                    id_number_masked=identity.mask_id_number(row.id_number),
                    first_month=month,
                    last_month=month,
                    opened_by=roster_import,
                    resident_created=(row.station_id, row.id_hash) in new_residents,
                    **_entry_fields(row),
                )
            )
            result.new += 1
            count(row.station_id, "new")
        else:
            if entry.station_id and entry.station_id != row.station_id:
                pairs.add((entry.station_id, entry.category_id))
            for name, value in _entry_fields(row).items():
                setattr(entry, name, value)
            entry.resident_id = resident_id
            entry.last_month = month
            updated.append(entry)
            result.still += 1
            count(row.station_id, "still")
        if row.station_id:
            pairs.add((row.station_id, row.category.pk))
    RosterEntry.objects.bulk_create(created, batch_size=1000)
    RosterEntry.objects.bulk_update(
        updated,
        ["last_month", "resident_id", "station_id", "street_id", *_entry_fields(rows[0]).keys()]
        if updated
        else ["last_month"],
        batch_size=1000,
    )
    left = list(open_entries.values())
    for entry in left:
        entry.closed_on = month
        entry.closed_by = roster_import
        count(entry.station_id, "left")
        if entry.station_id:
            pairs.add((entry.station_id, entry.category_id))
    RosterEntry.objects.bulk_update(left, ["closed_on", "closed_by"], batch_size=1000)
    result.left = len(left)
    coverage.refresh(pairs, month)
    for name in ("new", "still", "left", "not_placed", "residents_created"):
        setattr(roster_import, name, getattr(result, name))
    roster_import.save(update_fields=["new", "still", "left", "not_placed", "residents_created"])
    audit.record(
        "import",
        object_type=RosterImport._meta.label_lower,
        object_id=roster_import.pk,
        object_repr=roster_import.filename,
        user=actor,
        detail={
            "month": f"{month:%Y-%m}",
            "rows": len(rows),
            "new": result.new,
            "still": result.still,
            "left": result.left,
            "not_placed": result.not_placed,
            "lawful_basis": LawfulBasis.STATUTORY_DUTY.value,
            "source": source,
        },
    )
    return roster_import


def roster_import(
    *,
    actor: User,
    file: IO[bytes],
    filename: str,
    month: datetime.date,
    source: str,
    progress: Callable[[int], None] | None = None,
) -> RosterResult:
    """Check the whole file, then load it all (or nothing) as the roster of
    `month`. PermissionDenied for anyone but district and city officers; every
    other problem is in the result. `progress(n)` after each batch of rows read."""
    require_at(
        actor, CREATE, RosterImport, None, _("Only district and city officers import rosters.")
    )
    result = RosterResult()
    if identity.rotation_pending():
        # Reconciliation keys open entries by the ID's digest: while rows are still
        # under the previous key the same person would read as "left" and "new".
        result.add_error(
            None,
            "",
            _(
                "The ID number key is being rotated; rosters can be imported again "
                "once the rotation has finished (docs/privacy.md)."
            ),
        )
        return result
    if month > timezone.localdate():
        result.add_error(None, "", _("The roster's month cannot be in the future."))
        return result
    city = _actor_city(actor)
    if city is None:
        result.add_error(None, "", _("Your account is not placed in a city or district."))
        return result
    if not source.strip():
        result.add_error(
            None, "", _("Name the source of the lists (the department that sent them).")
        )
        return result
    try:
        cells = read_rows(file, filename)
        header = next(cells, None)
        if header is None:
            result.add_error(None, "", _("The file is empty."))
            return result
        positions = _header(header, result)
        if not result.ok:
            return result
        checker = _Checker(actor, city, month, result)
        rows = []
        for batch in batches(cells, 2000):
            for number, row_cells in batch:
                result.rows += 1
                row = checker.check(number, row_cells, positions)
                if row is not None:
                    rows.append(row)
            if progress is not None:
                progress(len(batch))
    except ImportFileError as error:
        result.add_error(None, "", str(error))
        return result
    if result.rows == 0:
        result.add_error(None, "", _("The file has no rows under its header."))
        return result
    if result.ok:
        _check_months(rows, month, result)
    if not result.ok:
        return result
    try:
        with transaction.atomic():
            result.roster_import = _write(
                actor, city, month, filename, source.strip(), rows, result
            )
    except IntegrityError:
        return RosterResult(
            rows=result.rows,
            errors=[
                RowError(
                    None,
                    "",
                    _(
                        "The rosters changed while the file was loading (was it imported "
                        "twice at once?); nothing was loaded. Import the file again."
                    ),
                )
            ],
            error_count=1,
        )
    return result


def _actor_city(actor: User) -> City | None:
    if actor.city_id:
        return actor.city
    if actor.district_id:
        return actor.district.city
    return None


def template_rows() -> Iterator[list[Any]]:
    today = timezone.localdate()
    yield [
        "440105195003071234",
        "张三",
        "特困人员",
        "海珠区",
        "南华西街道",
        "洪德社区",
        "洪德路1号",
        f"{today.year}-01-01",
        f"{today.year}-12-31",
        "海珠区民政局",
        today.replace(day=1).isoformat(),
    ]


def template_response():
    return tabular_response(
        "xlsx",
        "roster-import-template",
        "名单",
        HEADERS,
        template_rows(),
        title_block=False,  # read back by the import: headers on the first row
    )
