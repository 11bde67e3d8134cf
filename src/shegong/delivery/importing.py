"""Bulk import of a station's service records (批量导入服务记录) from CSV or XLSX.

One row is one service event. Every row is held to the rules of
`services.service_event_record` by calling the same check functions, and the file is
loaded all or nothing: if any row is invalid, nothing is written and the result is a
row-by-row report (row, column, problem). A row whose 记录编号 was loaded before, at
the same station, is skipped and counted as already loaded, so re-importing a file
never duplicates records (the key is the model's unique (station, import_key)).

Built for a million rows: the file is streamed and handled in batches of BATCH_SIZE.
Each batch costs a fixed handful of queries (already-loaded keys, residents by ID
hash, users by name) and, while every row so far is valid, is written at once:
events, then their attendance and workers, each with one executemany (see
`_insert_rows` for why not bulk_create). The whole import is one transaction, rolled
back at the end if any row was invalid, so the common case (a valid file) is read
and validated once, without holding the rows in memory.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.clients import identity
from shegong.clients.models import Resident
from shegong.core import audit
from shegong.core.access import ensure_visible
from shegong.core.exports import neutralise, tabular_response
from shegong.delivery import services
from shegong.delivery.models import Attendance, EventKind, ServiceEvent
from shegong.plans.models import AnnualPlan, PlanProject
from shegong.stats.rollups import Delta, clients_served_add, record_event_change

BATCH_SIZE = 2000
# The report keeps the first problems; past that, fix and import again.
MAX_ERRORS = 10_000
MAX_FILE_SIZE = 20 * 1024 * 1024
SUFFIXES = (".csv", ".xlsx")
IMPORT_KEY_LENGTH = ServiceEvent._meta.get_field("import_key").max_length


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # as in the template
    aliases: tuple[str, ...]  # English equivalents, matched case-insensitively
    required: bool


COLUMNS = (
    Column("import_key", "记录编号", ("record_id", "row_id", "record_no", "import_key"), True),
    Column("held_on", "日期", ("date", "held_on"), True),
    Column("project", "项目", ("project",), True),
    Column("kind", "服务类型", ("kind", "service_type", "type"), True),
    Column("title", "名称", ("title", "name"), True),
    Column("attendees", "参与居民", ("residents", "attendees", "participants"), False),
    Column("headcount", "人数", ("headcount", "head_count"), False),
    Column("workers", "社工", ("workers", "social_workers"), False),
)
HEADERS = [column.header for column in COLUMNS]
_KEY_AT, _RESIDENTS_AT, _WORKERS_AT = (
    [column.field for column in COLUMNS].index(name)
    for name in ("import_key", "attendees", "workers")
)
# The error report's headers are part of its format, like the import's own headers.
REPORT_HEADERS = ["行号", "列", "问题"]

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


@dataclass(frozen=True)
class RowError:
    row: int | None  # as numbered in the spreadsheet (the header is row 1); None: the file
    column: str  # the column's header as written in the file; "" for the row or the file
    message: str


@dataclass
class ImportResult:
    rows: int = 0  # data rows read; blank rows are not counted
    loaded_events: int = 0
    loaded_person_times: int = 0
    already_loaded: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first MAX_ERRORS
    error_count: int = 0  # every problem found

    @property
    def ok(self) -> bool:
        return self.error_count == 0


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, encoding, no header)."""


class _Rollback(Exception):
    pass


_ALREADY_LOADED = object()


# --- Reading -------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(file: IO[bytes]) -> Iterator[list[str]]:
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    try:
        yield from csv.reader(text)
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The CSV file is not UTF-8 text. Save it as “CSV UTF-8”, or upload the .xlsx file.")
        ) from None
    except csv.Error:
        raise ImportFileError(_("The file cannot be read as CSV.")) from None
    finally:
        text.detach()  # the caller owns and closes the file


def _xlsx_rows(file: IO[bytes]) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFileError(_("The file cannot be read as an Excel workbook (.xlsx).")) from None
    try:
        for row in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in row]
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise ImportFileError(_("The file cannot be read as an Excel workbook (.xlsx).")) from None
    finally:
        workbook.close()


