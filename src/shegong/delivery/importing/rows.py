"""Checking an import's rows: each row is held to exactly the rules of
`services.service_event_record` by calling the same check functions, with the
look-ups each batch needs (already-loaded keys, residents by ID hash, users by
name) done once per batch, whatever its size."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.clients import identity
from shegong.clients.models import Resident
from shegong.delivery import counting, services
from shegong.delivery.importing.reading import COLUMNS
from shegong.delivery.importing.report import RowError
from shegong.delivery.models import EventKind, ServiceEvent
from shegong.org.models import ServicePoint
from shegong.plans.models import AnnualPlan, PlanProject

IMPORT_KEY_LENGTH = ServiceEvent._meta.get_field("import_key").max_length
_KEY_AT, _RESIDENTS_AT, _WORKERS_AT = (
    [column.field for column in COLUMNS].index(name)
    for name in ("import_key", "attendees", "workers")
)

IMPORTED_KIND_WORDS = {
    "小组": EventKind.GROUP_SESSION,
    "社区活动": EventKind.ACTIVITY,
    "探访": EventKind.HOME_VISIT,
    "咨询": EventKind.CONSULTATION,
    "餐前活动": EventKind.MEAL_ACTIVITY,
}
KIND_WORDS = {
    **IMPORTED_KIND_WORDS,
    **{value: EventKind(value) for value in EventKind.values if value != EventKind.CASEWORK},
}
CASEWORK_WORDS = frozenset({"个案", EventKind.CASEWORK.value})
_LIST_SEPARATORS = re.compile(r"[;；、,，\s]+")
_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")

ALREADY_LOADED = object()


@dataclass
class ImportedEvent:
    """A valid new row, ready to be written."""

    row: int
    import_key: str
    project: PlanProject
    kind: str
    held_on: datetime.date
    title: str
    headcount: int
    person_times: int
    residents: list[Resident]
    workers: list[User]
    point: ServicePoint | None = None
    starts_at: datetime.time | None = None
    ends_at: datetime.time | None = None


def _messages(error: ValidationError) -> Iterator[tuple[str, str]]:
    """(field, message) pairs of a service check's error; the first message per field."""
    if hasattr(error, "error_dict"):
        for field_name, messages in error.message_dict.items():
            yield field_name, messages[0]
    else:
        yield NON_FIELD_ERRORS, error.messages[0]


_MEMO_LIMIT = 10_000


def _field_problem(check: Callable[..., Any], *args: Any) -> str | None:
    """The first message of a model field's check, or None if the value passes."""
    try:
        check(*args)
    except ValidationError as error:
        return error.messages[0]
    return None


def _split(text: str) -> list[str]:
    return [part for part in _LIST_SEPARATORS.split(text) if part]


_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def _parse_time(text: str) -> datetime.time | None:
    """HH:MM (or HH:MM:SS, as a spreadsheet writes a time cell)."""
    match = _TIME.match(text)
    if match is None:
        return None
    try:
        return datetime.time(int(match[1]), int(match[2]), int(match[3] or 0))
    except ValueError:
        return None


def _parse_date(text: str) -> datetime.date | None:
    match = _DATE.match(text)
    if match is None:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


