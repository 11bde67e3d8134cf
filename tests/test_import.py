"""Bulk import of service records: all or nothing, a row-by-row report, idempotent
re-import, the same rules as the service, CSV and XLSX, the web pages and the command."""

from __future__ import annotations

import contextlib
import csv
import datetime
import io

import openpyxl
import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import base, call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from django.utils import timezone, translation

from shegong.clients import identity
from shegong.clients import services as clients
from shegong.core.models import Job
from shegong.delivery import importing, services
from shegong.delivery.importing import RowError, service_events_import
from shegong.delivery.management.commands.import_services import Command
from shegong.delivery.models import Attendance, ServiceEvent
from shegong.plans import services as plans
from tests.helpers import xlsx_table

TODAY = timezone.localdate()
# Last year's plan: every date of it is in the past, whatever today is.
YEAR = TODAY.year - 1
HEADER = ["记录编号", "日期", "项目", "服务类型", "名称", "参与居民", "人数", "社工"]


def id_number(birth: str, serial: str) -> str:
    first17 = "440105" + birth + serial
    return first17 + identity.id_check_char(first17)


ID_CHEN = id_number("19410601", "011")
ID_LI = id_number("19450302", "022")
ID_WANG = id_number("19520715", "031")
ID_NOBODY = id_number("19600101", "045")
ID_AT_B = id_number("19480909", "053")


def masked(number: str) -> str:
    return identity.mask_id_number(number)


@pytest.fixture
def station(world):
    """Station A's plan for YEAR (1 core, 1 key, 3 basic, 1 featured) and three
    residents; a resident of station B."""
    director = world["director"]
    plan = plans.plan_create(actor=director, station=world.station_a, year=YEAR)
    for kind, domain, name in [
        ("core", "featured", "党建引领"),
        ("key", "featured", "邻里互助"),
        ("basic", "family", "家庭服务"),
        ("basic", "elderly", "长者服务"),
        ("basic", "youth", "青少年服务"),
        ("featured", "featured", "长者安全联盟"),
    ]:
        plans.project_add(actor=director, plan=plan, kind=kind, domain=domain, name=name)
    worker = world["worker"]
    for name, number in [("陈伯", ID_CHEN), ("李婆婆", ID_LI), ("王姨", ID_WANG)]:
        clients.resident_register(
            actor=worker,
            station=world.station_a,
            name=name,
            gender="female",
            birth_date=identity.id_birth_date(number),
            id_number=number,
        )
    clients.resident_register(
        actor=world["director_b"],
        station=world.station_b,
        name="赵叔",
        gender="male",
        birth_date=identity.id_birth_date(ID_AT_B),
        id_number=ID_AT_B,
    )
    world.plan = plan
    return world


def valid_rows() -> list[list]:
    """Five events: 2 + (1 + 30) + 1 + 1 + 12 = 47 person-times."""
    return [
        [
            "R-001",
            f"{YEAR}-03-05",
            "长者服务",
            "小组",
            "长者健康小组 第1节",
            f"{ID_CHEN};{ID_LI}",
            "",
            "",
        ],
        ["R-002", f"{YEAR}-04-10", "家庭服务", "社区活动", "亲子游园会", ID_WANG, "30", ""],
        ["R-003", f"{YEAR}-05-06", "长者服务", "探访", "独居长者探访", ID_CHEN, "", "worker"],
        ["R-004", f"{YEAR}-06-01", "青少年服务", "咨询", "学业咨询", ID_LI, "", ""],
        [
            "R-005",
            f"{YEAR}-07-01",
            "长者服务",
            "餐前活动",
            "餐前健康操",
            "",
            "12",
            "worker;director",
        ],
    ]


def csv_file(rows: list[list], header: list[str] = HEADER, bom: bool = True) -> io.BytesIO:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return io.BytesIO((("\ufeff" if bom else "") + text.getvalue()).encode("utf-8"))