def read_rows(file: IO[bytes], filename: str) -> Iterator[list[str]]:
    """The file's rows as lists of text cells, the header first."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return _csv_rows(file)
    if suffix == ".xlsx":
        return _xlsx_rows(file)
    raise ImportFileError(_("Only .csv and .xlsx files can be imported."))


def _header_key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lstrip("\ufeff").lower())


_HEADER_FIELDS = {
    _header_key(name): column.field
    for column in COLUMNS
    for name in (column.header, *column.aliases)
}


def _map_header(cells: list[str]) -> tuple[dict[str, int], dict[str, str], list[RowError]]:
    """Column positions and names as written, by field; errors for missing columns."""
    positions: dict[str, int] = {}
    names: dict[str, str] = {}
    errors = []
    for position, cell in enumerate(cells):
        name = cell.strip().lstrip("\ufeff")
        field_name = _HEADER_FIELDS.get(_header_key(name))
        if field_name is None:
            continue  # extra columns (e.g. remarks) are allowed and ignored
        if field_name in positions:
            errors.append(RowError(1, name, _("The column appears twice.")))
            continue
        positions[field_name] = position
        names[field_name] = name
    for column in COLUMNS:
        names.setdefault(column.field, column.header)
        if column.required and column.field not in positions:
            errors.append(RowError(1, column.header, _("The column is missing.")))
    return positions, names, errors


# --- Checking --------------------------------------------------------------------------


@dataclass
class _Event:
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


def _parse_date(text: str) -> datetime.date | None:
    match = _DATE.match(text)
    if match is None:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


class _Importer:
    def __init__(self, actor: User, plan: AnnualPlan, positions, names, max_errors: int):
        self.actor = actor
        self.station_id = plan.station_id
        self.plan = plan
        self.projects = {p.name: p for p in plan.projects.select_related("plan")}
        self.names = names
        self.order = [positions.get(column.field) for column in COLUMNS]
        self.max_errors = max_errors
        self.result = ImportResult()
        self.seen_keys: set[str] = set()
        # Raw ID text → (resident, None) or (None, message); username → user or None.
        self.residents: dict[str, tuple[Resident | None, str | None]] = {}
        self.users: dict[str, User | None] = {}
        self.title_field = ServiceEvent._meta.get_field("title")
        self.headcount_field = ServiceEvent._meta.get_field("headcount")
        self.through = ServiceEvent.workers.through
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
            hashes.setdefault(identity.lookup_hash(number), []).append(text)
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
    ) -> _Event | object | None:
        problems: list[tuple[str, str]] = []
        key, date_text, name, kind_text, title, _ids, headcount_text, _names = values

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
                return _ALREADY_LOADED

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

        if problems:
            reported = set()
            for field_name, message in problems:
                if field_name == NON_FIELD_ERRORS:
                    field_name = "attendees"  # "record who attended, or the head-count"
                if field_name not in reported:  # one problem per cell is enough
                    reported.add(field_name)
                    self.error(row, field_name, message)
            return None
        return _Event(
            row=row,
            import_key=key,
            project=project,
            kind=kind,
            held_on=held_on,
            title=title,
            headcount=headcount,
            person_times=services.count_person_times(len(residents), headcount),
            residents=residents,
            workers=workers or [self.actor],
        )

    # One batch

    def process(self, batch: list[tuple[int, list[str]]]) -> None:
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
            if outcome is _ALREADY_LOADED:
                self.result.already_loaded += 1
            elif outcome is not None:
                events.append(outcome)
        if self.result.ok and events:
            self.write(events)

    def write(self, rows: list[_Event]) -> None:
        adapt_date = connection.ops.adapt_datefield_value
        ids = _insert_rows(
            ServiceEvent,
            [
                "project",
                "domain",
                "kind",
                "held_on",
                "title",
                "headcount",
                "person_times",
                "import_key",
            ],
            [
                (
                    row.project.pk,
                    row.project.domain,
                    row.kind,
                    adapt_date(row.held_on),
                    row.title,
                    row.headcount,
                    row.person_times,
                    row.import_key,
                )
                for row in rows
            ],
            station=self.station_id,
            created_by=self.actor.pk,
            returning_ids=True,
        )
        # The ids are known without reading the rows back; check the ends anyway.
        ends = dict(
            ServiceEvent.objects.filter(pk__in=[ids[0], ids[-1]]).values_list("pk", "import_key")
        )
        if ends != {ids[0]: rows[0].import_key, ids[-1]: rows[-1].import_key}:
            raise RuntimeError("The imported events did not get the reserved ids.")
        if self.result.loaded_events == 0:
            ensure_visible(self.actor, ServiceEvent(pk=ids[0]))
        _insert_rows(
            Attendance,
            ["event", "resident"],
            [(pk, r.pk) for pk, row in zip(ids, rows, strict=True) for r in row.residents],
        )
        _insert_rows(
            self.through,
            ["serviceevent", "user"],
            [(pk, w.pk) for pk, row in zip(ids, rows, strict=True) for w in row.workers],
        )
        self._roll_up(rows)
        self.result.loaded_events += len(rows)
        self.result.loaded_person_times += sum(row.person_times for row in rows)

    def _roll_up(self, rows: list[_Event]) -> None:
        """Add the batch to the statistics rollups in the same transaction, one
        update per (month, domain) and (month, project) rather than per row."""
        sums: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for row in rows:
            key = (row.project.pk, row.project.domain, row.held_on.year, row.held_on.month)
            sums[key][0] += 1
            sums[key][1] += row.person_times
            sums[key][2] += row.kind == EventKind.GROUP_SESSION
            sums[key][3] += row.kind == EventKind.ACTIVITY
        for (project_id, domain, year, month), counts in sums.items():
            events, person_times, group_sessions, activities = counts
            record_event_change(
                station_id=self.station_id,
                project_id=project_id,
                domain=domain,
                held_on=datetime.date(year, month, 1),
                delta=Delta(events, person_times, group_sessions, activities),
            )
        clients_served_add(
            station_id=self.station_id,
            attendances=[
                (r.pk, row.held_on, row.project.domain) for row in rows for r in row.residents
            ],
        )


def _insert_rows(
    model, columns: list[str], rows: list[tuple], *, returning_ids: bool = False, **constants: Any
) -> list[int]:
    """INSERT `rows` (values of `columns`, ready for the database) with executemany
    (SQLite) or COPY (PostgreSQL); every other field takes its value from
    `constants`, its default, or now (for auto_now fields). bulk_create builds a
    model instance and compiles every value of every row in Python, and on SQLite
    sends ~70 rows a statement: with it the whole import ran at ~4,400 rows/s on
    SQLite, with executemany at ~12,000.

    With `returning_ids`, returns the new rows' primary keys in order, without
    reading the rows back: PostgreSQL reserves them from the table's sequence
    first; SQLite, which holds the database's one write lock for the whole
    transaction, gives an executemany's rows consecutive ids ending at
    last_insert_rowid()."""
    if not rows:
        return []
    names, fixed = [], []
    now = timezone.now()
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key:
            continue
        if model_field.name in columns:
            continue
        if model_field.name in constants:
            value = constants[model_field.name]
        elif getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            value = now
        else:
            value = model_field.get_default()
        names.append(model_field.column)
        fixed.append(model_field.get_db_prep_save(value, connection))
    names = [model._meta.get_field(name).column for name in columns] + names
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from the model)
        quote(model._meta.db_table),
        ", ".join(quote(name) for name in names),
        ", ".join(["%s"] * len(names)),
    )
    fixed = tuple(fixed)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            ids: list[int] = []
            if returning_ids:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [quote(table), model._meta.pk.column, len(rows)],
                )
                ids = [pk for (pk,) in cursor.fetchall()]
                names = [model._meta.pk.column, *names]
                rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
            # psycopg 3: COPY is PostgreSQL's bulk path, many times faster again.
            with cursor.cursor.copy(
                "COPY {} ({}) FROM STDIN".format(
                    quote(table), ", ".join(quote(name) for name in names)
                )
            ) as stream:
                for row in rows:
                    stream.write_row(row + fixed)
            return ids
        cursor.executemany(sql, [row + fixed for row in rows])
        if not returning_ids:
            return []
        cursor.execute("SELECT last_insert_rowid()")
        (last,) = cursor.fetchone()
        return list(range(last - len(rows) + 1, last + 1))


def _batches(rows: Iterator[list[str]], size: int) -> Iterator[list[tuple[int, list[str]]]]:
    batch = []
    for number, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        batch.append((number, cells))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _file_error(message: str, result: ImportResult | None = None) -> ImportResult:
    result = result or ImportResult()
    result.loaded_events = result.loaded_person_times = 0
    result.errors.append(RowError(None, "", message))
    result.error_count += 1
    return result


def service_events_import(
    *,
    actor: User,
    file: IO[bytes],
    filename: str,
    year: int,
    progress: Callable[[int], Any] | None = None,
    max_errors: int = MAX_ERRORS,
    batch_size: int = BATCH_SIZE,
) -> ImportResult:
    """Import `file` (CSV or XLSX, told by `filename`) into the actor's station, under
    the station's plan for `year`: every new row or none. Raises PermissionDenied
    for anyone but the station's own staff; everything else is in the result."""
    services.require_station_staff(actor, actor.station_id)
    plan = AnnualPlan.objects.filter(station_id=actor.station_id, year=year).first()
    if plan is None:
        return _file_error(_("The station has no plan for %(year)s.") % {"year": year})
    ensure_visible(actor, plan)
    try:
        rows = read_rows(file, filename)
        header = next(rows, None)
        if header is None:
            return _file_error(_("The file is empty."))
        positions, names, header_errors = _map_header(header)
        if header_errors:
            return ImportResult(errors=header_errors, error_count=len(header_errors))
        importer = _Importer(actor, plan, positions, names, max_errors)
        try:
            with transaction.atomic():
                for batch in _batches(rows, batch_size):
                    importer.process(batch)
                    if progress is not None:
                        progress(len(batch))
                if not importer.result.ok:
                    raise _Rollback
        except _Rollback:
            importer.result.loaded_events = importer.result.loaded_person_times = 0
        except IntegrityError:
            # Only a concurrent change (e.g. someone importing the same rows) gets
            # past the checks; the transaction has undone everything.
            return _file_error(
                _(
                    "The records changed while the file was loading (was the same file "
                    "imported twice at once?); nothing was loaded. Import the file again."
                ),
                importer.result,
            )
        if importer.result.rows == 0 and importer.result.ok:
            return _file_error(_("The file has no rows under its header."))
        if importer.result.loaded_events:
            # The rows bypass the per-row audit signals (executemany): one entry
            # records the whole import.
            audit.record(
                "import",
                object_type=ServiceEvent._meta.label_lower,
                object_repr=Path(filename).name,
                station_id=plan.station_id,
                user=actor,
                detail={
                    "year": year,
                    "rows": importer.result.rows,
                    "events": importer.result.loaded_events,
                    "person_times": importer.result.loaded_person_times,
                    "already_loaded": importer.result.already_loaded,
                },
            )
        return importer.result
    except ImportFileError as error:
        return _file_error(str(error))


