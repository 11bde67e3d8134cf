"""The previous system's records import: a few thousand residents, classifications
and open cases recount exactly and a second run adds nothing; bad input (GBK CSV,
formulas, unknown codes, malformed ID numbers, outside the scope) is refused row by
row with nothing saved; residents already on file are found, not registered twice;
the command and the upload pages."""

from __future__ import annotations

import datetime
import io
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from shegong.cases.models import Case, CaseAction, CaseEvent
from shegong.clients import identity
from shegong.clients.models import ClientStatus, Consent, Household, Resident
from shegong.community.models import Volunteer
from shegong.core.models import AuditEntry
from shegong.delivery.models import Group
from shegong.golive.models import MigratedRecord
from shegong.golive.records_import import SHEET_BY_TITLE, records_import
from shegong.plans.models import AnnualPlan, PlanProject
from shegong.stats.rollups import drift
from shegong.stats.selectors import person_time_summary
from tests.helpers import register_resident


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def id_number(birth: datetime.date, sequence: int, region: str = "440105") -> str:
    first17 = f"{region}{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + identity.id_check_char(first17)


def workbook(sheets: dict[str, list[list]]) -> io.BytesIO:
    """A workbook of the given sheets (title → data rows), each with its headers."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        headers = SHEET_BY_TITLE[title].headers
        ws.append(headers)
        for row in rows:
            ws.append(list(row) + [""] * (len(headers) - len(row)))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def load(actor, sheets: dict[str, list[list]]):
    return records_import(actor=actor, file=workbook(sheets), filename="records.xlsx")


STEPS = ["接案", "预估", "计划", "介入", "评估"]
DOMAINS = [("家庭", "困境家庭"), ("长者", "困境长者"), ("青少年", "困境青少年")]


def city_records() -> dict[str, list[list]]:
    """2,400 residents (1,600 at 沙园街, 800 at 南石头街), 300 households, 2,640
    classifications, 40 volunteers, 30 group members and 1,200 open cases."""
    households, residents, statuses, cases = [], [], [], []
    for n in range(1, 301):
        households.append(["haizhu-10", f"H{n:04d}", f"家庭{n}", f"沙园路{n}号"])
    for i in range(1, 2401):
        station = "haizhu-10" if i <= 1600 else "haizhu-11"
        code = f"R{i:05d}"
        birth = datetime.date(1940 + i % 60, 1 + i % 12, 1 + i % 28)
        number = "" if i % 10 == 5 else id_number(birth, i, "440105" if i % 2 else "440104")
        household = f"H{(i - 1) // 3 + 1:04d}" if i <= 900 else ""
        residents.append(
            [
                station,
                code,
                f"居民{i}",
                "女" if i % 2 else "男",
                birth.isoformat(),
                number,
                f"139{i:08d}",
                "",
                household,
                "成员" if household else "",
                "",
                "2020-01-01",
            ]
        )
        domain, kind = DOMAINS[i % 3]
        priority = i % 4 == 0
        statuses.append(
            [
                station,
                code,
                domain,
                "重点服务对象" if priority else "一般服务对象",
                kind if priority else "",
                "2021-01-01",
            ]
        )
        if i % 10 == 1:
            statuses.append([station, code, domain, "重点", kind, "2023-06-01"])
        if i % 2 == 0:
            worker = ("worker" if i % 4 else "director") if i <= 1600 else "director_b"
            cases.append(
                [
                    station,
                    f"OLD-{i:05d}",
                    code,
                    domain,
                    "主动求助",
                    "2022-03-01",
                    STEPS[(i // 2) % 5],
                    worker,
                    "高" if i % 8 == 0 else "",
                    "2024-05-01",
                    f"旧系统个案{i}：已家访三次",
                ]
            )
    volunteers = [
        [
            "haizhu-10",
            f"V{n:03d}",
            f"义工{n}",
            f"137{n:08d}",
            "探访",
            "是" if n % 5 == 0 else "否",
            "2019-05-01",
            "2019-05-01",
        ]
        for n in range(1, 41)
    ]
    members = [["haizhu-10", "长者互助小组", f"R{i:05d}"] for i in range(1, 31)]
    return {
        "家庭": households,
        "居民": residents,
        "服务对象分类": statuses,
        "义工": volunteers,
        "小组成员": members,
        "个案": cases,
    }


def make_group(world) -> Group:
    plan = AnnualPlan.objects.create(station=world.station_a, year=2026)
    project = PlanProject.objects.create(plan=plan, kind="basic", domain="elderly", name="长者服务")
    return Group.objects.create(
        station=world.station_a, project=project, name="长者互助小组", planned_sessions=6
    )


def test_a_city_of_records_recounts_exactly_and_a_second_run_adds_nothing(world):
    group = make_group(world)
    file = workbook(city_records())
    result = records_import(actor=world["district"], file=file, filename="records.xlsx")
    assert result.ok, result.errors[:5]
    counts = {key: vars(c) for key, c in result.sheets.items()}
    assert counts["residents"] == {"rows": 2400, "created": 2400, "updated": 0, "unchanged": 0}
    assert counts["statuses"] == {"rows": 2640, "created": 2640, "updated": 0, "unchanged": 0}
    assert counts["cases"] == {"rows": 1200, "created": 1200, "updated": 0, "unchanged": 0}

    assert Resident.objects.count() == 2400
    assert Resident.objects.filter(station=world.station_a).count() == 1600
    assert Resident.objects.filter(station=world.station_b).count() == 800
    # Every ID number encrypted, hashed and masked; none in clear.
    with_id = Resident.objects.exclude(id_number_hash="")
    assert with_id.count() == 2160
    first = Resident.objects.get(name="居民1")
    assert identity.decrypt(first.id_number_encrypted) == id_number(
        datetime.date(1941, 2, 2), 1, "440105"
    )
    assert first.id_number_masked == "4401**********" + first.id_number_masked[-4:]
    assert Household.objects.count() == 300
    assert Resident.objects.filter(household__isnull=False).count() == 900
    assert Consent.objects.count() == 2400

    assert ClientStatus.objects.count() == 2640
    assert ClientStatus.objects.filter(ended_on__isnull=True).count() == 2400
    assert ClientStatus.objects.filter(ended_on=datetime.date(2023, 5, 31)).count() == 240
    assert ClientStatus.objects.filter(ended_on__isnull=True, category="priority").count() == 840
    assert ClientStatus.objects.filter(ended_on__isnull=True, category="general").count() == 1560

    assert Case.objects.count() == 1200
    per_step = dict(Case.objects.values_list("status").annotate(n=Count("pk")))
    assert per_step == {
        "intake": 240,
        "assessed": 240,
        "planned": 240,
        "in_service": 240,
        "reviewed": 240,
    }
    assert Case.objects.filter(station=world.station_a).count() == 800
    assert Case.objects.filter(workers=world["worker"]).count() == 400
    assert Case.objects.filter(workers=world["director_b"]).count() == 400
    assert Case.objects.filter(risk_level="high").count() == 300
    case = Case.objects.get(number="OLD-00002")
    assert case.status == "assessed" and case.client.name == "居民2"
    event = CaseEvent.objects.get(case=case)
    assert event.action == CaseAction.MIGRATED
    assert event.detail["migrated"] is True
    assert event.detail["summary"] == "旧系统个案2：已家访三次"

    assert Volunteer.objects.count() == 40
    assert Volunteer.objects.filter(is_party_member=True).count() == 8
    assert group.members.count() == 30
    assert MigratedRecord.objects.count() == 300 + 2400 + 40 + 1200
    assert AuditEntry.objects.filter(action="import").count() == 1
    # The district's statistics count what came over, and the rollups agree.
    figures = person_time_summary(world["district"], year=2026)
    assert figures.cases["open"] == 1200 and figures.cases["high_risk_open"] == 300
    assert figures.volunteers_active == 40
    assert drift() == []

    file.seek(0)
    again = records_import(actor=world["district"], file=file, filename="records.xlsx")
    assert again.ok, again.errors[:5]
    for key, c in again.sheets.items():
        assert (c.created, c.updated, c.unchanged) == (0, 0, c.rows), key
    assert Resident.objects.count() == 2400
    assert ClientStatus.objects.count() == 2640
    assert Case.objects.count() == 1200
    assert Consent.objects.count() == 2400
    assert CaseEvent.objects.count() == 1200
    assert group.members.count() == 30
    assert MigratedRecord.objects.count() == 3940


BORN = datetime.date(1950, 3, 8)
RESIDENT = ["haizhu-10", "R1", "李秀英", "女", BORN.isoformat(), id_number(BORN, 21)]
# 站点编码 居民编号 姓名 性别 出生日期 身份证号 手机号 地址 家庭编号 家庭关系 社区代码 知情同意日期
CONSENTED = ["haizhu-10", "R2", "王芳", "女", "1955-05-05", "", "", "", "", "", "", "2020-01-01"]
SHEET_TITLES = ["家庭", "居民", "服务对象分类", "义工", "小组成员", "个案"]


def test_gbk_csv_is_refused_with_a_clear_message(world, english):
    text = ",".join(SHEET_BY_TITLE["居民"].headers) + "\n" + ",".join(RESIDENT) + "\n"
    result = records_import(
        actor=world["district"], file=io.BytesIO(text.encode("gbk")), filename="居民.csv"
    )
    assert not result.ok
    assert "GBK" in result.errors[0].message
    assert Resident.objects.count() == 0


def test_utf8_csv_of_one_sheet_loads(world):
    text = ",".join(SHEET_BY_TITLE["居民"].headers) + "\n" + ",".join(RESIDENT) + "\n"
    result = records_import(
        actor=world["district"], file=io.BytesIO(text.encode("utf-8-sig")), filename="old.csv"
    )
    assert result.ok, result.errors
    assert vars(result.sheets["residents"])["created"] == 1
    assert Resident.objects.get().name == "李秀英"


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_saved(world, english):
    result = load(
        world["district"],
        {
            "居民": [
                RESIDENT,
                ["haizhu-10", "R2", "王强", "男", "1960-01-01", "440105196001010000"],
                ["no-such", "R3", "陈明", "男", "1960-01-01"],
                ["yuexiu-02", "R4", "赵敏", "女", "1960-01-01"],
                ["haizhu-10", "R5", '=HYPERLINK("x")', "女", "1960-01-01"],
                ["haizhu-10", "R6", "刘洋", "未知", "1960-13-01"],
            ],
            "个案": [["haizhu-10", "C1", "R1", "长者", "", "2022-01-01", "介入", "nobody"]],
        },
    )
    found = {(e.sheet, e.row, e.column): e.message for e in result.errors}
    assert found == {
        ("居民", 3, "身份证号"): "The ID number's check digit is wrong; please check the number.",
        ("居民", 4, "站点编码"): "No station with code no-such.",
        ("居民", 5, "站点编码"): "Station yuexiu-02 is outside your scope.",
        ("居民", 6, "姓名"): "The cell holds a formula; type the value itself.",
        ("居民", 7, "性别"): "Unknown value 未知: one of 女、男.",
        ("个案", 2, "负责社工"): "No staff account nobody.",
    }
    assert Resident.objects.count() == 0 and MigratedRecord.objects.count() == 0


def test_row_problems_found_while_loading_leave_nothing_saved(world, english):
    result = load(
        world["district"],
        {
            "居民": [RESIDENT, CONSENTED, ["haizhu-10", "R6", "刘洋", "未知", "1960-13-01"]],
            "个案": [
                ["haizhu-10", "C1", "R2", "长者", "", "2022-01-01", "介入", "nobody"],
                ["haizhu-10", "C2", "R2", "长者", "", "2022-01-01", "结案", "worker"],
                ["haizhu-10", "C3", "R2", "长者", "", "2022-01-01", "介入", "worker_c"],
                ["haizhu-10", "C4", "R1", "长者", "", "2022-01-01", "介入", "worker"],
                ["haizhu-10", "C5", "R2", "长者", "", "2022-01-01", "介入", "worker"],
            ],
        },
    )
    found = {(e.sheet, e.row, e.column): e.message for e in result.errors}
    assert found[("居民", 4, "性别")].startswith("Unknown value 未知: one of ")
    assert found[("个案", 2, "负责社工")] == "No staff account nobody."
    assert found[("个案", 3, "当前阶段")].startswith("Only open cases are imported")
    assert found[("个案", 4, "负责社工")] == "Worker_C is not a worker of this station."
    # R1 has no consent: the case form's rule.
    assert found[("个案", 5, "居民编号")].startswith("Record the client's consent")
    assert len(found) == 5
    assert Resident.objects.count() == 0 and Case.objects.count() == 0
    assert MigratedRecord.objects.count() == 0


def test_a_resident_on_file_is_found_not_registered_twice(world, english):
    on_file = register_resident(
        world, "李秀英", born=datetime.date(1950, 3, 8), id_number=RESIDENT[5]
    )
    by_phone = register_resident(
        world, "王强", gender="male", born=datetime.date(1960, 1, 1), phone="13900000001"
    )
    result = load(
        world["district"],
        {
            "居民": [
                RESIDENT,
                ["haizhu-10", "R2", "王强", "男", "1960-01-01", "", "13900000001", "海珠区"],
            ]
        },
    )
    assert result.ok, result.errors
    assert vars(result.sheets["residents"]) == {
        "rows": 2,
        "created": 0,
        "updated": 1,
        "unchanged": 1,
    }
    assert Resident.objects.count() == 2
    by_phone.refresh_from_db()
    assert by_phone.address == "海珠区"
    assert set(MigratedRecord.objects.values_list("object_id", flat=True)) == {
        on_file.pk,
        by_phone.pk,
    }


def test_the_same_person_twice_in_a_file_is_refused(world, english):
    result = load(world["district"], {"居民": [RESIDENT, ["haizhu-10", "R9", *RESIDENT[2:]]]})
    assert [(e.row, e.column) for e in result.errors] == [(3, "身份证号")]
    assert result.errors[0].message.startswith("The same person as row 2")
    assert Resident.objects.count() == 0


def test_a_case_number_used_twice_in_the_sheet_is_refused(world, english):
    rows = [["haizhu-10", "C1", "R2", "长者", "", "2022-01-01", "介入", "worker"]] * 2
    result = load(world["district"], {"居民": [CONSENTED], "个案": rows})
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "个案编号", "The same record as row 2.")
    ]


def test_station_staff_and_agencies_may_not_import(world):
    for person in ("worker", "director", "agency", "evaluator"):
        with pytest.raises(PermissionDenied):
            load(world[person], {"居民": [RESIDENT]})


def test_the_command_loads_with_counts_and_refuses_bad_files(world, tmp_path):
    path = tmp_path / "records.xlsx"
    path.write_bytes(workbook({"居民": [RESIDENT]}).getvalue())
    out = StringIO()
    call_command("import_records", str(path), "--user", "city", stdout=out, verbosity=0)
    assert "居民: 1 rows, 1 created, 0 updated, 0 unchanged" in out.getvalue()
    out = StringIO()
    call_command("import_records", str(path), "--user", "city", stdout=out, verbosity=0)
    assert "居民: 1 rows, 0 created, 0 updated, 1 unchanged" in out.getvalue()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook({"居民": [["nowhere", "R2", "王强", "男", "1960-01-01"]]}).getvalue())
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_records", str(bad), "--user", "city", stderr=StringIO(), verbosity=0)
    assert Resident.objects.count() == 1
    template = tmp_path / "template.xlsx"
    call_command("import_records", str(template), "--template", stdout=StringIO())
    assert load_workbook(template).sheetnames == SHEET_TITLES


# --- The upload page ----------------------------------------------------------------


def upload(rows: list[list]) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "records.xlsx",
        workbook({"居民": rows}).getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("admin", 200),
        ("city", 200),
        ("district", 200),
        ("agency", 403),
        ("director", 403),
        ("worker", 403),
        ("evaluator", 403),
    ],
)
def test_who_opens_the_records_import_page(world, client, person, status):
    client.force_login(world[person])
    assert client.get(reverse("golive:records-import")).status_code == status


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("golive:records-import"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_loads_a_file_and_shows_the_counts_in_chinese(world, client):
    client.force_login(world["district"])
    response = client.post(reverse("golive:records-import"), {"file": upload([RESIDENT])})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "历史数据已导入" in page
    assert "<td>居民</td><td>1</td><td>1</td><td>0</td><td>0</td>" in page
    assert Resident.objects.get().created_by == world["district"]


def test_the_page_reports_a_station_outside_the_scope_and_saves_nothing(world, client):
    client.force_login(world["district"])
    outside = ["yuexiu-02", "R4", "赵敏", "女", "1960-01-01"]
    response = client.post(reverse("golive:records-import"), {"file": upload([outside])})
    page = client.get(response["Location"]).content.decode()
    assert "未导入任何记录：文件有 1 个问题。" in page
    assert "站点 yuexiu-02 不在您的范围内。" in page
    assert Resident.objects.count() == 0
    report = client.get(reverse("golive:records-import-report", args=["xlsx"]))
    content = b"".join(report.streaming_content)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[0] == ("工作表", "行号", "列", "问题")
    assert rows[1] == ("居民", 2, "站点编码", "站点 yuexiu-02 不在您的范围内。")


def test_the_template_has_a_sheet_per_kind(world, client):
    client.force_login(world["city"])
    response = client.get(reverse("golive:records-template"))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == SHEET_TITLES
    assert [c.value for c in book["个案"][1]][:8] == [
        "站点编码",
        "个案编号",
        "居民编号",
        "领域",
        "来源",
        "开案日期",
        "当前阶段",
        "负责社工",
    ]


def test_an_imported_case_shows_its_migrated_history_to_its_worker(world, client):
    case_row = ["haizhu-10", "OLD-7", "R2", "长者", "", "2022-01-01", "介入", "worker", "高"]
    result = load(
        world["district"],
        {"居民": [CONSENTED], "个案": [[*case_row, "2024-05-01", "已链接助餐资源"]]},
    )
    assert result.ok, result.errors
    case = Case.objects.get(number="OLD-7")
    assert (case.status, case.risk_level, list(case.workers.all())) == (
        "in_service",
        "high",
        [world["worker"]],
    )
    client.force_login(world["worker"])
    page = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "从原系统迁移: 已链接助餐资源" in page


def test_volunteers_and_group_members_follow_the_forms_rules(world, english):
    make_group(world)
    result = load(
        world["district"],
        {
            "居民": [CONSENTED],
            "义工": [
                ["haizhu-10", "V1", "黄伟", "13700000001", "", "是", "2019-05-01", "2019-06-01"],
                ["haizhu-10", "V2", "周丽", "123", "", "也许", "2019-05-01", "2019-05-01"],
            ],
            "小组成员": [
                ["haizhu-10", "长者互助小组", "R2"],
                ["haizhu-10", "书法小组", "R2"],
            ],
        },
    )
    found = {(e.sheet, e.row, e.column): e.message for e in result.errors}
    assert found == {
        ("义工", 2, "知情同意日期"): "Consent must be given on or before the day of registration.",
        ("义工", 3, "党员"): "Write 是 or 否.",
        ("小组成员", 3, "小组名称"): (
            "No group named 书法小组 at station haizhu-10: create it on the platform."
        ),
    }
    assert Volunteer.objects.count() == 0 and Resident.objects.count() == 0


def test_a_second_file_may_not_give_a_birth_date_against_the_id_number_on_file(world, english):
    assert load(world["district"], {"居民": [RESIDENT]}).ok
    changed = [*RESIDENT[:4], "1951-03-08", ""]
    result = load(world["district"], {"居民": [changed]})
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "出生日期", "The birth date does not match the ID number.")
    ]
    assert Resident.objects.get().birth_date == BORN