def xlsx_file(rows: list[list], header: list[str] = HEADER) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        cells = list(row)
        # As Excel keeps them: dates as dates, numbers as numbers.
        with contextlib.suppress(ValueError):
            cells[1] = datetime.date.fromisoformat(cells[1])
        if cells[6] and cells[6].lstrip("-").isdigit():
            cells[6] = int(cells[6])
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def run_import(world, file, filename="services.csv", actor="worker", year=YEAR):
    with translation.override("en"):
        return service_events_import(actor=world[actor], file=file, filename=filename, year=year)


# --- Loading --------------------------------------------------------------------------


def test_a_valid_csv_loads_every_row_with_its_person_times(station):
    result = run_import(station, csv_file(valid_rows()))

    assert result.ok, result.errors
    assert (result.rows, result.loaded_events, result.loaded_person_times) == (5, 5, 47)
    assert result.already_loaded == 0
    events = {e.import_key: e for e in ServiceEvent.objects.filter(station=station.station_a)}
    assert {k: e.person_times for k, e in events.items()} == {
        "R-001": 2,
        "R-002": 31,
        "R-003": 1,
        "R-004": 1,
        "R-005": 12,
    }
    assert {k: e.kind for k, e in events.items()} == {
        "R-001": "group_session",
        "R-002": "activity",
        "R-003": "home_visit",
        "R-004": "consultation",
        "R-005": "meal_activity",
    }
    assert events["R-002"].headcount == 30
    assert events["R-002"].domain == "family"
    assert events["R-004"].domain == "youth"
    assert events["R-001"].held_on == datetime.date(YEAR, 3, 5)
    assert events["R-001"].created_by == station["worker"]
    assert Attendance.objects.filter(event__station=station.station_a).count() == 5
    assert set(events["R-001"].attendances.values_list("resident__name", flat=True)) == {
        "陈伯",
        "李婆婆",
    }
    # Workers: the importing user unless the row names them.
    assert list(events["R-002"].workers.values_list("username", flat=True)) == ["worker"]
    assert set(events["R-005"].workers.values_list("username", flat=True)) == {
        "worker",
        "director",
    }
    # Domains add up to the total.
    by_domain = dict(
        ServiceEvent.objects.values_list("domain").annotate(n=Sum("person_times")).order_by()
    )
    assert by_domain == {"elderly": 15, "family": 31, "youth": 1}


def test_person_times_are_those_the_service_would_count(station):
    """The same events recorded one by one through the service give the same figures."""
    run_import(station, csv_file(valid_rows()))
    imported = sorted(ServiceEvent.objects.values_list("import_key", "person_times"))
    ServiceEvent.workers.through.objects.all().delete()
    Attendance.objects.all().delete()
    ServiceEvent.objects.all().delete()
    projects = {p.name: p for p in station.plan.projects.all()}
    residents = {r.id_number_hash: r for r in station.station_a.residents.all()}
    for key, day, project, kind, title, ids, headcount, _workers in valid_rows():
        services.service_event_record(
            actor=station["worker"],
            project=projects[project],
            kind=importing.KIND_WORDS[kind],
            held_on=datetime.date.fromisoformat(day),
            title=title,
            attendees=[residents[identity.lookup_hash(n)] for n in ids.split(";") if n],
            headcount=int(headcount or 0),
            import_key=key,
        )
    assert sorted(ServiceEvent.objects.values_list("import_key", "person_times")) == imported


def test_the_same_file_again_loads_nothing_and_counts_rows_already_loaded(station):
    run_import(station, csv_file(valid_rows()))

    again = run_import(station, csv_file(valid_rows()))

    assert again.ok
    assert (again.loaded_events, again.loaded_person_times, again.already_loaded) == (0, 0, 5)
    assert ServiceEvent.objects.count() == 5
    assert Attendance.objects.count() == 5


