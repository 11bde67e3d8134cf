"""Personal data taken out of the system 个人信息导出 (issue 18, point 4): a reason
always; above the size the director's or the district officer's approval, never
the requester's own; the records fixed when asked; every file watermarked (user,
time, reason, number) and every download logged; a case file's PDF taken with a
reason; a faint user-and-time watermark over logged-in pages, which a deployment
turns off."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from shegong.core.models import AccessLog, AuditEntry
from shegong.privacy.models import ExportStatus, PersonalExport
from tests.helpers import open_case, register_resident, workbook_of, xlsx_table
from tests.test_print import pdf_text

REASON = "重阳节上门探访名单"


@pytest.fixture
def residents(world, settings):
    settings.PERSONAL_EXPORT_APPROVAL_ROWS = 2
    names = ["陈秀英", "黄美玲", "李国强"]
    people = [register_resident(world, name) for name in names]
    # At another station: never in station A's files.
    register_resident(world, "王小明", station=world.station_c, actor=world["worker_c"])
    return people


def ask(client, **data):
    return client.post("/privacy/exports/new/", {"kind": "residents", **data})


def created(response) -> PersonalExport:
    assert response.status_code == 302, response.content.decode()[:2000]
    return PersonalExport.objects.get(pk=int(re.search(r"/(\d+)/$", response["Location"])[1]))


def test_an_export_without_a_reason_is_refused_and_nothing_is_saved(world, login, residents):
    response = ask(login(world["worker"]), reason="")
    assert response.status_code == 400
    assert "该字段是必填项" in response.content.decode()
    response = ask(login(world["worker"]), reason="名单")
    assert response.status_code == 400
    assert "请说明文件的用途（至少 4 个字）" in response.content.decode()
    assert PersonalExport.objects.count() == 0


def test_a_small_export_is_ready_at_once_and_its_file_is_watermarked(
    world, login, residents, settings
):
    settings.PERSONAL_EXPORT_APPROVAL_ROWS = 3
    client = login(world["worker"])
    narrow = created(ask(client, reason=REASON))
    assert (narrow.rows, narrow.status) == (3, ExportStatus.APPROVED)
    response = client.get(f"/privacy/exports/{narrow.pk}/download.xlsx")
    assert response.status_code == 200
    table = xlsx_table(response)
    assert table[0][:2] == ("姓名", "性别")
    assert sorted(row[0] for row in table[1:]) == ["李国强", "陈秀英", "黄美玲"]
    book = workbook_of(response)
    sheet = book.active
    mark = f"E{narrow.pk:06d} · 导出人 Worker worker · "
    assert sheet.oddHeader.center.text.startswith(mark)
    assert sheet.oddFooter.center.text.endswith(f"用途：{REASON}")
    assert book.properties.description.startswith(mark)
    block = [row for row in sheet.iter_rows(max_row=8, values_only=True) if row and row[0]]
    assert ("水印", sheet.oddHeader.center.text) in [tuple(r[:2]) for r in block]

    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT_PERSONAL)
    assert (log.user, log.station, log.object_id) == (world["worker"], world.station_a, narrow.pk)
    assert log.object_label == f"E{narrow.pk:06d} 居民名单 ×3"
    # The download's entry names the export, its size and its reason.
    [entry] = [e for e in AuditEntry.objects.filter(action="export") if "reason" in e.detail]
    assert entry.detail["reason"] == REASON and entry.detail["rows"] == 3
    narrow.refresh_from_db()
    assert narrow.downloads == 1


def test_a_csv_file_names_the_export_on_its_first_line(world, login, residents, settings):
    settings.PERSONAL_EXPORT_APPROVAL_ROWS = 5
    client = login(world["worker"])
    export = created(ask(client, reason=REASON))
    assert export.status == ExportStatus.APPROVED
    response = client.get(f"/privacy/exports/{export.pk}/download.csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith(f"E{export.pk:06d} · 导出人 Worker worker · ")
    assert lines[0].endswith(f"用途：{REASON}")
    assert lines[1].startswith("姓名,性别,出生日期")
    assert len(lines) == 2 + 3


def test_a_large_export_waits_for_the_director_and_then_holds_what_was_asked(
    world, login, residents
):
    worker = login(world["worker"])
    export = created(ask(worker, reason=REASON))
    assert (export.rows, export.status) == (3, ExportStatus.PENDING)
    # Not downloadable yet.
    response = worker.get(f"/privacy/exports/{export.pk}/download.xlsx")
    assert response.status_code == 302
    assert "导出等待审批" in worker.get(response["Location"]).content.decode()
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT_PERSONAL).exists()
    # The worker cannot approve it; the director sees it on the home page.
    assert worker.post(f"/privacy/exports/{export.pk}/", {"approve": "1"}).status_code == 403
    director = login(world["director"])
    assert "待审批的导出: 居民名单 · 3 条记录" in director.get("/").content.decode()
    # A resident registered after the request is not in the file.
    register_resident(world, "周新来")
    assert director.post(f"/privacy/exports/{export.pk}/", {"approve": "1"}).status_code == 302
    export.refresh_from_db()
    assert (export.status, export.decided_by) == (ExportStatus.APPROVED, world["director"])
    # Only its requester downloads it.
    assert director.get(f"/privacy/exports/{export.pk}/download.xlsx").status_code == 403
    worker = login(world["worker"])  # one test client: logging in switches the user
    names = sorted(
        r[0] for r in xlsx_table(worker.get(f"/privacy/exports/{export.pk}/download.xlsx"))[1:]
    )
    assert names == ["李国强", "陈秀英", "黄美玲"]
    # A second decision is refused.
    response = login(world["director"]).post(
        f"/privacy/exports/{export.pk}/", {"approve": "0", "comment": "x"}
    )
    assert response.status_code == 400
    assert "这项导出已经审批过了" in response.content.decode()


def test_a_director_does_not_approve_their_own_the_district_does(world, login, residents):
    director = login(world["director"])
    export = created(ask(director, reason=REASON))
    assert export.status == ExportStatus.PENDING
    assert director.post(f"/privacy/exports/{export.pk}/", {"approve": "1"}).status_code == 403
    # Outside the scope: 404.
    for outsider in ("other_district", "director_b", "worker_c", "agency", "evaluator"):
        assert login(world[outsider]).get(f"/privacy/exports/{export.pk}/").status_code == 404
    district = login(world["district"])
    assert "待审批的个人信息导出" in district.get("/").content.decode()
    assert district.post(f"/privacy/exports/{export.pk}/", {"approve": "1"}).status_code == 302
    export.refresh_from_db()
    assert export.decided_by == world["district"]


def test_a_refusal_needs_a_reason_and_leaves_nothing_to_download(world, login, residents):
    export = created(ask(login(world["worker"]), reason=REASON))
    director = login(world["director"])
    response = director.post(f"/privacy/exports/{export.pk}/", {"approve": "0", "comment": ""})
    assert response.status_code == 400
    assert "请说明拒绝导出的原因" in response.content.decode()
    export.refresh_from_db()
    assert export.status == ExportStatus.PENDING
    director.post(f"/privacy/exports/{export.pk}/", {"approve": "0", "comment": "范围过大"})
    export.refresh_from_db()
    assert (export.status, export.decision_comment) == (ExportStatus.REFUSED, "范围过大")
    response = login(world["worker"]).get(f"/privacy/exports/{export.pk}/download.xlsx")
    assert response.status_code == 302


def test_an_approved_export_expires(world, login, residents, settings):
    settings.PERSONAL_EXPORT_APPROVAL_ROWS = 5
    worker = login(world["worker"])
    export = created(ask(worker, reason=REASON))
    PersonalExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    response = worker.get(f"/privacy/exports/{export.pk}/download.xlsx")
    assert response.status_code == 302
    assert "导出已过期" in worker.get(response["Location"]).content.decode()


def test_bad_filters_are_refused_with_a_message(world, login, residents):
    worker = login(world["worker"])
    response = worker.post("/privacy/exports/new/", {"kind": "survey_contacts", "reason": REASON})
    assert response.status_code == 400
    assert "请选择本站的问卷" in response.content.decode()
    response = ask(worker, reason=REASON, tag="living_alone")
    assert response.status_code == 400
    assert "没有符合条件的记录" in response.content.decode()
    response = worker.post("/privacy/exports/new/", {"kind": "everything", "reason": REASON})
    assert response.status_code == 400
    assert PersonalExport.objects.count() == 0


def test_the_case_pdf_needs_a_reason_and_carries_the_watermark(world, login):
    resident = register_resident(world, "陈秀英")
    case = open_case(world, resident)
    worker = login(world["worker"])
    assert worker.get(f"/privacy/cases/{case.pk}/pdf/").status_code == 200
    response = worker.post(f"/privacy/cases/{case.pk}/pdf/", {"reason": ""})
    assert response.status_code == 400
    response = worker.post(f"/privacy/cases/{case.pk}/pdf/", {"reason": "转介医院时提交"})
    assert response["Content-Type"] == "application/pdf"
    export = PersonalExport.objects.get(kind="case_file")
    assert (export.rows, export.record_ids, export.reason) == (1, [case.pk], "转介医院时提交")
    text = pdf_text(response)
    assert f"E{export.pk:06d}" in text
    assert "转介医院时提交" in text
    assert AccessLog.objects.filter(
        action=AccessLog.Action.EXPORT_PERSONAL, object_id=export.pk
    ).exists()
    # Who may not read the file's content does not take it either.
    assert login(world["city"]).get(f"/privacy/cases/{case.pk}/pdf/").status_code == 404
    assert login(world["worker_c"]).get(f"/privacy/cases/{case.pk}/pdf/").status_code == 404


def test_pages_carry_the_user_and_time_unless_the_deployment_turns_it_off(world, login, settings):
    page = login(world["worker"]).get("/residents/").content.decode()
    mark = re.search(r'data-testid="page-watermark"><span>([^<]+)</span>', page)
    assert mark is not None
    assert mark[1].startswith("Worker worker · ")
    assert re.fullmatch(r"Worker worker · \d{4}-\d\d-\d\d \d\d:\d\d", mark[1])
    settings.PAGE_WATERMARK = False
    assert "page-watermark" not in login(world["worker"]).get("/residents/").content.decode()


def test_the_log_in_page_has_no_watermark(client, db):
    assert "page-watermark" not in client.get("/accounts/login/").content.decode()
