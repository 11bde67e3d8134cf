"""Bulk writes below the ORM, with the SQL of each database in one place.

- `insert_many`: rows already prepared for the database, into a table: COPY on
  PostgreSQL, one executemany on SQLite (the import, restore and the benchmark);
- `insert_rows`: the same for a model, filling the columns not given from
  constants, defaults and now, optionally returning the new primary keys in order;
- `upsert`: INSERT … ON CONFLICT DO UPDATE/NOTHING, the same statement on both
  databases (the statistics rollups);
- `refresh_statistics`: ANALYZE after a bulk load, so the planner knows the
  tables' sizes before the next query reads them.

Table and column names always come from models, never from input.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection as default_connection
from django.utils import timezone

UPSERT_CHUNK = 500


def _quoted(connection, table: str, columns: Sequence[str]) -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(table), ", ".join(quote(column) for column in columns)


def insert_many(cursor, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """INSERT `rows` (values of `columns`, ready for the database) into `table`
    through `cursor` (a Django cursor of the target database). On PostgreSQL COPY,
    psycopg 3's bulk path, several times faster than INSERT statements; elsewhere
    one executemany, which on SQLite beats bulk_create's ~70 rows per statement."""
    connection = cursor.db
    name, names = _quoted(connection, table, columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {name} ({names}) FROM STDIN") as stream:
            for row in rows:
                stream.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    cursor.executemany(
        f"INSERT INTO {name} ({names}) VALUES ({placeholders})",  # noqa: S608 (model names)
        list(rows),
    )


def insert_rows(
    model, columns: list[str], rows: list[tuple], *, returning_ids: bool = False, **constants: Any
) -> list[int]:
    """INSERT `rows` (values of the model fields `columns`, ready for the database)
    with `insert_many`; every other field takes its value from `constants`, its
    default, or now (for auto_now fields). bulk_create builds a model instance and
    compiles every value of every row in Python: with it the service import ran at
    ~4,400 rows/s on SQLite, with executemany at ~12,000.

    With `returning_ids`, returns the new rows' primary keys in order, without
    reading the rows back: PostgreSQL reserves them from the table's sequence
    first; SQLite, which holds the database's one write lock for the whole
    transaction, gives an executemany's rows consecutive ids ending at
    last_insert_rowid()."""
    if not rows:
        return []
    connection = default_connection
    meta = model._meta
    names, fixed = [], []
    now = timezone.now()
    for model_field in meta.concrete_fields:
        if model_field.primary_key or model_field.name in columns:
            continue
        if model_field.name in constants:
            value = constants[model_field.name]
        elif getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            value = now
        else:
            value = model_field.get_default()
        names.append(model_field.column)
        fixed.append(model_field.get_db_prep_save(value, connection))
    names = [meta.get_field(name).column for name in columns] + names
    fixed = tuple(fixed)
    ids: list[int] = []
    with connection.cursor() as cursor:
        if returning_ids and connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(meta.db_table), meta.pk.column, len(rows)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
            names = [meta.pk.column, *names]
            rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
        insert_many(cursor, meta.db_table, names, (row + fixed for row in rows))
        if returning_ids and connection.vendor != "postgresql":
            cursor.execute("SELECT last_insert_rowid()")
            (last,) = cursor.fetchone()
            ids = list(range(last - len(rows) + 1, last + 1))
    return ids


def upsert(model, rows: list[dict], *, conflict: tuple[str, ...], combine: dict[str, str]) -> None:
    """INSERT `rows` (field name -> value) into `model`'s table; where a row with the
    same `conflict` key exists, combine each field of `combine` with the new value
    ("+" adds, "|" sets bits; none: keep the stored row). One statement per 500
    rows; a concurrent insert of the same key cannot fail, it turns into the update."""
    if not rows:
        return
    connection = default_connection
    names = tuple(rows[0])
    fields, head, one, tail = _upsert_sql(
        model, names, tuple(conflict), tuple(combine.items()), connection.vendor
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), UPSERT_CHUNK):
            chunk = rows[start : start + UPSERT_CHUNK]
            params = [
                field.get_db_prep_save(row[name], connection)
                for row in chunk
                for name, field in zip(names, fields, strict=True)
            ]
            cursor.execute(f"{head} {', '.join([one] * len(chunk))} {tail}", params)


def upsert_together(parts: list[tuple]) -> None:
    """Several `upsert`s, each `(model, rows, conflict, combine)`, into different
    tables: on PostgreSQL one statement (all but the last as data-modifying WITH
    queries, which run exactly once each), so a write's rollups cost one round
    trip instead of one per table; elsewhere (SQLite is in-process) one after another."""
    parts = [part for part in parts if part[1]]
    connection = default_connection
    if (
        connection.vendor != "postgresql"
        or len(parts) < 2
        or any(len(rows) > UPSERT_CHUNK for _model, rows, _c, _k in parts)
    ):
        for model, rows, conflict, combine in parts:
            upsert(model, rows, conflict=conflict, combine=combine)
        return
    statements, params = [], []
    for model, rows, conflict, combine in parts:
        names = tuple(rows[0])
        fields, head, one, tail = _upsert_sql(
            model, names, tuple(conflict), tuple(combine.items()), connection.vendor
        )
        statements.append(f"{head} {', '.join([one] * len(rows))} {tail}")
        params += [
            field.get_db_prep_save(row[name], connection)
            for row in rows
            for name, field in zip(names, fields, strict=True)
        ]
    first = ", ".join(f"u{i} AS ({sql})" for i, sql in enumerate(statements[:-1]))
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {first} {statements[-1]}", params)


@functools.cache
def _upsert_sql(model, names: tuple, conflict: tuple, combine: tuple, vendor: str):
    """The parts of `upsert`'s statement, built once per shape (writes are hot)."""
    meta, quote = model._meta, default_connection.ops.quote_name
    fields = [meta.get_field(name) for name in names]
    table, columns = _quoted(default_connection, meta.db_table, [f.column for f in fields])
    target = ", ".join(quote(meta.get_field(name).column) for name in conflict)
    updates = ", ".join(
        "{col} = {table}.{col} {op} excluded.{col}".format(
            col=quote(meta.get_field(name).column), table=table, op=op
        )
        for name, op in combine
    )
    one = "(" + ", ".join(["%s"] * len(names)) + ")"
    action = f"DO UPDATE SET {updates}" if combine else "DO NOTHING"
    head = f"INSERT INTO {table} ({columns}) VALUES"  # noqa: S608 (names from the model)
    return fields, head, one, f"ON CONFLICT ({target}) {action}"


def refresh_statistics(connection=default_connection) -> None:
    """Refresh the planner's statistics after a bulk load, as a server's
    autovacuum (PostgreSQL) or a periodic ANALYZE (SQLite) would later. Without
    them PostgreSQL takes freshly loaded tables for empty and joins them by nested
    loops: the demo's satisfaction rates over 40 stations' survey answers took
    minutes instead of milliseconds. VACUUM cannot run inside a transaction; a
    plain ANALYZE can, and sees the transaction's own rows."""
    in_transaction = connection.in_atomic_block
    statement = "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if in_transaction else statement)