def test_a_file_with_new_rows_after_old_ones_loads_only_the_new(station):
    run_import(station, csv_file(valid_rows()[:3]))

    result = run_import(station, csv_file(valid_rows()))

    assert (result.loaded_events, result.loaded_person_times, result.already_loaded) == (2, 13, 3)
    assert ServiceEvent.objects.count() == 5


def test_a_csv_without_bom_and_with_english_headers_loads(station):
    header = ["Record ID", "date", "Project", "kind", "title", "residents", "headcount", "workers"]
    result = run_import(station, csv_file(valid_rows(), header=header, bom=False))
    assert (result.loaded_events, result.loaded_person_times) == (5, 47)


def test_kinds_may_be_given_as_their_codes(station):
    rows = valid_rows()
    rows[1][3] = "activity"
    rows[0][3] = "group_session"
    result = run_import(station, csv_file(rows))
    assert result.loaded_events == 5


def test_an_xlsx_file_loads_the_same(station):
    result = run_import(station, xlsx_file(valid_rows()), filename="services.xlsx")

    assert result.ok, result.errors
    assert (result.loaded_events, result.loaded_person_times) == (5, 47)
    again = run_import(station, xlsx_file(valid_rows()), filename="services.xlsx")
    assert (again.loaded_events, again.already_loaded) == (0, 5)


def test_blank_rows_are_skipped(station):
    rows = valid_rows()
    rows.insert(2, [""] * 8)
    result = run_import(station, csv_file(rows))
    assert (result.rows, result.loaded_events) == (5, 5)


# --- Bad rows: nothing loaded, exactly the row, column and message ------------------------

TOMORROW = TODAY + datetime.timedelta(days=1)

# (column index, value, column header reported, message). The bad row is the
# third data row, that is row 4 of the spreadsheet (the header is row 1).
BAD_CELLS = {
    "bad date": (1, f"{YEAR}-13-01", "日期", "Enter the date as YYYY-MM-DD."),
    "not a date": (1, "三月五日", "日期", "Enter the date as YYYY-MM-DD."),
    "date outside the plan year": (
        1,
        f"{YEAR - 1}-12-31",
        "日期",
        f"The date is outside the plan year {YEAR}.",
    ),
    "future date": (1, TOMORROW.isoformat(), "日期", "The date cannot be in the future."),
    "no date": (1, "", "日期", "The date is required."),
    "unknown project": (
        2,
        "不存在的项目",
        "项目",
        f"The plan of {YEAR} has no project “不存在的项目”.",
    ),
    "unknown kind": (
        3,
        "讲座",
        "服务类型",
        "Unknown kind of service “讲座”: use one of 小组、社区活动、探访、咨询、餐前活动.",
    ),
    "casework": (
        3,
        "个案",
        "服务类型",
        "Casework is recorded in the case file and cannot be imported.",
    ),
    "no title": (4, "", "名称", "This field cannot be blank."),
    "title too long": (
        4,
        "长" * 151,
        "名称",
        "Ensure this value has at most 150 characters (it has 151).",
    ),
    "unknown resident ID": (
        5,
        ID_NOBODY,
        "参与居民",
        f"No resident of this station has the ID number {masked(ID_NOBODY)}.",
    ),
    "resident of another station": (
        5,
        ID_AT_B,
        "参与居民",
        f"No resident of this station has the ID number {masked(ID_AT_B)}.",
    ),
    "same resident twice": (
        5,
        f"{ID_CHEN}、{ID_CHEN}",
        "参与居民",
        "陈伯 is counted twice at this event.",
    ),
    "malformed ID number": (
        5,
        ID_CHEN[:-1] + ("0" if ID_CHEN[-1] != "0" else "1"),
        "参与居民",
        f"ID number {masked(ID_CHEN)[:-1]}{'0' if ID_CHEN[-1] != '0' else '1'}: "
        "The ID number's check digit is wrong; please check the number.",
    ),
    "negative head-count": (6, "-3", "人数", "The head-count cannot be negative."),
    "head-count not a number": (6, "三十", "人数", "The head-count must be a whole number."),
    "unknown worker": (7, "nobody", "社工", "There is no user “nobody”."),
    "worker of another station": (
        7,
        "worker_c",
        "社工",
        "Worker_C is not a worker of this station.",
    ),
    "missing record number": (0, "", "记录编号", "The record number is required."),
    "record number too long": (
        0,
        "R" * 65,
        "记录编号",
        "The record number is longer than 64 characters.",
    ),
    "record number used twice": (
        0,
        "R-001",
        "记录编号",
        "The record number “R-001” is used on an earlier row.",
    ),
}


