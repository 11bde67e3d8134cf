"""Bad input gets a 4xx with a readable message, never a 500, and never tells
an outsider more than a missing record would: unknown and malformed ids,
broken and oversized bodies, invalid filters, model rules, wrong passwords and
the lock-out after repeated failures."""

import json

import pytest
from axes.models import AccessAttempt
from django.test import Client

from shegong.org.models import Contract
from tests.conftest import PASSWORD

HUGE_ID = "99999999999999999999"
# Django's messages in the default language (Simplified Chinese).
INVALID_CHOICE = "选择一个有效的选项： 该选择不在可用的选项中。"
FILTER_WARNING = "部分筛选条件无效，已忽略："
WRONG_LOGIN = "请输入一个正确的用户名和密码。注意，两者都区分大小写。"

API_ENDPOINTS = [
    "stations",
    "districts",
    "streets",
    "agencies",
    "contracts",
    "special-projects",
    "users",
]


@pytest.fixture
def web(world):
    """A browser-like client that answers errors with pages instead of raising."""
    return Client(raise_request_exception=False)


# --- Unknown and malformed ids -----------------------------------------------


@pytest.mark.parametrize("pk", ["999999", HUGE_ID])
def test_unknown_station_page_is_404(world, web, pk):
    web.force_login(world["city"])
    response = web.get(f"/org/stations/{pk}/")
    assert response.status_code == 404
    assert [t.name for t in response.templates][0] == "404.html"


@pytest.mark.parametrize("endpoint", API_ENDPOINTS)
@pytest.mark.parametrize("pk", ["999999", "abc", HUGE_ID, "-1"])
def test_unknown_or_malformed_api_id_is_404(world, api, endpoint, pk):
    response = api(world["admin"]).get(f"/api/{endpoint}/{pk}/")
    assert response.status_code == 404


@pytest.mark.parametrize("pk", ["999999", "abc", HUGE_ID])
def test_patch_of_unknown_station_is_404(world, api, pk):
    response = api(world["city"]).patch(f"/api/stations/{pk}/", {"phone": "1"}, format="json")
    assert response.status_code == 404


# --- Broken and oversized bodies ------------------------------------------------


