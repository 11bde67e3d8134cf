"""Roster import 名单导入 and the monthly reconciliation, with hand-counted files."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from shegong.clients import identity
from shegong.clients.models import Resident
from shegong.rosters.models import RosterEntry, RosterImport
from tests.helpers import register_resident
from tests.roster_helpers import HEADER, communities, csv_file, id_number, load, row

JAN = datetime.date(2026, 1, 1)
FEB = datetime.date(2026, 2, 1)


def january(world):
    """5 特困 persons at 沙园社区 (station A), person 1 also on 低保; person 6 at
    南石头社区 (station B); person 7 at a community not on file."""
    return [
        *[row(n) for n in range(1, 6)],
        row(1, "低保对象"),
        row(6, community="南石头社区"),
        row(7, community="不存在社区"),
    ]


def february(world):
    """1, 2, 3 and 6 stay on 特困, 8 is new, 4, 5 and 7 left; 1 stays on 低保."""
    return [
        *[row(n) for n in (1, 2, 3, 8)],
        row(6, community="南石头社区"),
        row(1, "低保对象"),
    ]


def test_a_first_roster_opens_entries_and_places_persons(world):
    communities(world)
    on_file = register_resident(
        world, "名单人2", id_number=id_number(2), born=datetime.date(1940, 1, 1)
    )
    before = Resident.objects.count()
    result = load(world, january(world))
    assert result.ok, result.errors
    assert (result.new, result.still, result.left, result.not_placed) == (8, 0, 0, 1)
    assert {k: (v.new, v.still, v.left) for k, v in result.by_station.items()} == {
        "沙园街社工站": (6, 0, 0),
        "南石头街社工站": (1, 0, 0),
    }
    # Persons 1, 3, 4, 5 at A and 6 at B are new on file; 2 was on file already.
    assert result.residents_created == 5
    assert Resident.objects.count() == before + 5
    two = RosterEntry.objects.get(id_number_hash=identity.lookup_hash(id_number(2)))
    assert two.resident == on_file and not two.resident_created
    one = Resident.objects.get(id_number_hash=identity.lookup_hash(id_number(1)))
    assert (one.station, one.birth_date, one.gender) == (
        world.station_a,
        datetime.date(1940, 1, 1),
        "male",
    )
    # One resident, on two lists: two entries.
    assert RosterEntry.objects.filter(resident=one).count() == 2
    # Kept under the station's statutory duty, recorded as for any resident.
    assert list(one.consents.values_list("lawful_basis", "recorded_by__username")) == [
        ("statutory_duty", "district")
    ]
    assert not on_file.consents.filter(lawful_basis="statutory_duty").exists()
    unplaced = RosterEntry.objects.get(id_number_hash=identity.lookup_hash(id_number(7)))
    assert (unplaced.station, unplaced.resident) == (None, None)
    # The ID number is kept encrypted, never in clear.
    assert identity.decrypt(unplaced.id_number_encrypted) == id_number(7)
    assert unplaced.id_number_masked == id_number(7)[:4] + "*" * 10 + id_number(7)[-4:]
    record = RosterImport.objects.get()
    assert (record.lawful_basis, record.source, record.district) == (
        "statutory_duty",
        "海珠区民政局",
        world.district,
    )


def test_the_next_month_keeps_the_still_opens_the_new_and_closes_who_left(world):
    communities(world)
    assert load(world, january(world)).ok
    result = load(world, february(world), month=FEB)
    assert result.ok, result.errors
    assert (result.new, result.still, result.left, result.not_placed) == (1, 5, 3, 0)
    assert {k: (v.new, v.still, v.left) for k, v in result.by_station.items()} == {
        "沙园街社工站": (1, 4, 2),
        "南石头街社工站": (0, 1, 0),
    }
    four = RosterEntry.objects.get(id_number_hash=identity.lookup_hash(id_number(4)))
    assert (four.first_month, four.last_month, four.closed_on) == (JAN, JAN, FEB)
    one = RosterEntry.objects.get(
        id_number_hash=identity.lookup_hash(id_number(1)), category__name="特困人员"
    )
    assert (one.first_month, one.last_month, one.closed_on) == (JAN, FEB, None)
    assert RosterEntry.objects.filter(closed_on__isnull=True).count() == 6
    assert RosterEntry.objects.count() == 9  # history kept


def test_a_person_who_comes_back_opens_a_new_entry(world):
    communities(world)
    load(world, [row(1)])
    load(world, [row(2)], month=FEB)
    result = load(world, [row(1), row(2)], month=datetime.date(2026, 3, 1))
    assert (result.new, result.still, result.left) == (1, 1, 0)
    entries = RosterEntry.objects.filter(id_number_hash=identity.lookup_hash(id_number(1)))
    assert sorted((e.first_month.month, e.last_month.month, e.closed_on) for e in entries) == [
        (1, 1, FEB),
        (3, 3, None),
    ]


def test_a_reimport_of_the_same_month_loads_nothing(world):
    communities(world)
    assert load(world, january(world)).ok
    again = load(world, january(world))
    assert not again.ok
    assert {e.message for e in again.errors} == {
        "海珠区2026-01的特困人员名单已导入；不会重复导入。",
        "海珠区2026-01的低保对象名单已导入；不会重复导入。",
    }
    assert RosterEntry.objects.count() == 8
    assert RosterImport.objects.count() == 1


def test_bad_rows_are_reported_row_by_row_and_nothing_is_saved(world):
    communities(world)
    before = Resident.objects.count()
    result = load(
        world,
        [
            row(1),
            row(2, id="440105194001010021"),  # wrong check digit
            row(3, id="12345"),
            row(1),  # the same person twice on 特困
            row(1, "低保对象"),  # but on another list is fine
            row(4, "不存在类别"),
            row(5, district="越秀区", community="北京社区"),
            row(6, list_date="2026/13/40"),
            row(7, name=""),
        ],
    )
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "身份证号"),
        (4, "身份证号"),
        (5, "身份证号"),
        (7, "类别"),
        (8, "区"),
        (9, "名单日期"),
        (10, "姓名"),
    ]
    messages = {e.row: e.message for e in result.errors}
    assert messages[5] == "此人在特困人员名单中重复出现（首次在第 2 行）。"
    assert messages[7] == "未知的名单类别：不存在类别。"
    assert messages[8] == "这是越秀区的名单，不在您的辖区内；不予导入。"
    assert RosterEntry.objects.count() == 0
    assert RosterImport.objects.count() == 0
    assert Resident.objects.count() == before


def test_a_city_officer_imports_any_district_of_the_city(world):
    communities(world)
    result = load(
        world, [row(1), row(5, district="越秀区", community="北京社区")], actor=world["city"]
    )
    assert result.ok, result.errors
    assert {k: v.new for k, v in result.by_station.items()} == {
        "沙园街社工站": 1,
        "北京街社工站": 1,
    }


def test_a_file_without_a_required_column_is_refused(world):
    communities(world)
    header = [h for h in HEADER if h != "类别"]
    cells = [c for h, c in zip(HEADER, row(1), strict=True) if h != "类别"]
    result = load(world, [cells], header=header)
    assert [(e.row, e.column) for e in result.errors] == [(1, "类别")]
    assert RosterEntry.objects.count() == 0


def test_a_truncated_file_is_refused(world):
    communities(world)
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(HEADER)
    for n in range(1, 50):
        workbook.active.append(row(n))
    buffer = io.BytesIO()
    workbook.save(buffer)
    half = io.BytesIO(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    from shegong.rosters import importing

    result = importing.roster_import(
        actor=world["district"], file=half, filename="roster.xlsx", month=JAN, source="民政局"
    )
    assert not result.ok and result.errors[0].row is None
    # A CSV cut in the middle of a row: the row's missing cells are reported.
    text = csv_file([row(1), row(2)]).getvalue()
    lines = text.splitlines()
    last = lines[-1]
    cut = load_bytes(
        world, b"\n".join([*lines[:-1], last[: last.index(b",", last.index(b",") + 1)]])
    )
    assert not cut.ok and {e.row for e in cut.errors} == {3}
    assert RosterEntry.objects.count() == 0


def load_bytes(world, data: bytes):
    from shegong.rosters import importing

    return importing.roster_import(
        actor=world["district"], file=io.BytesIO(data), filename="r.csv", month=JAN, source="民政局"
    )


@pytest.mark.parametrize("who", ["worker", "director", "agency", "evaluator", "admin"])
def test_only_district_and_city_officers_import(world, who):
    communities(world)
    with pytest.raises(PermissionDenied):
        load(world, [row(1)], actor=world[who])


def test_the_command_imports_and_reports(world, tmp_path, capsys):
    communities(world)
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_file(january(world)).getvalue())
    call_command(
        "import_roster", str(path), user="district", month="2026-01", source="海珠区民政局"
    )
    out = capsys.readouterr().out
    assert "8 new, 0 still, 0 left, 1 not placed" in out
    assert "沙园街社工站: 6 new, 0 still, 0 left" in out


def test_a_roster_of_a_future_month_is_refused(world):
    communities(world)
    from tests.helpers import today

    next_month = (today().replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    result = load(world, [row(1)], month=next_month)
    assert [e.message for e in result.errors] == ["名单月份不能晚于本月。"]
    assert RosterEntry.objects.count() == 0