class RowChecker:
    """Holds every row to the rules of `services.service_event_record`, a batch at
    a time, and collects the problems into `result`."""

    def __init__(self, actor: User, plan: AnnualPlan, positions, names, max_errors: int, result):
        self.actor = actor
        self.station_id = plan.station_id
        self.plan = plan
        self.projects = {p.name: p for p in plan.projects.select_related("plan")}
        # The station's active service points, by code and by name.
        self.points: dict[str, ServicePoint] = {}
        for point in ServicePoint.objects.filter(station_id=self.station_id, is_active=True):
            self.points[point.name] = self.points[point.code] = point
        self.names = names
        self.order = [positions.get(column.field) for column in COLUMNS]
        self.max_errors = max_errors
        self.result = result
        self.seen_keys: set[str] = set()
        # Raw ID text → (resident, None) or (None, message); username → user or None.
        self.residents: dict[str, tuple[Resident | None, str | None]] = {}
        self.users: dict[str, User | None] = {}
        self.title_field = ServiceEvent._meta.get_field("title")
        self.headcount_field = ServiceEvent._meta.get_field("headcount")
        self.today = timezone.localdate()
        # A file repeats its titles and head-counts: each distinct value is checked
        # by the model field's validators once (value → message, or None if valid).
        self.title_problems: dict[str, str | None] = {}
        self.headcount_problems: dict[int, str | None] = {}
        self.dates: dict[str, datetime.date | None] = {}

    # Errors

    def error(self, row: int | None, field_name: str, message: str) -> None:
        self.result.error_count += 1
        if len(self.result.errors) < self.max_errors:
            column = self.names.get(field_name, "") if field_name else ""
            self.result.errors.append(RowError(row, column, message))

    def _values(self, cells: list[str]) -> list[str]:
        """The row's cells in the order of COLUMNS, stripped; "" where missing."""
        width = len(cells)
        return [
            cells[position].strip() if position is not None and position < width else ""
            for position in self.order
        ]

    # Batch look-ups: a fixed number of queries per batch, whatever its size.

    def _load_residents(self, texts: Iterable[str]) -> None:
        hashes: dict[str, list[str]] = {}
        for text in texts:
            if text in self.residents:
                continue
            masked = identity.mask_id_number(identity.normalise_id_number(text))
            try:
                number = identity.validate_id_number(text)
            except ValidationError as error:
                self.residents[text] = (
                    None,
                    _("ID number %(number)s: %(problem)s")
                    % {"number": masked, "problem": error.messages[0]},
                )
                continue
            # Only this station's residents: whether someone is on file at another
            # station is not the importing worker's business.
            self.residents[text] = (
                None,
                _("No resident of this station has the ID number %(number)s.") % {"number": masked},
            )
            for digest in identity.lookup_hashes(number):
                hashes.setdefault(digest, []).append(text)
        if not hashes:
            return
        found = Resident.objects.filter(
            station_id=self.station_id, id_number_hash__in=list(hashes)
        ).only("pk", "station_id", "name", "merged_into_id", "id_number_hash")
        for resident in found:
            for text in hashes[resident.id_number_hash]:
                current = self.residents[text][0]
                # Merging clears the duplicate's hash; should a merged record still
                # carry it, the live record wins (a merged one alone is refused by
                # check_attendees).
                if current is None or current.merged_into_id is not None:
                    self.residents[text] = (resident, None)

    def _load_users(self, usernames: Iterable[str]) -> None:
        wanted = {name for name in usernames if name not in self.users}
        if not wanted:
            return
        for name in wanted:
            self.users[name] = None
        for user in User.objects.filter(username__in=wanted).only("pk", "username", "station_id"):
            self.users[user.username] = user

    def _existing_keys(self, keys: list[str]) -> set[str]:
        if not keys:
            return set()
        if connection.vendor == "postgresql":
            # One look-up of the unique (station, import_key) index per key. With
            # `import_key IN (…)` PostgreSQL, planning with statistics taken before
            # this import began, reads every key of the station and filters them:
            # a scan that grows with each batch the import adds (quadratic at 1 M).
            # LATERAL … LIMIT 1 keeps it a look-up per key (an EXISTS would be
            # planned as a semi-join over the station's keys again).
            table = connection.ops.quote_name(ServiceEvent._meta.db_table)
            sql = (
                "SELECT k.key FROM unnest(%s::text[]) AS k(key) CROSS JOIN LATERAL "  # noqa: S608 (model's table)
                f"(SELECT 1 FROM {table} e WHERE e.station_id = %s "
                "AND e.import_key = k.key AND NOT e.import_key = '' LIMIT 1) AS hit"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [keys, self.station_id])
                return {key for (key,) in cursor.fetchall()}
        # `.exclude(import_key="")` repeats the unique index's condition so that the
        # database may use that (partial) index, and no ORDER BY tempts it to use the
        # (station, held_on) one: otherwise each batch scans the station's events.
        return set(
            ServiceEvent.objects.filter(station_id=self.station_id, import_key__in=keys)
            .exclude(import_key="")
            .order_by()
            .values_list("import_key", flat=True)
        )

    # One row

    def check_row(
        self,
        row: int,
        values: list[str],
        ids: list[str],
        usernames: list[str],
        existing: set[str],
    ) -> ImportedEvent | object | None:
        problems: list[tuple[str, str]] = []
        (
            key,
            date_text,
            name,
            kind_text,
            title,
            _ids,
            headcount_text,
            _names,
            point_text,
            starts_text,
            ends_text,
        ) = values

        if not key:
            problems.append(("import_key", _("The record number is required.")))
        elif len(key) > IMPORT_KEY_LENGTH:
            problems.append(
                (
                    "import_key",
                    _("The record number is longer than %(n)s characters.")
                    % {"n": IMPORT_KEY_LENGTH},
                )
            )
        elif key in self.seen_keys:
            problems.append(
                (
                    "import_key",
                    _("The record number “%(key)s” is used on an earlier row.") % {"key": key},
                )
            )
        else:
            self.seen_keys.add(key)
            if key in existing:
                return ALREADY_LOADED

        held_on = None
        if not date_text:
            problems.append(("held_on", _("The date is required.")))
        else:
            if date_text not in self.dates:  # a year has 366 of them at most
                if len(self.dates) > _MEMO_LIMIT:
                    self.dates.clear()
                self.dates[date_text] = _parse_date(date_text)
            held_on = self.dates[date_text]
            if held_on is None:
                problems.append(("held_on", _("Enter the date as YYYY-MM-DD.")))

        project = None
        if not name:
            problems.append(("project", _("The project is required.")))
        else:
            project = self.projects.get(name)
            if project is None:
                problems.append(
                    (
                        "project",
                        _("The plan of %(year)s has no project “%(name)s”.")
                        % {"year": self.plan.year, "name": name},
                    )
                )
        if held_on is not None:
            try:
                services.check_event_date(held_on, project, self.today)
            except ValidationError as error:
                problems.extend(_messages(error))

        kind = None
        word = kind_text.lower()
        if not kind_text:
            problems.append(("kind", _("The kind of service is required.")))
        elif word in CASEWORK_WORDS:
            problems.append(
                ("kind", _("Casework is recorded in the case file and cannot be imported."))
            )
        elif word not in KIND_WORDS:
            problems.append(
                (
                    "kind",
                    _("Unknown kind of service “%(value)s”: use one of %(kinds)s.")
                    % {"value": kind_text, "kinds": "、".join(IMPORTED_KIND_WORDS)},
                )
            )
        else:
            kind = KIND_WORDS[word]
            try:
                services.check_event_kind(kind)
            except ValidationError as error:
                problems.extend(_messages(error))
                kind = None

        if len(self.title_problems) > _MEMO_LIMIT:
            self.title_problems.clear()
        if title not in self.title_problems:
            self.title_problems[title] = _field_problem(self.title_field.clean, title, None)
        if self.title_problems[title] is not None:
            problems.append(("title", self.title_problems[title]))

        headcount = 0
        if headcount_text:
            try:
                headcount = int(headcount_text)
            except ValueError:
                problems.append(("headcount", _("The head-count must be a whole number.")))
                headcount = 0
            else:
                try:
                    # With the kind unknown, only the sign can be checked.
                    services.check_headcount(kind or EventKind.ACTIVITY, headcount)
                except ValidationError as error:
                    problems.append(("headcount", error.messages[0]))
                else:
                    if headcount not in self.headcount_problems:
                        self.headcount_problems[headcount] = _field_problem(
                            self.headcount_field.run_validators, headcount
                        )
                    if self.headcount_problems[headcount] is not None:
                        problems.append(("headcount", self.headcount_problems[headcount]))

        residents: list[Resident] = []
        resident_problem = False
        for text in ids:
            resident, message = self.residents[text]
            if resident is None:
                problems.append(("attendees", message))
                resident_problem = True
                break
            residents.append(resident)
        if not resident_problem:
            try:
                services.check_attendees(self.station_id, residents)
                services.check_someone_attended(len(residents), headcount)
            except ValidationError as error:
                problems.extend(_messages(error))

        workers: list[User] = []
        for username in dict.fromkeys(usernames):
            user = self.users[username]
            if user is None:
                problems.append(("workers", _("There is no user “%(name)s”.") % {"name": username}))
                break
            workers.append(user)
        else:
            try:
                services.check_workers(self.station_id, workers)
            except ValidationError as error:
                problems.extend(_messages(error))

        point = None
        if point_text:
            point = self.points.get(point_text)
            if point is None:
                problems.append(
                    (
                        "point",
                        _("This station has no service point “%(value)s”.") % {"value": point_text},
                    )
                )

        times: dict[str, datetime.time | None] = {"starts_at": None, "ends_at": None}
        unreadable = False
        for field_name, text in (("starts_at", starts_text), ("ends_at", ends_text)):
            if text:
                times[field_name] = _parse_time(text)
                if times[field_name] is None:
                    problems.append((field_name, _("Enter the time as HH:MM.")))
                    unreadable = True
        if not unreadable:
            try:
                services.check_event_times(times["starts_at"], times["ends_at"])
            except ValidationError as error:
                problems.extend(_messages(error))

        if problems:
            reported = set()
            for field_name, message in problems:
                if field_name == NON_FIELD_ERRORS:
                    field_name = "attendees"  # "record who attended, or the head-count"
                if field_name not in reported:  # one problem per cell is enough
                    reported.add(field_name)
                    self.error(row, field_name, message)
            return None
        return ImportedEvent(
            row=row,
            import_key=key,
            project=project,
            kind=kind,
            held_on=held_on,
            title=title,
            headcount=headcount,
            person_times=counting.person_times(len(residents), headcount),
            residents=residents,
            workers=workers or [self.actor],
            point=point,
            **times,
        )

    # One batch

    # One batch

    def check_batch(self, batch: list[tuple[int, list[str]]]) -> list[ImportedEvent]:
        """The batch's valid new rows; counts every row read and already loaded."""
        rows, keys, all_ids, all_usernames = [], [], set(), set()
        for row, cells in batch:
            values = self._values(cells)
            ids, usernames = _split(values[_RESIDENTS_AT]), _split(values[_WORKERS_AT])
            rows.append((row, values, ids, usernames))
            key = values[_KEY_AT]
            if key and len(key) <= IMPORT_KEY_LENGTH:
                keys.append(key)
            all_ids.update(ids)
            all_usernames.update(usernames)
        existing = self._existing_keys(keys)
        self._load_residents(all_ids)
        self._load_users(all_usernames)
        events = []
        for row, values, ids, usernames in rows:
            self.result.rows += 1
            outcome = self.check_row(row, values, ids, usernames, existing)
            if outcome is ALREADY_LOADED:
                self.result.already_loaded += 1
            elif outcome is not None:
                events.append(outcome)
        return events
