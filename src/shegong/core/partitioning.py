"""Yearly partitions of the long history tables on PostgreSQL (docs/decisions.md).

The audit entries, the access log and the service events grow by the year and are
read by the year: on PostgreSQL each is a declarative table partitioned by range
of its date (`at`, `held_on`), one partition per calendar year (`<table>_y2027`)
and a default partition (`<table>_default`) that catches a date outside every
year created, so that no insert ever fails. SQLite keeps plain tables: every
function here does nothing on another database.

- `convert(schema_editor, table, key)`: the migrations' step, turning an existing
  table into a partitioned one in the migration's transaction (new table, rows
  moved, names swapped, indexes, constraints and the id sequence restored).
- `ensure_year(connection, table, year)`: creates a year's partition, moving the
  rows of that year out of the default partition first; idempotent.
- `years_waiting(connection, table)`: the years of the rows in the default
  partition, which the scheduled command gives partitions of their own.
- `detach_year(connection, table, year)`: detaches a year's partition, which stays
  a plain table of the same name for archiving (pg_dump -t, then DROP).

core imports no domain app: the tables partitioned are found in the database
(`partitioned_tables`), not listed here.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import connection as default_connection
from django.utils import timezone

DEFAULT = "default"


def is_postgresql(connection=None) -> bool:
    return (connection or default_connection).vendor == "postgresql"


def partition_name(table: str, year: int) -> str:
    return f"{table}_y{year}"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class Partitioned:
    table: str
    key: str
    # "date" or "timestamp with time zone"
    key_type: str


@dataclass(frozen=True)
class Partition:
    table: str
    name: str
    # None for the default partition
    year: int | None
    rows: int


def _bounds(key_type: str, year: int) -> tuple[str, str]:
    """The partition's bounds as SQL literals: calendar years of the server's
    TIME_ZONE for a timestamp, plain dates for a date."""
    if key_type == "date":
        return f"'{year}-01-01'", f"'{year + 1}-01-01'"
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def start(y: int) -> str:
        return "'" + datetime.datetime(y, 1, 1, tzinfo=zone).isoformat() + "'"

    return start(year), start(year + 1)


def _year_of(key: str, key_type: str) -> str:
    if key_type == "date":
        return f"EXTRACT(YEAR FROM {_q(key)})"
    return f"EXTRACT(YEAR FROM {_q(key)} AT TIME ZONE '{settings.TIME_ZONE}')"


def partitioned_tables(connection=None) -> list[Partitioned]:
    connection = connection or default_connection
    if not is_postgresql(connection):
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
            FROM pg_partitioned_table p
            JOIN pg_class c ON c.oid = p.partrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.partattrs[0]
            WHERE n.nspname = current_schema() AND p.partstrat = 'r'
            ORDER BY c.relname
            """
        )
        return [Partitioned(*row) for row in cursor.fetchall()]


def partitions(connection, table: str) -> list[Partition]:
    """The partitions attached to `table`, with their row counts, oldest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            JOIN pg_class p ON p.oid = i.inhparent
            WHERE p.relname = %s ORDER BY c.relname
            """,
            [table],
        )
        names = [row[0] for row in cursor.fetchall()]
        found = []
        for name in names:
            cursor.execute(f"SELECT count(*) FROM {_q(name)}")  # noqa: S608 (catalog names)
            rows = cursor.fetchone()[0]
            match = re.fullmatch(re.escape(table) + r"_y(\d{4})", name)
            found.append(Partition(table, name, int(match.group(1)) if match else None, rows))
    return sorted(found, key=lambda p: (p.year is None, p.year or 0))


def _columns(cursor, table: str) -> list[str]:
    cursor.execute(
        """
        SELECT attname FROM pg_attribute
        WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum
        """,
        [table],
    )
    return [row[0] for row in cursor.fetchall()]


def _create_year(cursor, table: str, key: str, key_type: str, year: int) -> bool:
    """Create `year`'s partition unless it exists; rows of that year waiting in the
    default partition move into it. True when created."""
    name = partition_name(table, year)
    cursor.execute("SELECT to_regclass(%s)", [name])
    if cursor.fetchone()[0] is not None:
        return False
    low, high = _bounds(key_type, year)
    default = f"{table}_{DEFAULT}"
    cursor.execute("SELECT to_regclass(%s)", [default])
    has_default = cursor.fetchone()[0] is not None
    if not has_default:
        cursor.execute(
            f"CREATE TABLE {_q(name)} PARTITION OF {_q(table)} FOR VALUES FROM ({low}) TO ({high})"
        )
        return True
    # A partition cannot be created while the default one holds rows of its range:
    # build it apart, move those rows into it, then attach it.
    cols = ", ".join(_q(c) for c in _columns(cursor, table))
    where = f"{_q(key)} >= {low} AND {_q(key)} < {high}"
    cursor.execute(
        f"CREATE TABLE {_q(name)} (LIKE {_q(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
    )
    cursor.execute(
        f"INSERT INTO {_q(name)} ({cols}) SELECT {cols} FROM {_q(default)} WHERE {where}"  # noqa: S608
    )
    cursor.execute(f"DELETE FROM {_q(default)} WHERE {where}")  # noqa: S608 (catalog names)
    cursor.execute(
        f"ALTER TABLE {_q(table)} ATTACH PARTITION {_q(name)} FOR VALUES FROM ({low}) TO ({high})"
    )
    return True


def _key_type(cursor, table: str, key: str) -> str:
    cursor.execute(
        """
        SELECT format_type(atttypid, atttypmod) FROM pg_attribute
        WHERE attrelid = %s::regclass AND attname = %s
        """,
        [table, key],
    )
    return cursor.fetchone()[0]


