"""Scoped access through the API: list counts and detail visibility per role,
writes, anonymous callers, token log-in, completeness of the access and filter
declarations, and query-count baselines."""

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from shegong.api_urls import router
from shegong.core.scope import Scope
from shegong.org.models import Agency, Contract, Station, Street
from tests.conftest import PASSWORD

# Django's message for a choice outside the queryset, as the filters answer it.
INVALID_CHOICE = "选择一个有效的选项： 该选择不在可用的选项中。"

ENDPOINTS = (
    "stations",
    "districts",
    "streets",
    "agencies",
    "contracts",
    "special-projects",
    "users",
)

# Rows per role as the list endpoints count them, in ENDPOINTS order.
#                   stations districts streets agencies contracts projects users
LIST_COUNTS = {
    "admin": (3, 2, 3, 2, 4, 1, 11),
    # Every account of the city, through its district, station, agency or the
    # stations it evaluates; only the superuser hangs from nowhere.
    "city": (3, 2, 3, 2, 4, 1, 10),
    "district": (2, 1, 2, 2, 2, 0, 4),
    "agency": (1, 1, 1, 1, 2, 1, 3),
    "director": (1, 1, 1, 1, 1, 0, 2),
    # Contracts are hidden from front-line workers and evaluators; evaluators
    # see no staff list at all.
    "worker": (1, 1, 1, 1, 0, 0, 2),
    "evaluator": (1, 1, 1, 1, 0, 0, 0),
    "other_district": (1, 1, 1, 1, 1, 0, 2),
    "other_agency": (2, 2, 2, 1, 2, 0, 3),
    "director_b": (1, 1, 1, 1, 1, 0, 1),
    "worker_c": (1, 1, 1, 1, 0, 0, 1),
}


@pytest.mark.parametrize(
    ("person", "endpoint", "count"),
    [
        (person, endpoint, count)
        for person, counts in LIST_COUNTS.items()
        for endpoint, count in zip(ENDPOINTS, counts, strict=True)
    ],
)
def test_list_count_per_role(world, api, person, endpoint, count):
    response = api(world[person]).get(f"/api/{endpoint}/")
    assert response.status_code == 200
    assert response.json()["count"] == count


@pytest.mark.parametrize(
    ("person", "codes"),
    [
        ("city", ["haizhu-10", "haizhu-11", "yuexiu-02"]),
        ("district", ["haizhu-10", "haizhu-11"]),
        ("agency", ["haizhu-10"]),
        ("evaluator", ["haizhu-10"]),
        ("other_agency", ["haizhu-11", "yuexiu-02"]),
        ("worker_c", ["yuexiu-02"]),
    ],
)
def test_station_list_holds_the_visible_stations(world, api, person, codes):
    results = api(world[person]).get("/api/stations/").json()["results"]
    assert [s["code"] for s in results] == codes


@pytest.mark.parametrize(
    ("person", "usernames"),
    [
        ("director", ["director", "worker"]),
        ("agency", ["agency", "director", "worker"]),
        ("other_agency", ["director_b", "other_agency", "worker_c"]),
        ("district", ["director", "director_b", "district", "worker"]),
    ],
)
def test_user_list_holds_the_visible_accounts(world, api, person, usernames):
    results = api(world[person]).get("/api/users/").json()["results"]
    assert [u["username"] for u in results] == usernames


@pytest.mark.parametrize(
    ("person", "counts"),
    [
        # In code order: 越秀 440104 before 海珠 440105.
        ("city", [("越秀区", 1), ("海珠区", 2)]),
        ("district", [("海珠区", 2)]),
        ("agency", [("海珠区", 1)]),
        ("other_agency", [("越秀区", 1), ("海珠区", 1)]),
        ("worker_c", [("越秀区", 1)]),
    ],
)
def test_district_station_count_counts_only_visible_stations(world, api, person, counts):
    results = api(world[person]).get("/api/districts/").json()["results"]
    assert [(d["name"], d["station_count"]) for d in results] == counts


# --- Detail ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "a", "b", "c"),
    [
        ("admin", 200, 200, 200),
        ("city", 200, 200, 200),
        ("district", 200, 200, 404),
        ("agency", 200, 404, 404),
        ("director", 200, 404, 404),
        ("worker", 200, 404, 404),
        ("evaluator", 200, 404, 404),
        ("other_district", 404, 404, 200),
        ("other_agency", 404, 200, 200),
        ("director_b", 404, 200, 404),
        ("worker_c", 404, 404, 200),
    ],
)
def test_station_detail_per_role(world, api, person, a, b, c):
    client = api(world[person])
    statuses = tuple(
        client.get(f"/api/stations/{s.pk}/").status_code
        for s in (world.station_a, world.station_b, world.station_c)
    )
    assert statuses == (a, b, c)