# --- Files for people -----------------------------------------------------------------


def template_rows(actor: User, year: int) -> list[list[Any]]:
    """The template's one example row, with a project of the actor's plan if any."""
    project = (
        PlanProject.objects.filter(plan__station_id=actor.station_id, plan__year=year)
        .order_by("kind", "name")
        .values_list("name", flat=True)
        .first()
    )
    return [
        [
            f"{year}-0001",
            min(datetime.date(year, 3, 5), timezone.localdate()).isoformat(),
            project or "长者服务",
            "社区活动",
            "长者中秋游园会",
            "",
            30,
            actor.username,
        ]
    ]


def template_response(actor: User, year: int):
    return tabular_response(
        "xlsx", "service-import-template", "服务记录", HEADERS, template_rows(actor, year)
    )


def report_rows(errors: Iterable[RowError | tuple], total: int | None = None) -> Iterator[list]:
    count = 0
    for error in errors:
        row, column, message = (
            (error.row, error.column, error.message) if isinstance(error, RowError) else error
        )
        count += 1
        yield ["" if row is None else row, column, message]
    if total is not None and total > count:
        yield ["", "", _("… and %(n)s more problems.") % {"n": total - count}]


def report_response(fmt: str, errors: Iterable[RowError | tuple], total: int | None = None):
    return tabular_response(
        fmt, "service-import-problems", "导入问题", REPORT_HEADERS, report_rows(errors, total)
    )


def write_report(path: Path, errors: Iterable[RowError], total: int | None = None) -> None:
    """The error report as a file, .xlsx or .csv by the path's suffix."""
    rows = report_rows(errors, total)
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(REPORT_HEADERS)
            writer.writerows([neutralise(value) for value in row] for row in rows)
        return
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="导入问题")
    sheet.append(REPORT_HEADERS)
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    workbook.save(path)