def ensure_year(connection, table: str, year: int) -> bool:
    """Create the partition of `year` for one partitioned table (idempotent)."""
    found = {p.table: p for p in partitioned_tables(connection)}
    if table not in found:
        return False
    with connection.cursor() as cursor:
        return _create_year(cursor, table, found[table].key, found[table].key_type, year)


def years_waiting(connection, table: str) -> list[int]:
    """The years of the rows in `table`'s default partition (written before their
    year's partition existed, e.g. an import of past records)."""
    found = {p.table: p for p in partitioned_tables(connection)}
    if table not in found:
        return []
    default = f"{table}_{DEFAULT}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT {_year_of(found[table].key, found[table].key_type)} "  # noqa: S608
            f"FROM {_q(default)}"
        )
        return sorted(int(year) for (year,) in cursor.fetchall() if year is not None)


def ensure_years(years, connection=None) -> None:
    """Create the partitions of `years` for every partitioned table (nothing when
    there are none, as on SQLite): a bulk load of past years calls it first."""
    connection = connection or default_connection
    for table in partitioned_tables(connection):
        with connection.cursor() as cursor:
            for year in years:
                _create_year(cursor, table.table, table.key, table.key_type, year)


def detach_year(connection, table: str, year: int) -> str | None:
    """Detach `year`'s partition of `table`: it stays a plain table of the same name
    (archive it with pg_dump -t, then drop it). Returns its name, None if absent."""
    name = partition_name(table, year)
    if not any(p.name == name for p in partitions(connection, table)):
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {_q(table)} DETACH PARTITION {_q(name)}")
    return name


def _with_key(indexdef: str, key: str) -> str:
    """A unique index's definition with the partition key added to its columns (a
    unique index on a partitioned table must hold the key)."""
    return re.sub(
        r"(USING \w+ \()([^)]*)\)", lambda m: f"{m[1]}{m[2]}, {_q(key)})", indexdef, count=1
    )


def convert(schema_editor, table: str, key: str, *, drop_inbound: tuple[str, ...] = ()) -> None:
    """Turn `table` into a table partitioned by year of `key`, rows kept, in the
    running migration's transaction. PostgreSQL only; nothing elsewhere.

    The primary key becomes (id, key); unique constraints and indexes get the key
    added. Foreign keys to the table cannot stay (they would need a unique
    constraint on id alone): the tables named in `drop_inbound` lose theirs, and
    any other inbound foreign key stops the migration (DROP TABLE refuses)."""
    connection = schema_editor.connection
    if not is_postgresql(connection):
        return
    old = f"{table}__old"
    with connection.cursor() as cursor:
        key_type = _key_type(cursor, table, key)
        cursor.execute(
            """
            SELECT indexdef, i.indisunique FROM pg_indexes x
            JOIN pg_class c ON c.relname = x.indexname
            JOIN pg_index i ON i.indexrelid = c.oid
            WHERE x.tablename = %s AND x.schemaname = current_schema()
            AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
            """,
            [table],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            """
            SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = %s::regclass AND contype IN ('f', 'u')
            """,
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """
            SELECT conname, conrelid::regclass::text FROM pg_constraint
            WHERE confrelid = %s::regclass AND contype = 'f'
            """,
            [table],
        )
        inbound = cursor.fetchall()
        cursor.execute(f"SELECT pg_get_serial_sequence('{table}', 'id')")
        sequence = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT min({_year_of(key, key_type)}), max({_year_of(key, key_type)}) "  # noqa: S608
            f"FROM {_q(table)}"
        )
        first, last = cursor.fetchone()
        this_year = timezone.localdate().year
        first = int(first) if first is not None else this_year
        last = max(int(last) if last is not None else this_year, this_year + 1)

        for name, source in inbound:
            if source in drop_inbound:
                cursor.execute(f"ALTER TABLE {_q(source)} DROP CONSTRAINT {_q(name)}")
        cursor.execute(f"ALTER TABLE {_q(table)} RENAME TO {_q(old)}")
        old_sequence = None
        if sequence:
            old_sequence = f"{old}_id_seq"
            cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {_q(old_sequence)}")
        cursor.execute(
            f"CREATE TABLE {_q(table)} (LIKE {_q(old)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
            f"INCLUDING IDENTITY INCLUDING STORAGE) PARTITION BY RANGE ({_q(key)})"
        )
        for year in range(first, last + 1):
            _create_year(cursor, table, key, key_type, year)
        cursor.execute(f"CREATE TABLE {_q(table + '_' + DEFAULT)} PARTITION OF {_q(table)} DEFAULT")
        cols = ", ".join(_q(c) for c in _columns(cursor, table))
        cursor.execute(
            f"INSERT INTO {_q(table)} ({cols}) OVERRIDING SYSTEM VALUE "  # noqa: S608
            f"SELECT {cols} FROM {_q(old)}"
        )
        if old_sequence:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"last_value, is_called) FROM {_q(old_sequence)}"
            )
        cursor.execute(f"DROP TABLE {_q(old)}")
        cursor.execute(
            f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(table + '_pkey')} "
            f"PRIMARY KEY (id, {_q(key)})"
        )
        for name, kind, definition in constraints:
            if kind == "u" and key not in re.findall(r"\w+", definition):
                definition = re.sub(
                    r"\(([^)]*)\)", lambda m: f"({m[1]}, {_q(key)})", definition, count=1
                )
            cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {definition}")
        for definition, unique in indexes:
            if unique:
                definition = _with_key(definition, key)
            cursor.execute(definition)
