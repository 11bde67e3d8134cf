"""The staff accounts import's page: who opens it, a sheet loaded with the
activation links shown once, a bad sheet refused with nothing saved."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from shegong.accounts.models import User
from shegong.core.models import Job
from shegong.golive.staff_import import HEADERS


def upload(rows: list[list]) -> SimpleUploadedFile:
    book = Workbook()
    ws = book.active
    ws.title = "人员"
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        "staff.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("admin", 200),
        ("city", 200),
        ("district", 403),
        ("agency", 403),
        ("director", 403),
        ("worker", 403),
        ("evaluator", 403),
    ],
)
def test_who_opens_the_staff_import_page(world, client, person, status):
    client.force_login(world[person])
    assert client.get(reverse("golive:staff-import")).status_code == status


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("golive:staff-import"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_creates_accounts_and_shows_each_link_once(world, client):
    client.force_login(world["city"])
    response = client.post(
        reverse("golive:staff-import"),
        {"file": upload([["", "李芳", "13800000011", "社工", "haizhu-10"]])},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "人员表已导入：共 1 行，新建 1 个，更新 0 个，未变 0 个。" in page
    assert response["Cache-Control"] == "no-store"
    link = page.split('<td class="text-break"><code>')[1].split("</code>")[0]
    assert link.startswith("http://testserver/golive/activate/")
    account = User.objects.get(username="13800000011")
    assert not account.has_usable_password()
    # Shown once: the job page opened again has the link no more, nor does the job.
    again = client.get(response.redirect_chain[-1][0]).content.decode()
    assert "已导入" in again and link not in again and "/golive/activate/" not in again
    job = Job.objects.get(owner=world["city"], kind="staff_import")
    assert job.result["activations"] == [] and link.rsplit("/", 2)[-2] not in str(job.result)
    client.logout()
    assert client.get(link.removeprefix("http://testserver")).status_code == 200


def test_a_bad_sheet_is_listed_by_row_and_nothing_is_saved(world, client):
    client.force_login(world["city"])
    before = User.objects.count()
    response = client.post(
        reverse("golive:staff-import"),
        {"file": upload([["", "李芳", "13800000011", "厨师", "haizhu-10"]])},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "未导入任何数据：人员表有 1 个问题。" in page
    assert "<td>2</td><td>角色</td>" in page
    assert User.objects.count() == before
    # The problem report, as for every import.
    report = client.get(reverse("golive:staff-import-report", args=["csv"]))
    lines = b"".join(report.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "行号,列,问题"
    assert lines[1].startswith("2,角色,") and len(lines) == 2


def test_the_template_has_the_headers(world, client):
    client.force_login(world["admin"])
    response = client.get(reverse("golive:staff-template"))
    sheet = load_workbook(io.BytesIO(response.content))["人员"]
    assert [c.value for c in sheet[1]] == HEADERS
