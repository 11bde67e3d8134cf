"""Staff accounts import: accounts without a usable password and a one-time
activation link; bad rows refused with nothing saved; leavers; the audit trail."""

from __future__ import annotations

import datetime
import io
import re
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
from shegong.golive.models import ActivationToken
from shegong.golive.staff_import import HEADERS, staff_import
from shegong.org.models import City, District, Station, Street
from shegong.workforce.models import StaffProfile

NEW_PASSWORD = "Pearl-river-ferry-77"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def sheet(rows: list[list]) -> io.BytesIO:
    book = Workbook()
    ws = book.active
    ws.title = "人员"
    ws.append(HEADERS)
    for row in rows:
        ws.append(row + [""] * (len(HEADERS) - len(row)))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def staff_rows() -> list[list]:
    # 用户名 姓名 手机号 角色 所属单位代码 岗位 资质 证书编号 取证日期 入职日期
    return [
        [
            "",
            "李芳",
            "13800000011",
            "社工",
            "haizhu-10",
            "一线社工",
            "社会工作师",
            "S2020-001",
            "2020-06-01",
            "2021-03-01",
        ],
        ["zhang.wei", "张伟", "13800000012", "Station director", "haizhu-11"],
        ["", "王敏", "13800000013", "district_officer", "440104"],
        ["", "陈静", "13800000014", "社工机构负责人", "52440100MJ0000002X"],
    ]