def _with_bad_cell(column: int, value: str) -> list[list]:
    rows = valid_rows()
    # The third row is the family activity (named + head-count), a base on which
    # every single bad cell is the only problem.
    bad = list(rows[1])
    bad[0] = "R-BAD"
    bad[column] = value
    return [rows[0], rows[2], bad, rows[3], rows[4]]


@pytest.mark.parametrize("case", BAD_CELLS, ids=list(BAD_CELLS))
def test_one_bad_row_loads_nothing_and_reports_that_row(station, case):
    column, value, header, message = BAD_CELLS[case]

    result = run_import(station, csv_file(_with_bad_cell(column, value)))

    assert result.errors == [RowError(4, header, message)]
    assert result.error_count == 1
    assert (result.loaded_events, result.loaded_person_times) == (0, 0)
    assert ServiceEvent.objects.count() == 0
    assert Attendance.objects.count() == 0


def test_a_row_without_attendance_or_head_count_is_refused(station):
    rows = valid_rows()
    rows[3][5] = ""  # row 5: the consultation

    result = run_import(station, csv_file(rows))

    assert result.errors == [RowError(5, "参与居民", "Record who attended, or the head-count.")]


def test_a_head_count_on_a_group_session_is_refused(station):
    rows = valid_rows()
    rows[0][6] = "5"  # row 2: the group session

    result = run_import(station, csv_file(rows))

    assert result.errors == [
        RowError(2, "人数", "Only community activities may count people without names.")
    ]
    assert ServiceEvent.objects.count() == 0


def test_the_service_and_the_import_give_the_same_message(station):
    project = station.plan.projects.get(name="长者服务")
    with translation.override("en"), pytest.raises(Exception) as refused:
        services.service_event_record(
            actor=station["worker"],
            project=project,
            kind="group_session",
            held_on=datetime.date(YEAR, 3, 5),
            title="小组",
            headcount=5,
        )
    assert refused.value.message_dict == {
        "headcount": ["Only community activities may count people without names."]
    }


def test_every_bad_row_is_reported_and_a_bad_row_late_in_the_file_undoes_the_rest(station):
    rows = [[f"K{i}", *row[1:]] for i, row in enumerate(valid_rows() * 600)]  # 3,000
    rows[1][2] = "无此项目"
    rows[2999][6] = "-1"
    rows[2999][3] = "社区活动"

    result = run_import(station, csv_file(rows))

    assert [(e.row, e.column) for e in result.errors] == [(3, "项目"), (3001, "人数")]
    assert result.rows == 3000
    assert ServiceEvent.objects.count() == 0


def test_several_problems_of_one_row_are_each_reported(station):
    rows = valid_rows()
    rows[2][1] = "2020-02-30"
    rows[2][2] = "无此项目"
    result = run_import(station, csv_file(rows))
    assert result.errors == [
        RowError(4, "日期", "Enter the date as YYYY-MM-DD."),
        RowError(4, "项目", f"The plan of {YEAR} has no project “无此项目”."),
    ]


