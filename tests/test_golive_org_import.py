"""Organisation import: the Guangzhou workbook into an empty production server,
bad workbooks refused with row messages and nothing saved, re-import by code."""

from __future__ import annotations

import datetime
import io
import subprocess
import sys
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook

from shegong.accounts.models import User
from shegong.core.models import AuditEntry
from shegong.core.roles import Role
from shegong.golive.models import OrgUnitRecord
from shegong.golive.org_import import SHEETS, export_workbook, org_import
from shegong.org.models import (
    Agency,
    City,
    Community,
    Contract,
    District,
    ServicePoint,
    SpecialProject,
    Station,
    Street,
)
from tests.conftest import PASSWORD, make_user
from tests.test_hardening import production_env

ORG_MODELS = (
    District,
    Street,
    Community,
    Agency,
    Station,
    ServicePoint,
    SpecialProject,
    Contract,
)
CREDIT_A = "52440100MJ0000001X"
CREDIT_B = "52440100MJ0000002X"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _headers(title: str) -> list[str]:
    return next(sheet.headers for sheet in SHEETS if sheet.title == title)


def workbook(sheets: dict[str, list[list]]) -> io.BytesIO:
    """A workbook with the template's headers and these rows per sheet title."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        ws.append(_headers(title))
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def small_city() -> dict[str, list[list]]:
    return {
        "区": [["440105", "海珠区"], ["440104", "越秀区"]],
        "街道镇": [
            ["440105010000", "沙园街", "440105", "街道"],
            ["440105011000", "南石头街", "440105", ""],
            ["440104002000", "北京街", "440104", "街道"],
        ],
        "社区": [["440105010001", "沙园社区", "440105010000"]],
        "社工机构": [
            [CREDIT_A, "广州市同心社会工作服务中心", "020-80001000", ""],
            [CREDIT_B, "广州市启创社会工作服务中心", "", ""],
        ],
        "社工站": [
            ["haizhu-10", "沙园街社工站", "440105", "440105010000", CREDIT_A, "", "", "2012-03-01"],
            ["haizhu-11", "南石头街社工站", "440105", "440105011000", CREDIT_A, "", "", ""],
            ["yuexiu-02", "北京街社工站", "440104", "440104002000", CREDIT_B, "", "", ""],
        ],
        "社工点": [["haizhu-10-01", "沙园社区社工点", "haizhu-10", "440105010001", "2023-06-01"]],
        "专项": [["GZ-ZX-01", "广州市禁毒社会工作服务项目", CREDIT_B, "特色", ""]],
        "合同": [
            [
                "GZ-2025-haizhu-10-B",
                "广州市海珠区沙园街道办事处",
                CREDIT_A,
                "haizhu-10",
                "",
                "2025-07-01",
                "2028-06-30",
                "6600000",
            ],
            [
                "GZ-2025-ZX-01",
                "广州市民政局",
                CREDIT_B,
                "",
                "GZ-ZX-01",
                "2025-01-01",
                "2027-12-31",
                "1500000.00",
            ],
        ],
    }


@pytest.fixture
def admin(db):
    City.objects.create(name="广州市", code="440100")
    user = make_user("gz-admin", Role.ADMIN)
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ORG_MODELS}


def _run(admin, sheets, **options):
    return org_import(actor=admin, city=City.objects.get(), file=workbook(sheets), **options)


def _messages(result) -> list[tuple[str, int | None, str, str]]:
    return [(e.sheet, e.row, e.column, e.message) for e in result.errors]


# --- The Guangzhou workbook on a production server --------------------------------------


def test_production_server_refuses_the_demo_and_loads_the_guangzhou_workbook(db, tmp_path):
    call_command(
        "demo_city", residents_per_station=0, showcase_residents=0, scale="none", stdout=StringIO()
    )
    path = tmp_path / "guangzhou-org.xlsx"
    export_workbook(City.objects.get(), path)

    env = production_env(tmp_path)
    env.update(SHEGONG_ADMIN_PASSWORD="Lingnan-river-2031")
    django = [sys.executable, "-m", "django"]
    run = {"env": env, "capture_output": True, "text": True, "timeout": 600}
    migrate = subprocess.run([*django, "migrate", "-v0"], **run)  # noqa: S603
    assert migrate.returncode == 0, migrate.stderr
    count = (
        "from shegong.org.models import *; from shegong.accounts.models import User;"
        "from shegong.core.models import AuditEntry;"
        "print(District.objects.count(), Street.objects.count(), Station.objects.count(),"
        " Agency.objects.count(), SpecialProject.objects.count(), Contract.objects.count(),"
        " User.objects.count(), AuditEntry.objects.count())"
    )
    # The demo refuses, with a non-zero exit, and leaves the database as it was.
    demo = subprocess.run([*django, "demo_city", "--scale", "none"], **run)  # noqa: S603
    assert demo.returncode == 1
    assert "SHEGONG_ENV=production" in demo.stderr
    counts = subprocess.run([*django, "shell", "-c", count], **run)  # noqa: S603
    assert counts.stdout.split()[-8:] == ["0"] * 8, counts.stderr

    for command in (
        [
            "setup_city",
            "--noinput",
            "--city-name",
            "广州市",
            "--city-code",
            "440100",
            "--username",
            "gz-admin",
        ],
        ["import_org", str(path), "--user", "gz-admin", "-v0"],
    ):
        done = subprocess.run([*django, *command], **run)  # noqa: S603
        assert done.returncode == 0, done.stdout + done.stderr
    assert "社工站: 188 rows, 188 created" in done.stdout
    counts = subprocess.run([*django, "shell", "-c", count], **run)  # noqa: S603
    assert counts.stdout.split()[-8:-1] == ["11", "176", "188", "40", "15", "391", "1"], (
        counts.stderr
    )


# --- A small city, row by row ------------------------------------------------------------


def test_small_city_loads_every_level(admin):
    result = _run(admin, small_city())
    assert result.ok, result.errors
    assert _counts() == {
        "District": 2,
        "Street": 3,
        "Community": 1,
        "Agency": 2,
        "Station": 3,
        "ServicePoint": 1,
        "SpecialProject": 1,
        "Contract": 2,
    }
    station = Station.objects.get(code="haizhu-10")
    point = ServicePoint.objects.get(code="haizhu-10-01")
    assert (point.station, point.community.name, point.opened_on) == (
        station,
        "沙园社区",
        datetime.date(2023, 6, 1),
    )
    assert (station.street.name, station.agency.credit_code, station.opened_on) == (
        "沙园街",
        CREDIT_A,
        datetime.date(2012, 3, 1),
    )
    assert Street.objects.get(name="南石头街").kind == Street.Kind.STREET
    assert SpecialProject.objects.get().domain == "featured"
    assert str(Contract.objects.get(code="GZ-2025-haizhu-10-B").amount) == "6600000.00"
    assert OrgUnitRecord.objects.filter(kind="street").count() == 3
    entry = AuditEntry.objects.get(action="import", object_type="org.organisation")
    assert entry.detail["sheets"]["station"]["created"] == 3


def test_reimport_changes_nothing(admin):
    _run(admin, small_city())
    result = _run(admin, small_city())
    assert result.ok
    assert {kind: (c.created, c.updated, c.unchanged) for kind, c in result.sheets.items()} == {
        "district": (0, 0, 2),
        "street": (0, 0, 3),
        "community": (0, 0, 1),
        "agency": (0, 0, 2),
        "station": (0, 0, 3),
        "service_point": (0, 0, 1),
        "special_project": (0, 0, 1),
        "contract": (0, 0, 2),
    }
    assert result.missing == []


def test_reimport_updates_by_code(admin):
    _run(admin, small_city())
    sheets = small_city()
    sheets["社工站"][0][1] = "沙园街家庭综合服务中心"
    sheets["街道镇"][0][1] = "沙园街道"
    result = _run(admin, sheets)
    assert result.ok
    assert (result.sheets["station"].updated, result.sheets["street"].updated) == (1, 1)
    assert Station.objects.get(code="haizhu-10").name == "沙园街家庭综合服务中心"
    assert Street.objects.filter(name="沙园街道").count() == 1
    assert _counts()["Street"] == 3


def test_missing_units_are_listed_and_deactivated_only_when_confirmed(admin):
    _run(admin, small_city())
    sheets = small_city()
    del sheets["社工站"][1]  # haizhu-11
    result = _run(admin, sheets)
    assert result.ok
    assert [(m.kind, m.code) for m in result.missing] == [("station", "haizhu-11")]
    assert Station.objects.get(code="haizhu-11").is_active
    assert result.deactivated == 0

    result = _run(admin, sheets, deactivate_missing=True)
    assert result.deactivated == 1
    station = Station.objects.get(code="haizhu-11")
    assert not station.is_active
    record = OrgUnitRecord.objects.get(kind="station", object_id=station.pk)
    assert record.deactivated_on == timezone.localdate()
    assert _counts()["Station"] == 3  # never deleted

    # Listed again, it is active again.
    result = _run(admin, small_city())
    assert Station.objects.get(code="haizhu-11").is_active
    assert OrgUnitRecord.objects.get(kind="station", object_id=station.pk).deactivated_on is None


def test_a_sheet_left_out_lists_nothing_as_missing(admin):
    _run(admin, small_city())
    result = _run(admin, {"区": small_city()["区"]})
    assert result.ok and result.missing == []


# --- Bad workbooks: row messages, nothing saved -----------------------------------------


def test_unknown_division_codes_are_refused(admin):
    sheets = small_city()
    sheets["区"].append(["990101", "外市区"])
    sheets["街道镇"].append(["440199001000", "无名街", "440199", ""])
    sheets["社区"].append(["4401050100", "短码社区", "440105010000"])
    result = _run(admin, sheets)
    assert not result.ok
    messages = _messages(result)
    assert ("区", 4, "区划代码", "Division code 990101 is not a district of 广州市.") in messages
    assert (
        "社区",
        3,
        "区划代码",
        "4401050100 is not a 12-digit statistical division code.",
    ) in messages
    assert _counts() == dict.fromkeys(_counts(), 0)
    assert OrgUnitRecord.objects.count() == 0


def test_a_street_code_of_an_unknown_district_is_refused(admin):
    sheets = small_city()
    sheets["街道镇"].append(["440199001000", "无名街", "440199", ""])
    result = _run(admin, sheets)
    assert (
        "街道镇",
        5,
        "所属区代码",
        "No district with code 440199, in this workbook or on file.",
    ) in _messages(result)
    assert _counts()["District"] == 0


def test_a_station_under_a_street_of_another_district_is_refused(admin):
    sheets = small_city()
    sheets["社工站"][2][3] = "440105010000"  # 北京街社工站 (越秀) put under 沙园街 (海珠)
    result = _run(admin, sheets)
    assert _messages(result) == [
        (
            "社工站",
            4,
            "所属街道代码",
            "Street 440105010000 belongs to 海珠区, not to district 440104.",
        )
    ]
    assert _counts() == dict.fromkeys(_counts(), 0)


def test_a_service_point_of_an_unknown_station_or_another_street_is_refused(admin):
    sheets = small_city()
    sheets["社工点"] = [
        ["haizhu-10-01", "沙园社区社工点", "haizhu-99", "440105010001", ""],
        ["haizhu-11-01", "南石头社工点", "haizhu-11", "440105010001", ""],
    ]
    result = _run(admin, sheets)
    assert _messages(result) == [
        (
            "社工点",
            2,
            "社工站编码",
            "No station with code haizhu-99, in this workbook or on file.",
        ),
        (
            "社工点",
            3,
            "所在社区代码",
            "The community is not in the station's street or town.",
        ),
    ]
    assert _counts()["ServicePoint"] == _counts()["Station"] == 0


def test_a_service_point_left_out_is_deactivated_when_confirmed(admin):
    _run(admin, small_city())
    sheets = small_city()
    sheets["社工点"] = []
    result = _run(admin, sheets, deactivate_missing=True)
    assert [(m.kind, m.code) for m in result.missing] == [("service_point", "haizhu-10-01")]
    assert not ServicePoint.objects.get(code="haizhu-10-01").is_active


def test_a_duplicate_code_is_refused(admin):
    sheets = small_city()
    sheets["社工站"].append(
        ["haizhu-10", "沙园街第二社工站", "440105", "440105010000", CREDIT_A, "", "", ""]
    )
    result = _run(admin, sheets)
    assert _messages(result) == [
        ("社工站", 5, "站点编码", "Code haizhu-10 appears twice in the sheet (also row 2).")
    ]
    assert _counts() == dict.fromkeys(_counts(), 0)


def test_formulas_and_model_rules_are_row_messages(admin):
    sheets = small_city()
    sheets["社工站"][0][5] = '=HYPERLINK("http://evil.example","地址")'
    sheets["合同"][0][6] = "2024-01-01"  # ends before it starts
    sheets["专项"][0][3] = "体育"
    result = _run(admin, sheets)
    messages = _messages(result)
    assert ("社工站", 2, "地址", "The cell holds a formula; type the value itself.") in messages
    assert _counts() == dict.fromkeys(_counts(), 0)

    sheets = small_city()
    sheets["合同"][0][6] = "2024-01-01"
    sheets["专项"][0][3] = "体育"
    messages = _messages(_run(admin, sheets))
    assert ("专项", 2, "领域", messages[0][3]) in messages and "Unknown domain 体育" in messages[0][
        3
    ]
    assert ("合同", 2, "", "A contract must end after it starts.") in messages
    assert _counts() == dict.fromkeys(_counts(), 0)


def test_a_file_that_is_not_a_workbook_is_refused(admin):
    result = org_import(actor=admin, city=City.objects.get(), file=io.BytesIO(b"name,code\n"))
    assert _messages(result) == [
        ("", None, "", "The file cannot be read as an Excel workbook (.xlsx).")
    ]


def test_only_administrators_import_the_organisation(admin):
    city = City.objects.get()
    officer = make_user("city-officer", Role.CITY_OFFICER, city=city)
    with pytest.raises(PermissionDenied):
        org_import(actor=officer, city=city, file=workbook(small_city()))
    assert _counts() == dict.fromkeys(_counts(), 0)


# --- The command and the page --------------------------------------------------------------


def test_import_org_command_reports_rows_and_fails_on_problems(admin, tmp_path):
    path = tmp_path / "org.xlsx"
    sheets = small_city()
    sheets["社工站"].append(["haizhu-10", "重复站", "440105", "440105010000", "", "", "", ""])
    path.write_bytes(workbook(sheets).getvalue())
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command(
            "import_org",
            str(path),
            "--user",
            "gz-admin",
            stdout=StringIO(),
            stderr=err,
            verbosity=0,
        )
    assert "社工站 row 5 [站点编码]: Code haizhu-10 appears twice" in err.getvalue()
    path.write_bytes(workbook(small_city()).getvalue())
    out = StringIO()
    call_command("import_org", str(path), "--user", "gz-admin", stdout=out, verbosity=0)
    assert "社工站: 3 rows, 3 created, 0 updated, 0 unchanged" in out.getvalue()


def test_export_then_import_round_trips(admin, tmp_path):
    _run(admin, small_city())
    path = tmp_path / "export.xlsx"
    call_command("export_org", str(path), stdout=StringIO())
    with path.open("rb") as handle:
        result = org_import(actor=admin, city=City.objects.get(), file=handle)
    assert result.ok
    assert sum(c.unchanged for c in result.sheets.values()) == 15
    assert sum(c.created + c.updated for c in result.sheets.values()) == 0


def test_the_page_imports_a_workbook_and_shows_the_counts(admin, client):
    client.force_login(admin)
    upload = workbook(small_city())
    upload.name = "org.xlsx"
    response = client.post(
        reverse("golive:org-import"), {"city": City.objects.get().pk, "file": upload}
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "社工站" in page.content.decode()
    assert _counts()["Station"] == 3


def test_the_page_shows_row_problems_and_offers_the_report(admin, client):
    client.force_login(admin)
    sheets = small_city()
    sheets["社工站"][2][3] = "440105010000"
    upload = workbook(sheets)
    upload.name = "org.xlsx"
    response = client.post(
        reverse("golive:org-import"), {"city": City.objects.get().pk, "file": upload}, follow=True
    )
    assert "属于海珠区" in response.content.decode()
    report = client.get(reverse("golive:org-import-report", args=["xlsx"]))
    assert report.status_code == 200
    assert report["Content-Type"].startswith("application/vnd.openxmlformats")
    assert _counts()["Station"] == 0


def test_the_template_has_every_sheet(admin, client):
    from openpyxl import load_workbook

    client.force_login(admin)
    response = client.get(reverse("golive:org-template"))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "区",
        "街道镇",
        "社区",
        "社工机构",
        "社工站",
        "社工点",
        "专项",
        "合同",
    ]
    assert [c.value for c in book["社工站"][1]] == _headers("社工站")


def test_a_non_administrator_cannot_open_the_page(admin, client):
    officer = User.objects.create_user(
        "officer", password=PASSWORD, role=Role.CITY_OFFICER, city=City.objects.get()
    )
    client.force_login(officer)
    assert client.get(reverse("golive:org-import")).status_code == 403