def _login(client, username: str, password: str) -> bool:
    client.post(reverse("accounts:login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


def _token(result, username: str) -> str:
    return next(a.token for a in result.activations if a.username == username)


def test_imported_accounts_cannot_log_in_until_activated(world, client):
    result = staff_import(actor=world["admin"], file=sheet(staff_rows()))
    assert result.ok, result.errors
    assert (result.rows, result.created, result.updated) == (4, 4, 0)
    li = User.objects.get(username="13800000011")
    assert (li.full_name, li.role, li.station.code) == ("李芳", Role.SOCIAL_WORKER, "haizhu-10")
    assert User.objects.get(username="13800000013").district.code == "440104"
    assert User.objects.get(username="13800000014").agency.credit_code == "52440100MJ0000002X"
    profile = StaffProfile.objects.get(user=li)
    assert (profile.post, profile.qualification, profile.certificate_number) == (
        "frontline",
        "social_worker",
        "S2020-001",
    )
    for user in User.objects.filter(username__in=["13800000011", "zhang.wei"]):
        assert not user.has_usable_password()
    assert not _login(client, "13800000011", "")
    assert len(result.activations) == 4
    assert ActivationToken.objects.count() == 4
    assert not ActivationToken.objects.filter(token_hash=_token(result, "13800000011")).exists()

    link = reverse("golive:activate", args=[_token(result, "13800000011")])
    assert client.get(link).status_code == 200
    # Django's validators: too short, too common, too like the user name.
    # The validators' messages come in the page's Chinese or the test's English.
    for weak, messages in (
        ("short1", ("too short", "太短")),
        ("password123", ("too common", "太常见")),
    ):
        response = client.post(link, {"new_password1": weak, "new_password2": weak})
        assert response.status_code == 400
        assert any(message in response.content.decode() for message in messages)
    assert not User.objects.get(username="13800000011").has_usable_password()
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert _login(client, "13800000011", NEW_PASSWORD)


def test_an_activation_link_works_once(world, client):
    result = staff_import(actor=world["admin"], file=sheet(staff_rows()[:1]))
    link = reverse("golive:activate", args=[_token(result, "13800000011")])
    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = client.post(
        link, {"new_password1": "Another-pass-2099", "new_password2": "Another-pass-2099"}
    )
    assert again.status_code == 404
    assert "已使用、已被替换或已过期" in again.content.decode()
    assert User.objects.get(username="13800000011").check_password(NEW_PASSWORD)


def test_an_expired_activation_link_is_refused(world, client):
    result = staff_import(actor=world["admin"], file=sheet(staff_rows()[:1]))
    ActivationToken.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    link = reverse("golive:activate", args=[_token(result, "13800000011")])
    assert client.get(link).status_code == 404
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 404
    assert not User.objects.get(username="13800000011").has_usable_password()


def test_a_reimport_replaces_the_link_of_an_account_not_yet_activated(world, client):
    first = staff_import(actor=world["admin"], file=sheet(staff_rows()[:1]))
    second = staff_import(actor=world["admin"], file=sheet(staff_rows()[:1]))
    assert (second.created, second.updated, second.unchanged) == (0, 0, 1)
    old = reverse("golive:activate", args=[_token(first, "13800000011")])
    new = reverse("golive:activate", args=[_token(second, "13800000011")])
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def _before() -> tuple[int, int, int]:
    return User.objects.count(), ActivationToken.objects.count(), StaffProfile.objects.count()


def _messages(result) -> list[tuple[int | None, str, str]]:
    return [(e.row, e.column, e.message) for e in result.errors]


def test_an_unknown_role_is_refused(world):
    before = _before()
    rows = staff_rows()
    rows[1][3] = "站长"
    result = staff_import(actor=world["admin"], file=sheet(rows))
    assert len(result.errors) == 1
    assert (result.errors[0].sheet, result.errors[0].row) == ("人员", 3)
    assert result.errors[0].column == "角色"
    assert result.errors[0].message.startswith("Unknown role 站长: one of ")
    assert _before() == before
    assert result.activations == []


def test_an_anchor_outside_the_importers_scope_is_refused(world):
    shenzhen = City.objects.create(name="深圳市", code="440300")
    futian = District.objects.create(city=shenzhen, name="福田区", code="440304")
    street = Street.objects.create(district=futian, name="园岭街道")
    Station.objects.create(street=street, name="园岭社工站", code="futian-01")
    before = _before()
    rows = [*staff_rows()[1:3], ["", "赵强", "13800000015", "社工", "futian-01"]]
    result = staff_import(actor=world["city"], file=sheet(rows))
    assert _messages(result) == [(4, "所属单位代码", "station futian-01 is outside your scope.")]
    assert _before() == before
    rows[2][4] = "nowhere-99"
    result = staff_import(actor=world["city"], file=sheet(rows))
    assert _messages(result) == [(4, "所属单位代码", "No station with code nowhere-99.")]


def test_a_mobile_shared_by_two_accounts_is_refused(world):
    before = _before()
    rows = staff_rows()
    rows[2][0], rows[2][2] = "wang.min", "13800000011"
    result = staff_import(actor=world["admin"], file=sheet(rows))
    assert _messages(result) == [
        (4, "手机号", "Mobile 13800000011 is given to two accounts (also row 2).")
    ]
    assert _before() == before
    worker = world["worker"]
    worker.phone = "13800000012"
    worker.save()
    result = staff_import(actor=world["admin"], file=sheet(staff_rows()))
    assert _messages(result) == [(3, "手机号", "Mobile 13800000012 belongs to the account worker.")]
    assert _before() == before


def test_a_qualification_without_its_certificate_rolls_back_everything(world):
    before = _before()
    rows = staff_rows()
    rows[0][7] = ""  # 证书编号
    result = staff_import(actor=world["admin"], file=sheet(rows))
    assert _messages(result) == [
        (2, "证书编号", "Enter the certificate number of the qualification.")
    ]
    assert _before() == before


def test_only_account_creators_import_staff(world):
    with pytest.raises(PermissionDenied):
        staff_import(actor=world["director"], file=sheet(staff_rows()))


def test_leavers_are_listed_and_deactivated_only_when_confirmed(world):
    admin = world["admin"]
    staff_import(actor=admin, file=sheet(staff_rows()))
    result = staff_import(actor=admin, file=sheet(staff_rows()[1:]))
    assert "13800000011" in result.leavers and "worker" in result.leavers
    assert "admin" not in result.leavers
    assert User.objects.get(username="13800000011").is_active
    result = staff_import(actor=admin, file=sheet(staff_rows()[1:]), deactivate_leavers=True)
    assert result.deactivated == len(result.leavers)
    assert not User.objects.get(username="13800000011").is_active
    assert not User.objects.get(username="worker").is_active
    assert User.objects.get(username="admin").is_active


def test_every_account_change_is_audited(world):
    admin = world["admin"]
    staff_import(actor=admin, file=sheet(staff_rows()))
    created = AuditEntry.objects.filter(
        action="create", object_type="accounts.user", username="admin"
    )
    assert created.count() == 4
    assert set(created.values_list("object_repr", flat=True)) == {"李芳", "张伟", "王敏", "陈静"}
    rows = staff_rows()
    rows[1][1] = "张维"
    staff_import(actor=admin, file=sheet(rows[1:2]), deactivate_leavers=True)
    update = AuditEntry.objects.filter(
        action="update", object_type="accounts.user", object_repr__contains="张维"
    ).get()
    assert update.changes["full_name"] == ["张伟", "张维"]
    assert AuditEntry.objects.filter(action="update", changes__has_key="is_active").count() >= 3
    assert AuditEntry.objects.filter(action="import", object_type="accounts.user").count() == 2


def test_import_staff_command_prints_the_links_once(world):
    out = StringIO()
    path_rows = sheet(staff_rows()[:2]).getvalue()
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        handle.write(path_rows)
        handle.flush()
        call_command(
            "import_staff",
            handle.name,
            "--user",
            "admin",
            "--base-url",
            "https://shegong.example.gov.cn/",
            stdout=out,
        )
        assert "2 rows: 2 created" in out.getvalue()
        links = re.findall(
            r"https://shegong\.example\.gov\.cn/golive/activate/[\w-]+/", out.getvalue()
        )
        assert len(links) == 2
        handle.seek(0)
        rows = staff_rows()[:2]
        rows[1][3] = "站长"
        handle.truncate()
        handle.write(sheet(rows).getvalue())
        handle.flush()
        err = StringIO()
        with pytest.raises(CommandError, match="nothing was loaded"):
            call_command(
                "import_staff", handle.name, "--user", "admin", stdout=StringIO(), stderr=err
            )
        assert "row 3 [角色]: Unknown role 站长" in err.getvalue()
