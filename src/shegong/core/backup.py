"""Engine-neutral backup and restore of the whole database (`shegong backup|restore`).

The archive is one gzip'd JSON-lines stream, so a SQLite backup restores into
PostgreSQL and the other way round:

    {"format": "shegong-backup", "version": 1, "engine": ..., "migrations": [...]}
    {"table": "clients_resident", "model": "clients.resident", "columns": [...]}
    [1, "2026-11-29", ...]                 one JSON array per row, in primary-key order
    {"end": "clients_resident", "rows": 669}
    ...                                    every table, parents before children
    {"manifest": {"clients_resident": 669, ...}, "complete": true}

Rows are read with a chunked iterator inside one read-only snapshot and written as
they come: memory stays flat whatever the size of the city. Stored values are copied
as stored: the encrypted ID numbers (clients.identity) stay ciphertext; the archive
never holds a plaintext ID number, and restoring it needs the same SHEGONG_FIELD_KEY.

Restore loads into an empty, migrated database (same migrations as the backup) in one
transaction, resets PostgreSQL's sequences, then checks every table's row count
against the manifest; the caller then runs the checks the domain apps registered
(`register_restore_check`: the statistics rollups, from the stats app).
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import decimal
import gzip
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model
from django.utils import timezone

from shegong.core import bulk

FORMAT = "shegong-backup"
VERSION = 1
CHUNK = 2000
# Filled by `migrate` itself; a restore replaces their rows with the backup's so that
# the content-type ids that other rows point to stay right. Rows that data migrations
# seed elsewhere are replaced the same way: a database counts as empty while it has
# no user account (every real record is made by one).
MIGRATE_FILLED = {"django_content_type", "auth_permission"}


class BackupError(Exception):
    """A backup cannot be restored here; the message says why and what to do."""


@dataclass
class RestoreResult:
    tables: dict[str, int] = field(default_factory=dict)
    mismatches: list[tuple[str, int, int]] = field(default_factory=list)


# Checks of derived data run after a restore, registered by the apps that own it
# (core knows no domain): each returns (passed, sentence); by name, so registering
# twice keeps one.
_restore_checks: dict[str, Callable[[], tuple[bool, str]]] = {}


def register_restore_check(name: str, check: Callable[[], tuple[bool, str]]) -> None:
    _restore_checks[name] = check


def restore_checks() -> list[Callable[[], tuple[bool, str]]]:
    return list(_restore_checks.values())


def models_in_order() -> list[type[Model]]:
    """Every concrete, managed model (many-to-many tables too), parents first."""
    candidates: dict[str, type[Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in candidates:
            continue
        candidates[meta.db_table] = model
    depends = {
        table: {
            f.remote_field.model._meta.concrete_model._meta.db_table
            for f in model._meta.concrete_fields
            if f.is_relation and f.remote_field and f.remote_field.model
        }
        - {table}
        for table, model in candidates.items()
    }
    ordered: list[type[Model]] = []
    done: set[str] = set()
    pending = sorted(candidates)
    while pending:
        ready = [t for t in pending if depends[t] <= done or not (depends[t] & set(pending))]
        if not ready:  # a cycle: foreign keys are deferred, so any order loads
            ready = pending[:1]
        for table in ready:
            ordered.append(candidates[table])
            done.add(table)
        pending = [t for t in pending if t not in done]
    return ordered


def _columns(model: type[Model]) -> list:
    return list(model._meta.concrete_fields)


def _encode(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | memoryview):
        return {"b64": base64.b64encode(bytes(value)).decode()}
    raise TypeError(f"cannot archive a {type(value).__name__}")


def _decode(model_field, value):
    if value is None:
        return None
    internal = model_field.get_internal_type()
    if internal == "BinaryField" and isinstance(value, dict):
        return base64.b64decode(value["b64"])
    if internal == "DurationField":
        return datetime.timedelta(seconds=value)
    if internal == "JSONField":
        return value
    return model_field.to_python(value)


def applied_migrations(alias: str) -> list[list[str]]:
    recorder = MigrationRecorder(connections[alias])
    return sorted([app, name] for app, name in recorder.applied_migrations())


@contextlib.contextmanager
def _snapshot(alias: str):
    """One consistent read of every table, without blocking writers."""
    connection = connections[alias]
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic(using=alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    elif connection.vendor == "sqlite" and not connection.in_atomic_block:
        # Django opens SQLite transactions IMMEDIATE (a write lock); a backup only
        # needs WAL's read snapshot, so it starts a DEFERRED one by hand.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
    else:
        yield


def backup(path, *, alias: str = DEFAULT_DB_ALIAS, progress: Callable | None = None):
    """Write the whole database to `path` (gzip'd JSON lines); return the row counts."""
    connection = connections[alias]
    manifest: dict[str, int] = {}
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=6) as out:

        def line(obj):
            out.write(json.dumps(obj, ensure_ascii=False, default=_encode, separators=(",", ":")))
            out.write("\n")

        with _snapshot(alias):
            line(
                {
                    "format": FORMAT,
                    "version": VERSION,
                    "engine": connection.vendor,
                    "created_at": timezone.now().isoformat(),
                    "migrations": applied_migrations(alias),
                }
            )
            for model in models_in_order():
                meta = model._meta
                fields = _columns(model)
                line(
                    {
                        "table": meta.db_table,
                        "model": meta.label_lower,
                        "columns": [f.column for f in fields],
                    }
                )
                rows = (
                    model._base_manager.using(alias)
                    .order_by(meta.pk.attname)
                    .values_list(*[f.attname for f in fields])
                    .iterator(chunk_size=CHUNK)
                )
                count = 0
                for row in rows:
                    line(list(row))
                    count += 1
                    if progress and count % CHUNK == 0:
                        progress(CHUNK)
                if progress:
                    progress(count % CHUNK)
                line({"end": meta.db_table, "rows": count})
                manifest[meta.db_table] = count
        line({"manifest": manifest, "complete": True})
    return manifest