@pytest.mark.parametrize(
    ("person", "a", "b", "c", "project"),
    [
        ("admin", 200, 200, 200, 200),
        ("city", 200, 200, 200, 200),
        ("district", 200, 200, 404, 404),
        ("agency", 200, 404, 404, 200),
        ("director", 200, 404, 404, 404),
        ("worker", 404, 404, 404, 404),
        ("evaluator", 404, 404, 404, 404),
        ("other_district", 404, 404, 200, 404),
        ("other_agency", 404, 200, 200, 404),
        ("director_b", 404, 200, 404, 404),
        ("worker_c", 404, 404, 404, 404),
    ],
)
def test_contract_detail_per_role(world, api, person, a, b, c, project):
    client = api(world[person])
    contracts = (world.contract_a, world.contract_b, world.contract_c, world.project_contract)
    statuses = tuple(client.get(f"/api/contracts/{k.pk}/").status_code for k in contracts)
    assert statuses == (a, b, c, project)


@pytest.mark.parametrize(
    ("person", "expected"),
    [("city", 200), ("agency", 200), ("district", 404), ("director", 404), ("worker", 404)],
)
def test_special_project_detail_per_role(world, api, person, expected):
    response = api(world[person]).get(f"/api/special-projects/{world.project.pk}/")
    assert response.status_code == expected


def test_out_of_scope_detail_reads_exactly_like_a_missing_one(world, api):
    client = api(world["worker"])
    hidden = client.get(f"/api/stations/{world.station_c.pk}/")
    missing = client.get("/api/stations/999999/")
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert hidden.json() == missing.json()


@pytest.mark.parametrize("person", list(LIST_COUNTS))
def test_users_me_is_the_caller(world, api, person):
    response = api(world[person]).get("/api/users/me/")
    assert response.status_code == 200
    assert response.json()["username"] == person


def test_users_me_of_a_worker_names_role_and_station(world, api):
    me = api(world["worker"]).get("/api/users/me/").json()
    assert (me["role"], me["station"], me["district"]) == (
        "social_worker",
        world.station_a.pk,
        None,
    )


# --- Anonymous and tokens ------------------------------------------------------