def test_malformed_json_is_400(world, api):
    response = api(world["city"]).patch(
        f"/api/stations/{world.station_a.pk}/",
        data='{"phone": "020-1234",',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


def test_json_that_is_not_an_object_is_400(world, api):
    response = api(world["city"]).patch(
        f"/api/stations/{world.station_a.pk}/", data="[]", content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"opened_on": "not-a-date"}, "opened_on"),
        ({"opened_on": "2025-02-30"}, "opened_on"),
        ({"street": "abc"}, "street"),
        ({"street": int(HUGE_ID)}, "street"),
        ({"is_active": "maybe"}, "is_active"),
        ({"code": "x" * 21}, "code"),
    ],
)
def test_invalid_field_value_is_400_on_that_field(world, api, payload, field):
    response = api(world["city"]).patch(
        f"/api/stations/{world.station_a.pk}/", payload, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_body_over_the_upload_limit_is_413(world, api, settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2 * 1024 * 1024
    body = json.dumps({"address": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    response = api(world["city"]).patch(
        f"/api/stations/{world.station_a.pk}/", data=body, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "请求内容过大。"}
    world.station_a.refresh_from_db()
    assert world.station_a.address == ""


def test_form_body_over_the_upload_limit_is_413(world, api, settings):
    response = api(world["city"]).patch(
        f"/api/stations/{world.station_a.pk}/",
        data="address=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413


def test_too_many_form_fields_is_400(world, api):
    body = "&".join(f"f{n}=1" for n in range(2001))
    response = api(world["city"]).patch(
        f"/api/stations/{world.station_a.pk}/",
        data=body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400


def test_web_form_over_the_upload_limit_is_400(world, web, settings):
    response = web.post(
        "/accounts/login/",
        {"username": "worker", "password": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)},
    )
    assert response.status_code == 400


# --- Invalid filters -------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "999999", HUGE_ID, "-1"])
def test_invalid_district_filter_on_api_is_400_with_message(world, api, value):
    response = api(world["city"]).get("/api/stations/", {"district": value})
    assert response.status_code == 400
    assert response.json() == {"district": [INVALID_CHOICE]}


def test_out_of_scope_district_filter_on_api_is_400_like_a_missing_one(world, api):
    response = api(world["district"]).get("/api/stations/", {"district": world.other_district.pk})
    assert response.status_code == 400
    assert response.json() == {"district": [INVALID_CHOICE]}


def test_invalid_date_filter_on_api_is_400_with_message(world, api):
    response = api(world["city"]).get("/api/contracts/", {"active_on": "2025-13-01"})
    assert response.status_code == 400
    assert list(response.json()) == ["active_on"]


def test_over_long_search_on_api_is_an_ordinary_search(world, api):
    response = api(world["city"]).get("/api/stations/", {"q": "沙园" + "x" * 10_000})
    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize("value", ["abc", HUGE_ID])
def test_invalid_district_filter_on_directory_warns(world, web, value):
    web.force_login(world["city"])
    response = web.get("/org/", {"district": value})
    assert response.status_code == 200
    assert FILTER_WARNING in response.content.decode()
    # The invalid filter is ignored: every station in scope is listed.
    assert response.context["page"].paginator.count == 3


def test_out_of_scope_district_filter_on_directory_warns_and_leaks_nothing(world, web):
    web.force_login(world["district"])
    response = web.get("/org/", {"district": world.other_district.pk})
    content = response.content.decode()
    assert response.status_code == 200
    assert FILTER_WARNING in content
    # Ignored like an unknown id: the officer's own two stations, nothing else.
    assert response.context["page"].paginator.count == 2
    assert "北京街社工站" not in content
    assert "yuexiu-02" not in content


def test_out_of_scope_district_filter_on_export_leaks_nothing(world, web):
    web.force_login(world["district"])
    response = web.get("/org/export.csv", {"district": world.other_district.pk})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert response.status_code == 200
    # Header plus the officer's own two stations; 北京街 (other district) never.
    assert len(lines) == 3
    assert not any("yuexiu-02" in line for line in lines)


@pytest.mark.parametrize(("page", "shown"), [("abc", 1), (HUGE_ID, 1), ("-3", 1)])
def test_bad_page_number_on_directory_shows_a_page(world, web, page, shown):
    web.force_login(world["city"])
    response = web.get("/org/", {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == shown


# --- Model rules ------------------------------------------------------------------


def _contract(world, **changes) -> dict:
    return {
        "code": "GZ-2026-01",
        "buyer": "广州市海珠区民政局",
        "agency": world.agency_a.pk,
        "station": world.station_a.pk,
        "starts_on": "2026-07-01",
        "ends_on": "2025-06-30",
        "amount": "1000.00",
        **changes,
    }


def test_contract_ending_before_it_starts_is_400_with_the_models_message(world, api):
    response = api(world["city"]).post("/api/contracts/", _contract(world), format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["合同结束日期必须晚于开始日期。"]}
    assert Contract.objects.count() == 4


def test_contract_patched_to_end_before_it_starts_is_400(world, api):
    response = api(world["city"]).patch(
        f"/api/contracts/{world.contract_a.pk}/", {"ends_on": "2025-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["合同结束日期必须晚于开始日期。"]}
    world.contract_a.refresh_from_db()
    assert str(world.contract_a.ends_on) == "2028-06-30"


def test_contract_for_both_a_station_and_a_project_is_400(world, api):
    payload = _contract(world, ends_on="2027-06-30", special_project=world.project.pk)
    response = api(world["city"]).post("/api/contracts/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["一份合同只能对应一个社工站或一个专项服务项目。"]
    }


def test_valid_contract_is_created(world, api):
    payload = _contract(world, ends_on="2027-06-30")
    response = api(world["city"]).post("/api/contracts/", payload, format="json")
    assert response.status_code == 201
    assert Contract.objects.count() == 5


# --- Log-in ------------------------------------------------------------------------


def _login(client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_wrong_password_shows_an_error(world, web):
    response = _login(web, "worker", "Wrong-horse-42")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [WRONG_LOGIN]
    assert WRONG_LOGIN in response.content.decode()
    assert "_auth_user_id" not in web.session


def test_unknown_user_gets_the_same_error_as_a_wrong_password(world, web):
    wrong_password = _login(web, "worker", "Wrong-horse-42")
    unknown_user = _login(Client(raise_request_exception=False), "nobody", "Wrong-horse-42")
    assert unknown_user.status_code == 200
    assert (
        unknown_user.context["form"].non_field_errors()
        == wrong_password.context["form"].non_field_errors()
        == [WRONG_LOGIN]
    )


def test_account_is_locked_after_the_failure_limit(world, web, settings):
    assert settings.AXES_FAILURE_LIMIT == 3
    assert [_login(web, "worker", "Wrong-horse-42").status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    attempt = AccessAttempt.objects.get(username="worker")
    assert attempt.failures_since_start == 3
    locked = _login(web, "worker", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in web.session


def test_lock_out_is_per_account(world, web):
    for _ in range(3):
        _login(web, "worker", "Wrong-horse-42")
    response = _login(web, "director", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_success_before_the_limit_resets_the_count(world, web):
    _login(web, "worker", "Wrong-horse-42")
    _login(web, "worker", "Wrong-horse-42")
    assert _login(web, "worker", PASSWORD).status_code == 302
    web.logout()
    assert _login(web, "worker", "Wrong-horse-42").status_code == 200
    assert AccessAttempt.objects.filter(username="worker").count() == 1
    assert AccessAttempt.objects.get(username="worker").failures_since_start == 1
