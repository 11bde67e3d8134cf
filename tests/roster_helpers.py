"""Roster files and places for the roster tests (tests/test_rosters_*.py)."""

from __future__ import annotations

import csv
import datetime
import io

from shegong.clients.identity import id_check_char
from shegong.org.models import Community
from shegong.rosters import importing

HEADER = [
    "身份证号",
    "姓名",
    "类别",
    "区",
    "街道",
    "社区",
    "地址",
    "有效期起",
    "有效期止",
    "来源部门",
    "名单日期",
]


def id_number(n: int, born: str = "19400101") -> str:
    """A valid ID number (海珠区, born `born`), different for each `n`; an odd
    sequence digit is a man."""
    first17 = f"440105{born}{n:03d}"
    return first17 + id_check_char(first17)


def row(n: int, category: str = "特困人员", community: str = "沙园社区", **cells) -> list[str]:
    values = {
        "身份证号": cells.pop("id", id_number(n)),
        "姓名": cells.pop("name", f"名单人{n}"),
        "类别": category,
        "区": cells.pop("district", "海珠区"),
        "街道": cells.pop("street", ""),
        "社区": community,
        "地址": cells.pop("address", f"沙园路{n}号"),
        "有效期起": "2026-01-01",
        "有效期止": "",
        "来源部门": "海珠区民政局",
        "名单日期": cells.pop("list_date", "2026-01-05"),
    }
    return [values[h] for h in HEADER]


def csv_file(rows: list[list[str]], header: list[str] = HEADER) -> io.BytesIO:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return io.BytesIO(text.getvalue().encode("utf-8"))


def communities(world) -> dict[str, Community]:
    """One community in each street of the world: 沙园社区 (station A), 南石头社区
    (station B), 北京社区 (station C, the other district)."""
    return {
        "沙园社区": Community.objects.create(street=world.street_a, name="沙园社区"),
        "南石头社区": Community.objects.create(street=world.station_b.street, name="南石头社区"),
        "北京社区": Community.objects.create(street=world.street_c, name="北京社区"),
    }


def load(world, rows, *, month=datetime.date(2026, 1, 1), actor=None, **options):
    return importing.roster_import(
        actor=actor or world["district"],
        file=csv_file(rows, **options),
        filename="roster.csv",
        month=month,
        source="海珠区民政局",
    )