@pytest.mark.parametrize("endpoint", [*ENDPOINTS, "users/me"])
def test_anonymous_api_call_is_401_with_a_token_challenge(world, api, endpoint):
    response = api().get(f"/api/{endpoint}/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_anonymous_detail_is_401_not_404(world, api):
    assert api().get(f"/api/stations/{world.station_a.pk}/").status_code == 401


def test_a_bad_token_is_401(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = client.get("/api/stations/")
    assert response.status_code == 401


def test_token_login_then_list_stations(world):
    client = APIClient()
    response = client.post("/api/token/", {"username": "district", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) == 40
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    stations = client.get("/api/stations/")
    assert stations.status_code == 200
    assert [s["code"] for s in stations.json()["results"]] == ["haizhu-10", "haizhu-11"]


def test_token_with_wrong_password_is_refused(world):
    response = APIClient().post("/api/token/", {"username": "district", "password": "nope"})
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


# --- Writes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "station", "expected"),
    [
        ("admin", "c", 200),
        ("city", "a", 200),
        ("city", "c", 200),
        ("district", "a", 200),
        ("district", "b", 200),
        ("district", "c", 404),
        # Insiders who may read but not change get 403.
        ("agency", "a", 403),
        ("director", "a", 403),
        ("worker", "a", 403),
        ("evaluator", "a", 403),
        # Outsiders get 404.
        ("worker", "b", 404),
        ("director_b", "a", 404),
        ("other_district", "a", 404),
    ],
)
def test_patch_station_per_role(world, api, person, station, expected):
    target = {"a": world.station_a, "b": world.station_b, "c": world.station_c}[station]
    response = api(world[person]).patch(
        f"/api/stations/{target.pk}/", {"phone": "020-84441234"}, format="json"
    )
    assert response.status_code == expected
    target.refresh_from_db()
    assert target.phone == ("020-84441234" if expected == 200 else "")


def test_patch_returns_the_changed_station(world, api):
    response = api(world["city"]).patch(
        f"/api/stations/{world.station_a.pk}/", {"address": "沙园街1号"}, format="json"
    )
    body = response.json()
    assert (body["code"], body["address"], body["district_name"]) == (
        "haizhu-10",
        "沙园街1号",
        "海珠区",
    )


def test_put_keeps_the_stations_own_code_and_name(world, api):
    station = world.station_a
    payload = {
        "code": station.code,
        "name": station.name,
        "street": station.street_id,
        "agency": station.agency_id,
        "address": "沙园街2号",
        "phone": "",
        "is_active": True,
    }
    response = api(world["district"]).put(f"/api/stations/{station.pk}/", payload, format="json")
    assert response.status_code == 200
    station.refresh_from_db()
    assert station.address == "沙园街2号"


def test_patch_to_another_stations_code_gets_the_unique_message(world, api):
    response = api(world["city"]).patch(
        f"/api/stations/{world.station_a.pk}/", {"code": "haizhu-11"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["code"]


def test_district_officer_cannot_move_a_station_into_the_other_district(world, api):
    response = api(world["district"]).patch(
        f"/api/stations/{world.station_a.pk}/", {"street": world.street_c.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"street": [f"无效主键 “{world.street_c.pk}” － 对象不存在。"]}
    world.station_a.refresh_from_db()
    assert world.station_a.street == world.street_a


def _new_station(street: Street) -> dict:
    return {"code": "haizhu-20", "name": "新社工站", "street": street.pk}


def test_director_cannot_create_a_station(world, api):
    response = api(world["director"]).post(
        "/api/stations/", _new_station(world.street_a), format="json"
    )
    assert response.status_code == 403
    assert Station.objects.count() == 3


def test_district_officer_creates_a_station_in_own_district(world, api):
    response = api(world["district"]).post(
        "/api/stations/", _new_station(world.street_a), format="json"
    )
    assert response.status_code == 201
    assert Station.objects.get(code="haizhu-20").street == world.street_a


def test_district_officer_cannot_create_into_a_street_of_the_other_district(world, api):
    client = api(world["district"])
    hidden = client.post("/api/stations/", _new_station(world.street_c), format="json")
    missing = client.post(
        "/api/stations/", {**_new_station(world.street_c), "street": 999999}, format="json"
    )
    assert (hidden.status_code, missing.status_code) == (400, 400)
    # The hidden street reads as nonexistent: the same message, its id aside.
    assert hidden.json() == {"street": [f"无效主键 “{world.street_c.pk}” － 对象不存在。"]}
    assert missing.json() == {"street": ["无效主键 “999999” － 对象不存在。"]}
    assert Station.objects.count() == 3


def test_district_officer_contract_for_hidden_station_is_refused(world, api):
    response = api(world["district"]).post(
        "/api/contracts/",
        {
            "code": "GZ-2026-X",
            "buyer": "越秀区民政局",
            "agency": world.agency_b.pk,
            "station": world.station_c.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "amount": "100.00",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["station"]
    assert Contract.objects.count() == 4


def test_district_officer_cannot_create_an_agency(world, api):
    response = api(world["district"]).post(
        "/api/agencies/", {"name": "广州市新社工服务中心"}, format="json"
    )
    assert response.status_code == 403
    assert Agency.objects.count() == 2


def test_city_officer_creates_an_agency(world, api):
    response = api(world["city"]).post(
        "/api/agencies/", {"name": "广州市新社工服务中心"}, format="json"
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("endpoint", "filter_name", "hidden"),
    [
        ("stations", "district", "other_district"),
        ("streets", "district", "other_district"),
        ("contracts", "station", "station_c"),
        ("users", "station", "station_c"),
    ],
)
def test_out_of_scope_filter_id_reads_like_a_missing_one(world, api, endpoint, filter_name, hidden):
    client = api(world["district"])
    pk = getattr(world, hidden).pk
    refused = client.get(f"/api/{endpoint}/", {filter_name: pk})
    missing = client.get(f"/api/{endpoint}/", {filter_name: 999999})
    assert (refused.status_code, missing.status_code) == (400, 400)
    assert refused.json() == missing.json() == {filter_name: [INVALID_CHOICE]}


# --- Completeness --------------------------------------------------------------


def _shegong_models():
    return [
        model
        for config in apps.get_app_configs()
        if config.name.startswith("shegong.")
        for model in config.get_models()
    ]


def test_there_are_shegong_models_to_check():
    names = {m._meta.label for m in _shegong_models()}
    assert {"accounts.User", "org.Station", "org.Contract"} <= names


@pytest.mark.parametrize("model", _shegong_models(), ids=lambda m: m._meta.label)
def test_every_model_declares_its_scope(model):
    assert isinstance(getattr(model, "scope", None), Scope)
    assert callable(getattr(model._default_manager.all(), "visible_to", None))


@pytest.mark.parametrize(
    ("prefix", "viewset"), [(prefix, viewset) for prefix, viewset, _basename in router.registry]
)
def test_every_api_viewset_declares_its_filters(prefix, viewset):
    assert getattr(viewset, "filterset_class", None) or getattr(viewset, "filterset_fields", None)


# --- Query counts ----------------------------------------------------------------


def _add_stations(world, count: int) -> None:
    """More stations, each with its own street and agency, so that a relation
    fetched per row would show in the query count."""
    for n in range(count):
        street = Street.objects.create(district=world.district, name=f"测试街{n}")
        agency = Agency.objects.create(city=world.city, name=f"测试社工机构{n}")
        Station.objects.create(
            street=street, agency=agency, name=f"测试社工站{n}", code=f"haizhu-{30 + n}"
        )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if hasattr(response, "render"):
            response.render()
    assert response.status_code == 200
    return len(captured)


# The checked-in baseline: raise it only with a reason.
API_STATION_LIST_QUERIES = 2


def test_api_station_list_query_count_does_not_grow_with_stations(world, api):
    client = api(world["city"])
    client.get("/api/stations/")
    with_3 = _queries(client, "/api/stations/")
    _add_stations(world, 17)
    assert client.get("/api/stations/").json()["count"] == 20
    with_20 = _queries(client, "/api/stations/")
    assert (with_3, with_20) == (API_STATION_LIST_QUERIES, API_STATION_LIST_QUERIES)


def test_directory_query_count_does_not_grow_with_stations(world, client):
    client.force_login(world["city"])
    client.get("/org/")
    with_3 = _queries(client, "/org/")
    _add_stations(world, 17)
    assert client.get("/org/").context["page"].paginator.count == 20
    with_20 = _queries(client, "/org/")
    assert with_20 == with_3


# --- Who may write, checked before the body is read -------------------------------

# The stations' own work: a superuser reads it but creates none of it, so a POST
# is 403 whatever the body (station staff sending the same empty body get 400).
STATION_WORK_COLLECTIONS = [
    "residents",
    "households",
    "consents",
    "client-statuses",
    "tags",
    "cases",
    "observations",
    "alert-rules",
    "plans",
    "plan-projects",
    "service-events",
    "groups",
    "volunteers",
    "volunteer-teams",
    "volunteer-signups",
    "party-organisations",
    "party-members",
    "community-organisations",
    "governance-projects",
    "deliberation-meetings",
    "meal-enrolments",
]


@pytest.mark.parametrize("endpoint", STATION_WORK_COLLECTIONS)
def test_the_superuser_creates_none_of_the_stations_work(world, api, endpoint):
    assert api(world["admin"]).get(f"/api/{endpoint}/").status_code == 200
    assert api(world["admin"]).post(f"/api/{endpoint}/", {}, format="json").status_code == 403
    assert api(world["director"]).post(f"/api/{endpoint}/", {}, format="json").status_code == 400


@pytest.mark.parametrize("endpoint", ["agencies", "stations", "contracts", "staff-profiles"])
def test_the_superuser_administers_the_organisations_tables(world, api, endpoint):
    """The organisation's own tables stay the superuser's to write: an empty
    body is a 400 that says what is missing, not a refusal."""
    assert api(world["admin"]).post(f"/api/{endpoint}/", {}, format="json").status_code == 400


def test_a_read_only_endpoint_answers_405_not_403(world, api):
    for person in ("admin", "district", "worker"):
        response = api(world[person]).post("/api/meal-records/", {}, format="json")
        assert response.status_code == 405


def test_named_scope_actions(world):
    """A scope's named action (the plan's "decide") is a right of its own roles,
    within their scope; change is not implied by it nor it by change."""
    from shegong.core.scope import CHANGE, VIEW, can, may
    from shegong.plans.models import DECIDE, AnnualPlan

    plan = AnnualPlan.objects.create(station=world.station_a, year=2026)
    rights = {
        person: (can(world[person], DECIDE, plan), can(world[person], CHANGE, plan))
        for person in ("admin", "city", "district", "director", "other_district", "director_b")
    }
    assert rights == {
        "admin": (False, False),
        "city": (True, False),
        "district": (True, False),
        "director": (False, True),
        "other_district": (False, False),
        "director_b": (False, False),
    }
    assert can(world["admin"], VIEW, plan)
    assert may(world["district"], DECIDE, AnnualPlan)
    assert not may(world["admin"], DECIDE, AnnualPlan)
    with pytest.raises(ValueError, match="unknown action 'publish'"):
        can(world["city"], "publish", plan)