def test_an_xlsx_with_a_bad_row_reports_it_the_same(station):
    rows = _with_bad_cell(6, "-3")
    result = run_import(station, xlsx_file(rows), filename="services.xlsx")
    assert result.errors == [RowError(4, "人数", "The head-count cannot be negative.")]
    assert ServiceEvent.objects.count() == 0


# --- Bad files ----------------------------------------------------------------------------


def test_a_missing_column_is_reported_on_the_header_row(station):
    header = [h for h in HEADER if h != "项目"]
    rows = [[c for i, c in enumerate(row) if i != 2] for row in valid_rows()]
    result = run_import(station, csv_file(rows, header=header))
    assert result.errors == [RowError(1, "项目", "The column is missing.")]


def test_a_year_without_a_plan_is_refused(station):
    result = run_import(station, csv_file(valid_rows()), year=YEAR - 3)
    assert result.errors == [RowError(None, "", f"The station has no plan for {YEAR - 3}.")]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (
            "记录编号,日期\nR-1,二〇二五\n".encode("gbk"),
            "services.csv",
            "The CSV file is not UTF-8 text. Save it as “CSV UTF-8”, or upload the .xlsx file.",
        ),
        (
            b"not a workbook",
            "services.xlsx",
            "The file cannot be read as an Excel workbook (.xlsx).",
        ),
        (b"", "services.csv", "The file is empty."),
        (b"a,b\n", "services.txt", "Only .csv and .xlsx files can be imported."),
    ],
)
def test_an_unreadable_file_is_reported(station, content, filename, message):
    result = run_import(station, io.BytesIO(content), filename=filename)
    assert result.errors == [RowError(None, "", message)]


def test_only_the_stations_own_staff_import(station):
    with pytest.raises(PermissionDenied):
        run_import(station, csv_file(valid_rows()), actor="district")
    # A director elsewhere imports into their own station only; B has no such plan.
    result = run_import(station, csv_file(valid_rows()), actor="director_b")
    assert result.errors == [RowError(None, "", f"The station has no plan for {YEAR}.")]
    assert ServiceEvent.objects.count() == 0


# --- Web ----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    # The web import stores its upload for the job (delivery.import_jobs).
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def upload(client, content: bytes, name: str = "services.csv", year: int = YEAR):
    return client.post(
        "/services/import/", {"year": year, "file": SimpleUploadedFile(name, content)}
    )


def test_a_worker_uploads_a_file_and_sees_what_was_loaded(station, english, login):
    client = login(station["worker"])
    assert client.get("/services/import/").status_code == 200

    response = upload(client, csv_file(valid_rows()).getvalue())

    assert response.status_code == 302
    job = Job.objects.get(owner=station["worker"])
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert (job.status, job.done, job.total, job.attempts) == ("done", 5, 5, 1)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Loaded 5 service events (47 person-times)." in page.content.decode()
    assert ServiceEvent.objects.filter(station=station.station_a).count() == 5

    again = client.get(upload(client, csv_file(valid_rows()).getvalue())["Location"])
    assert "5 rows were already loaded and were skipped." in again.content.decode()


def test_an_invalid_upload_shows_the_problems_and_offers_the_report(station, english, login):
    client = login(station["worker"])
    rows = _with_bad_cell(6, "-3")

    page = client.get(upload(client, csv_file(rows).getvalue())["Location"])

    html = page.content.decode()
    assert "Nothing was loaded: the file has 1 problem." in html
    assert "The head-count cannot be negative." in html
    assert ServiceEvent.objects.count() == 0
    report = client.get("/services/import/problems.xlsx")
    assert report.status_code == 200
    assert xlsx_table(report) == [
        ("行号", "列", "问题"),
        (4, "人数", "The head-count cannot be negative."),
    ]
    report_csv = client.get("/services/import/problems.csv")
    text = b"".join(report_csv.streaming_content).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [
        ["行号", "列", "问题"],
        ["4", "人数", "The head-count cannot be negative."],
    ]