def _lines(path) -> Iterator:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for raw in handle:
            yield json.loads(raw)


def read_header(path) -> dict:
    try:
        header = next(_lines(path))
    except (OSError, EOFError, ValueError, StopIteration) as error:
        raise BackupError(f"not a readable Shegong backup: {error}") from error
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError("not a Shegong backup (no shegong-backup header)")
    if header.get("version") != VERSION:
        raise BackupError(f"backup format version {header.get('version')} is not supported")
    return header


def non_empty_tables(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    return [
        m._meta.db_table
        for m in models_in_order()
        if m._meta.db_table not in MIGRATE_FILLED and m._base_manager.using(alias).exists()
    ]


def in_use(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The tables with rows, if the database is in use (has a user account); else []."""
    if not get_user_model()._base_manager.using(alias).exists():
        return []
    return non_empty_tables(alias)


def count_rows(alias: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    return {m._meta.db_table: m._base_manager.using(alias).count() for m in models_in_order()}


def restore(path, *, alias: str = DEFAULT_DB_ALIAS, progress: Callable | None = None):
    """Load `path` into the empty, migrated database `alias`; all or nothing."""
    header = read_header(path)
    connection = connections[alias]
    here = applied_migrations(alias)
    if header["migrations"] != here:
        theirs = {tuple(m) for m in header["migrations"]}
        ours = {tuple(m) for m in here}
        missing = sorted(theirs - ours)[:5]
        extra = sorted(ours - theirs)[:5]
        raise BackupError(
            "The database's migrations differ from the backup's "
            f"(not applied here: {missing or '-'}; applied only here: {extra or '-'}). "
            "Restore with the same version of Shegong that made the backup, "
            "on a database migrated with it."
        )
    busy = in_use(alias)
    if busy:
        raise BackupError(
            f"The database is not empty ({len(busy)} tables have rows, e.g. {busy[0]}). "
            "Restore only into a new, migrated, empty database."
        )
    by_table = {m._meta.db_table: m for m in models_in_order()}
    quote = connection.ops.quote_name
    result = RestoreResult()
    manifest = None
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        for table in [*MIGRATE_FILLED, *non_empty_tables(alias)]:  # what migrate wrote
            cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 - known table names
        lines = _lines(path)
        next(lines)  # the header
        model = fields = columns = None
        batch: list[list] = []
        loaded = 0

        def flush():
            nonlocal loaded
            if batch:
                bulk.insert_many(cursor, model._meta.db_table, columns, batch)
                loaded += len(batch)
                if progress:
                    progress(len(batch))
                batch.clear()

        for item in lines:
            if isinstance(item, list):
                if model is None:
                    raise BackupError("damaged backup: a row outside any table")
                batch.append(
                    [
                        f.get_db_prep_save(_decode(f, v), connection)
                        for f, v in zip(fields, item, strict=True)
                    ]
                )
                if len(batch) >= CHUNK:
                    flush()
            elif "table" in item:
                model = by_table.get(item["table"])
                if model is None:
                    raise BackupError(f"the backup has a table this version lacks: {item['table']}")
                by_column = {f.column: f for f in _columns(model)}
                if set(item["columns"]) != set(by_column):
                    raise BackupError(f"the columns of {item['table']} differ from the backup's")
                columns = item["columns"]
                fields = [by_column[c] for c in columns]
                loaded = 0
            elif "end" in item:
                flush()
                if loaded != item["rows"]:
                    raise BackupError(f"damaged backup: {item['end']} has {loaded} rows")
                model = None
            elif "manifest" in item:
                manifest = item["manifest"]
        if manifest is None or model is not None:
            raise BackupError("incomplete backup: it ends before its manifest")
        models = [by_table[t] for t in manifest]
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
        result.tables = count_rows(alias)
        result.mismatches = [
            (t, expected, result.tables.get(t, 0))
            for t, expected in manifest.items()
            if result.tables.get(t, 0) != expected
        ]
        if result.mismatches:
            raise BackupError(f"row counts differ from the manifest: {result.mismatches[:5]}")
    return result
