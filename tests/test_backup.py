"""`shegong backup` / `shegong restore`: a portable archive restored into a second,
empty database (a SQLite file, or a second PostgreSQL database when DATABASE_URL is
PostgreSQL), with every table's row count, the rollups and the encryption kept."""

from __future__ import annotations

import datetime
import gzip
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

import shegong
from shegong.clients import identity
from shegong.clients import services as client_services
from shegong.clients.models import Resident
from tests.delivery_world import casework_note, group, make_delivery, record, session

ID_NUMBER = "44010519800101001" + identity.id_check_char("44010519800101001")


def _counts(cursor, tables) -> dict[str, int]:
    result = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        result[table] = cursor.fetchone()[0]
    return result


@pytest.fixture
def source(world):
    d = make_delivery(world)
    resident = client_services.resident_register(
        actor=world["worker"],
        station=world.station_a,
        name="林秀英",
        gender="female",
        birth_date=datetime.date(1980, 1, 1),
        id_number=ID_NUMBER,
        phone="13800138000",
    )
    record(d, project="key", headcount=40)
    record(d, project="featured", attendees=d.residents[:5], headcount=20)
    grp = group(d, members=12, project="elderly")
    session(d, grp, d.residents[:12])
    session(d, grp, [*d.residents[:9], resident][:10])
    casework_note(d, d.residents[0], domain="youth")
    return resident


@pytest.fixture
def second_database(tmp_path):
    """The DATABASE_URL of a new, empty database, and a DB-API connect() for it."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield f"sqlite:///{path}", lambda: sqlite3.connect(path)
        return
    import psycopg

    params = {
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
    }
    name = f"{connection.settings_dict['NAME']}_restore"[:63]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
    url = f"postgres://{auth}{db['HOST']}:{db['PORT'] or 5432}/{name}"
    yield url, lambda: psycopg.connect(dbname=name, **params)
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _shegong(url: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    src = str(Path(shegong.__file__).resolve().parents[1])
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="shegong.settings",
        SHEGONG_FIELD_KEY=settings.FIELD_ENCRYPTION_KEY,
        PYTHONPATH=os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")])),
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "shegong.manage", *args, "-v0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_backup_restores_into_a_second_empty_database(source, second_database, tmp_path):
    url, connect = second_database
    archive = tmp_path / "shegong.jsonl.gz"
    call_command("backup", str(archive), verbosity=0)

    tables = sorted(set(connection.introspection.table_names()) - {"django_migrations"})
    with connection.cursor() as cursor:
        expected = _counts(cursor, tables)
    assert expected["clients_resident"] == 17
    assert expected["delivery_attendance"] > 0
    assert expected["stats_domainmonth"] > 0
    assert expected["cases_case"] == 1

    migrated = _shegong(url, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    # A row a data migration might seed: replaced, since the database has no users yet.
    seeded = connect()
    seeded.cursor().execute("INSERT INTO auth_group (name) VALUES ('seeded by a migration')")
    seeded.commit()
    seeded.close()
    restored = _shegong(url, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "every table's row count matches" in restored.stdout
    assert "Rollups check: no drift." in restored.stdout
    check = _shegong(url, "rollups", "--check")
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip() == "No drift: the rollups match the raw records."

    target = connect()
    try:
        cursor = target.cursor()
        assert _counts(cursor, tables) == expected
        cursor.execute(
            "SELECT id_number_encrypted, id_number_masked FROM clients_resident WHERE id = %s"
            if connection.vendor == "postgresql"
            else "SELECT id_number_encrypted, id_number_masked FROM clients_resident WHERE id = ?",
            [source.pk],
        )
        ciphertext, masked = cursor.fetchone()
    finally:
        target.close()
    stored = Resident.objects.get(pk=source.pk)
    assert ciphertext == stored.id_number_encrypted
    assert masked == "4401**********" + ID_NUMBER[-4:]
    assert identity.decrypt(ciphertext) == ID_NUMBER

    text = gzip.decompress(archive.read_bytes()).decode()
    assert ID_NUMBER not in text
    assert stored.id_number_encrypted in text

    again = _shegong(url, "restore", str(archive))
    assert again.returncode == 1
    assert "The database is not empty" in again.stderr


def test_restore_refuses_a_database_with_data(source, tmp_path):
    archive = tmp_path / "shegong.jsonl.gz"
    call_command("backup", str(archive), verbosity=0)
    residents = Resident.objects.count()
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(archive), verbosity=0)
    assert Resident.objects.count() == residents


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    bogus = tmp_path / "notes.jsonl.gz"
    bogus.write_bytes(gzip.compress(b'{"hello": 1}\n'))
    with pytest.raises(CommandError, match="not a Shegong backup"):
        call_command("restore", str(bogus), verbosity=0)


def test_backup_writes_no_partial_file_name(source, tmp_path):
    archive = tmp_path / "b.jsonl.gz"
    call_command("backup", str(archive), verbosity=0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.jsonl.gz"]