def test_a_formula_in_the_report_is_neutralised(station, english, login):
    worker = station["worker"]
    resident = station.station_a.residents.get(name="陈伯")
    resident.name = "=HYPERLINK(1)"
    resident.save(update_fields=["name"])
    client = login(worker)
    rows = _with_bad_cell(5, f"{ID_CHEN};{ID_CHEN}")
    upload(client, csv_file(rows).getvalue())

    report = client.get("/services/import/problems.xlsx")
    cell = xlsx_table(report)[1][2]
    assert cell == "'=HYPERLINK(1) is counted twice at this event."
    text = b"".join(client.get("/services/import/problems.csv").streaming_content).decode()
    assert "'=HYPERLINK(1) is counted twice" in text


def test_there_is_no_report_before_an_import(station, login):
    client = login(station["worker"])
    assert client.get("/services/import/problems.xlsx").status_code == 404
    assert client.get("/services/import/result/").status_code == 302


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("services.txt", b"a,b\n", "Only .csv and .xlsx files can be imported."),
        ("services.pdf", b"%PDF-1.4", "Only .csv and .xlsx files can be imported."),
        ("services.xlsx", b"a,b\n", "The file cannot be read as an Excel workbook (.xlsx)."),
        ("services.csv", b"", "The submitted file is empty."),
    ],
)
def test_a_wrong_file_is_refused_with_a_message(station, english, login, name, content, message):
    client = login(station["worker"])
    response = upload(client, content, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ServiceEvent.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(station, english, login, monkeypatch):
    monkeypatch.setattr(importing, "MAX_FILE_SIZE", 100)
    client = login(station["worker"])
    response = upload(client, csv_file(valid_rows()).getvalue())
    assert response.status_code == 400
    assert "The file is larger than 0 MB." in response.content.decode()


def test_an_outsider_cannot_import_into_another_station(station, login):
    # Officials and agencies are not station staff: 403.
    for person in ("district", "city", "agency", "evaluator", "admin"):
        client = login(station[person])
        assert client.get("/services/import/").status_code == 403, person
        assert upload(client, csv_file(valid_rows()).getvalue()).status_code == 403, person
    # Staff of another station import only into their own, which has no such plan.
    client = login(station["worker_c"])
    response = upload(client, csv_file(valid_rows()).getvalue())
    assert response.status_code == 400
    assert ServiceEvent.objects.count() == 0


def test_anonymous_is_sent_to_log_in(station, client):
    response = client.get("/services/import/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_template_has_the_headers_and_one_example_row(station, login):
    project = station.plan.projects.get(name="家庭服务")
    project.name = "=SUM(1,2)"
    project.save(update_fields=["name"])
    client = login(station["worker"])

    response = client.get(f"/services/import/template.xlsx?year={YEAR}")

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (*HEADER, "社工点", "开始时间", "结束时间")
    assert len(rows) == 2
    assert rows[1][-2:] == ("14:30", "16:30")
    assert rows[1][2] == "'=SUM(1,2)"  # the first basic project, neutralised
    assert rows[1][3] == "社区活动"


def test_the_filled_in_template_imports(station, login):
    client = login(station["worker"])
    response = client.get(f"/services/import/template.xlsx?year={YEAR}")
    content = b"".join(response.streaming_content)
    result = run_import(station, io.BytesIO(content), filename="template.xlsx")
    assert (result.loaded_events, result.loaded_person_times) == (1, 30)
    event = ServiceEvent.objects.get(import_key=f"{YEAR}-0001")
    assert (event.starts_at, event.ends_at) == (datetime.time(14, 30), datetime.time(16, 30))


# --- Command ------------------------------------------------------------------------------


def test_the_command_loads_a_valid_file(station, tmp_path):
    path = tmp_path / "services.csv"
    path.write_bytes(csv_file(valid_rows()).getvalue())
    out = io.StringIO()

    with translation.override("en"):
        call_command(
            "import_services", str(path), user="worker", year=YEAR, stdout=out, verbosity=0
        )

    assert out.getvalue().strip() == (
        "Loaded 5 service event(s), 47 person-time(s); 0 row(s) already loaded."
    )
    assert ServiceEvent.objects.count() == 5


def test_the_command_fails_on_an_invalid_file_and_writes_the_report(station, tmp_path):
    path = tmp_path / "services.xlsx"
    path.write_bytes(xlsx_file(_with_bad_cell(1, "2020-02-30")).getvalue())
    report = tmp_path / "problems.xlsx"
    err = io.StringIO()

    with translation.override("en"), pytest.raises(CommandError) as failed:
        call_command(
            "import_services",
            str(path),
            user="worker",
            year=YEAR,
            report=str(report),
            stderr=err,
            verbosity=0,
        )

    assert str(failed.value) == "1 problem(s) in 5 row(s); nothing was loaded."
    assert "row 4 [日期]: Enter the date as YYYY-MM-DD." in err.getvalue()
    assert ServiceEvent.objects.count() == 0
    rows = xlsx_table(report)
    assert rows == [("行号", "列", "问题"), (4, "日期", "Enter the date as YYYY-MM-DD.")]


def test_the_command_exits_non_zero_on_an_invalid_file(station, tmp_path, capsys, monkeypatch):
    path = tmp_path / "services.csv"
    path.write_bytes(csv_file(_with_bad_cell(0, "")).getvalue())
    # run_from_argv closes the connections on the way out; keep the test's own.
    monkeypatch.setattr(base.connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(
            ["shegong", "import_services", str(path), "--user", "worker", "--year", str(YEAR)]
        )

    assert exited.value.code == 1
    assert "nothing was loaded" in capsys.readouterr().err


def test_the_command_refuses_an_unknown_user_or_file(station, tmp_path):
    path = tmp_path / "services.csv"
    path.write_bytes(csv_file(valid_rows()).getvalue())
    with pytest.raises(CommandError, match="no active user"):
        call_command("import_services", str(path), user="nobody", verbosity=0)
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_services", str(tmp_path / "x.csv"), user="worker", verbosity=0)
    with pytest.raises(CommandError):
        call_command("import_services", str(path), user="district", verbosity=0)


def _with_times(times: dict[int, tuple[str, str]]) -> list[list]:
    rows = valid_rows()
    for n, row in enumerate(rows):
        row.extend(["", *times.get(n, ("", ""))])
    return rows


TIMED_HEADER = [*HEADER, "社工点", "开始时间", "结束时间"]


def test_start_and_end_times_are_imported_from_csv_and_xlsx(station):
    rows = _with_times({1: ("9:00", "11:30"), 2: ("14:00", "15:00")})
    result = run_import(station, csv_file(rows, header=TIMED_HEADER))
    assert result.ok, result.errors
    times = dict(
        ServiceEvent.objects.filter(starts_at__isnull=False).values_list("import_key", "ends_at")
    )
    assert times == {"R-002": datetime.time(11, 30), "R-003": datetime.time(15, 0)}
    assert ServiceEvent.objects.filter(starts_at__isnull=True).count() == 3


@pytest.mark.parametrize(
    ("times", "header", "message"),
    [
        (("16:00", "15:00"), "结束时间", "The service cannot end before it starts."),
        (("9:00", ""), "结束时间", "Give the time the service started and ended, or neither."),
        (("9h", "10:00"), "开始时间", "Enter the time as HH:MM."),
        (("9:00", "25:00"), "结束时间", "Enter the time as HH:MM."),
    ],
)
def test_a_service_ending_before_it_starts_is_refused_in_the_import(
    station, times, header, message
):
    result = run_import(station, csv_file(_with_times({2: times}), header=TIMED_HEADER))
    assert result.errors == [RowError(4, header, message)]
    assert ServiceEvent.objects.count() == 0
