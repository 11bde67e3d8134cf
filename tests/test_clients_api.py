"""The residents and clients API: registration with search-before-create, ID
numbers (validated, masked, revealed only to the assigned worker and logged),
merge, optimistic locking, consent, classification, tags and households."""

import datetime

import pytest
from django.utils import timezone
from django.utils.translation import gettext, override

from shegong.cases import services as case_services
from shegong.clients import identity, services
from shegong.clients.models import ClientStatus, Consent, Household, Resident, ResidentTag
from shegong.core.models import AccessLog
from shegong.core.roles import Role
from tests.conftest import make_user
from tests.helpers import open_case

# 440105 (海珠区) · born 1980-01-01 · sequence 123 · check digit 4.
ID_NUMBER = "440105198001011234"
MASKED = "4401**********1234"
BORN = datetime.date(1980, 1, 1)


def zh(message: str) -> str:
    """A message as the API answers it: in Simplified Chinese, the default."""
    with override("zh-hans"):
        return gettext(message)


def valid_id(first17: str) -> str:
    return first17 + identity.id_check_char(first17)


def payload(**changes) -> dict:
    data = {
        "name": "陈秀英",
        "gender": "female",
        "birth_date": BORN.isoformat(),
        "id_number": ID_NUMBER,
        "phone": "13800138000",
        "address": "沙园街1号",
    }
    return {**data, **changes}


def register(world, **changes) -> Resident:
    data = {
        "name": "陈秀英",
        "gender": "female",
        "birth_date": BORN,
        "id_number": ID_NUMBER,
        "phone": "13800138000",
        **changes,
    }
    return services.resident_register(actor=world["worker"], station=world.station_a, **data)


def with_consent(world, resident: Resident, **options) -> Resident:
    services.consent_record(
        actor=world["worker"], resident=resident, recorded_on=timezone.localdate(), **options
    )
    return resident


@pytest.fixture
def worker2(world):
    """A second social worker at station A, on none of the cases."""
    return make_user("worker2", Role.SOCIAL_WORKER, station=world.station_a)


def test_the_example_id_number_is_valid():
    assert identity.validate_id_number(ID_NUMBER) == ID_NUMBER
    assert valid_id("44010519800101123") == ID_NUMBER


# --- Registration ----------------------------------------------------------------


def test_worker_registers_a_resident_with_a_masked_id_number(world, api):
    response = api(world["worker"]).post("/api/residents/", payload(), format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["station"], body["id_number_masked"]) == (
        "陈秀英",
        world.station_a.pk,
        MASKED,
    )
    assert ID_NUMBER not in response.content.decode()
    assert "id_number" not in body
    resident = Resident.objects.get()
    assert resident.id_number_masked == MASKED
    assert ID_NUMBER not in resident.id_number_encrypted
    assert resident.id_number_hash == identity.lookup_hash(ID_NUMBER)
    assert resident.created_by == world["worker"]


def test_registration_normalises_a_lower_case_x_and_spaces(world, api):
    number = valid_id("11010519491231002")
    assert number.endswith("X")
    typed = number[:6] + " " + number[6:-1] + "x"
    response = api(world["worker"]).post(
        "/api/residents/",
        payload(id_number=typed, birth_date="1949-12-31"),
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["id_number_masked"] == "1101**********002X"


def test_same_id_number_is_409_with_the_existing_record(world, api):
    existing = register(world)
    response = api(world["director"]).post(
        "/api/residents/", payload(name="陈秀英二", phone=""), format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "duplicate"
    assert body["detail"] == "本站已登记此人。"
    assert body["matches"] == [
        {
            "id": existing.pk,
            "name": "陈秀英",
            "birth_date": "1980-01-01",
            "id_number_masked": MASKED,
            "same_id_number": True,
        }
    ]
    assert Resident.objects.count() == 1


def test_same_id_number_is_refused_even_with_allow_similar(world, api):
    existing = register(world)
    response = api(world["worker"]).post(
        "/api/residents/", payload(allow_similar=True), format="json"
    )
    assert response.status_code == 409
    assert [m["id"] for m in response.json()["matches"]] == [existing.pk]
    assert Resident.objects.count() == 1


def test_same_name_birth_date_and_phone_is_409_unless_allow_similar(world, api):
    existing = register(world, id_number="")
    client = api(world["worker"])
    refused = client.post("/api/residents/", payload(id_number=""), format="json")
    assert refused.status_code == 409
    assert refused.json()["matches"] == [
        {
            "id": existing.pk,
            "name": "陈秀英",
            "birth_date": "1980-01-01",
            "id_number_masked": "",
            "same_id_number": False,
        }
    ]
    assert Resident.objects.count() == 1
    allowed = client.post(
        "/api/residents/", payload(id_number="", allow_similar=True), format="json"
    )
    assert allowed.status_code == 201
    assert Resident.objects.count() == 2


def test_the_same_person_at_another_station_is_no_duplicate(world, api):
    register(world)
    response = api(world["worker_c"]).post("/api/residents/", payload(), format="json")
    assert response.status_code == 201
    assert response.json()["station"] == world.station_c.pk


def test_wrong_check_digit_is_400_with_the_message(world, api):
    response = api(world["worker"]).post(
        "/api/residents/", payload(id_number="440105198001011235"), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"id_number": ["身份证号校验位不正确，请核对。"]}
    assert Resident.objects.count() == 0


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("44010519800101123", "An ID number has 18 characters: 17 digits and a digit or X."),
        ("04010519800101123X", "An ID number has 18 characters: 17 digits and a digit or X."),
        (valid_id("44010519801301123"), "The ID number does not contain a plausible birth date."),
        (valid_id("44010518800101123"), "The ID number does not contain a plausible birth date."),
    ],
)
def test_malformed_id_number_is_400(world, api, number, message):
    response = api(world["worker"]).post(
        "/api/residents/", payload(id_number=number), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"id_number": [zh(message)]}


def test_birth_date_differing_from_the_id_number_is_400(world, api):
    response = api(world["worker"]).post(
        "/api/residents/", payload(birth_date="1980-01-02"), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"birth_date": [zh("The birth date does not match the ID number.")]}


@pytest.mark.parametrize("phone", ["12800138000", "1380013800", "138001380001", "020-84441234"])
def test_invalid_mobile_is_400(world, api, phone):
    response = api(world["worker"]).post("/api/residents/", payload(phone=phone), format="json")
    assert response.status_code == 400
    assert response.json() == {"phone": ["内地手机号码为 11 位，以 13–19 开头。"]}
    assert Resident.objects.count() == 0


def test_mobile_with_country_code_is_stored_as_11_digits(world, api):
    response = api(world["worker"]).post(
        "/api/residents/", payload(phone="+86 138-0013-8000"), format="json"
    )
    assert response.status_code == 201
    assert response.json()["phone"] == "13800138000"


@pytest.mark.parametrize("person", ["district", "city", "agency", "evaluator"])
def test_officials_cannot_register_residents(world, api, person):
    response = api(world[person]).post("/api/residents/", payload(), format="json")
    assert response.status_code == 403
    assert Resident.objects.count() == 0


def test_anonymous_registration_is_401(world, api):
    assert api().post("/api/residents/", payload(), format="json").status_code == 401


# --- Reading and searching -----------------------------------------------------


@pytest.mark.parametrize(
    ("person", "count", "detail"),
    [
        ("worker", 1, 200),
        ("director", 1, 200),
        # Personal data stays with the station: officials see statistics, not people.
        ("agency", 0, 404),
        ("district", 0, 404),
        ("city", 0, 404),
        ("evaluator", 0, 404),
        ("director_b", 0, 404),
        ("worker_c", 0, 404),
    ],
)
def test_resident_visibility_per_role(world, api, person, count, detail):
    resident = register(world)
    client = api(world[person])
    assert client.get("/api/residents/").json()["count"] == count
    assert client.get(f"/api/residents/{resident.pk}/").status_code == detail


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("秀英", True),
        ("138001", True),
        (ID_NUMBER, True),
        (ID_NUMBER.lower().replace("4", "4 ", 1), True),
        # The masked form or a fragment of the number finds nothing: numbers are
        # matched by their keyed hash, never decrypted.
        (MASKED, False),
        ("44010519800101", False),
        ("张", False),
    ],
)
def test_search_by_name_phone_or_whole_id_number(world, api, query, found):
    resident = register(world)
    register(world, name="李明", id_number="", phone="13900000000", birth_date=BORN)
    results = api(world["worker"]).get("/api/residents/", {"q": query}).json()["results"]
    assert [r["id"] for r in results] == ([resident.pk] if found else [])


def test_detail_has_age_minor_flag_and_current_classifications_and_tags(world, api):
    today = timezone.localdate()
    child_id = valid_id(f"440105{today.year - 10}0101123")
    child = register(
        world, name="王小明", id_number=child_id, birth_date=datetime.date(today.year - 10, 1, 1)
    )
    services.client_classify(
        actor=world["worker"],
        resident=child,
        domain="youth",
        category="priority",
        priority_kind="hardship_youth",
        started_on=today - datetime.timedelta(days=30),
    )
    ended = services.client_classify(
        actor=world["worker"],
        resident=child,
        domain="family",
        category="general",
        started_on=today - datetime.timedelta(days=60),
    )
    services.client_status_end(
        actor=world["worker"], status=ended, ended_on=today - datetime.timedelta(days=1)
    )
    services.tag_add(
        actor=world["worker"], resident=child, tag="left_behind_child", started_on=today
    )
    body = api(world["worker"]).get(f"/api/residents/{child.pk}/").json()
    assert (body["age"], body["is_minor"], body["is_priority"]) == (10, True, True)
    assert [(c["domain"], c["category"], c["priority_kind"]) for c in body["classifications"]] == [
        ("youth", "priority", "hardship_youth")
    ]
    assert [t["tag"] for t in body["tags"]] == ["left_behind_child"]


def test_adult_is_not_a_minor(world, api):
    body = api(world["worker"]).get(f"/api/residents/{register(world).pk}/").json()
    today = timezone.localdate()
    assert body["age"] == today.year - 1980
    assert body["is_minor"] is False
    assert body["classifications"] == []


# --- Reveal ----------------------------------------------------------------------


def test_assigned_worker_reveals_the_id_number_and_it_is_logged(world, api):
    resident = with_consent(world, register(world))
    open_case(world, resident)
    response = api(world["worker"]).post(f"/api/residents/{resident.pk}/reveal-id/")
    assert response.status_code == 200
    assert response.json() == {"id_number": ID_NUMBER}
    assert response["Cache-Control"] == "no-store"
    entry = AccessLog.objects.get()
    assert (entry.user, entry.action, entry.object_id, entry.station, entry.ip) == (
        world["worker"],
        "reveal_id_number",
        resident.pk,
        world.station_a,
        "127.0.0.1",
    )


def test_reveal_twice_logs_twice(world, api):
    resident = with_consent(world, register(world))
    open_case(world, resident)
    client = api(world["worker"])
    client.post(f"/api/residents/{resident.pk}/reveal-id/")
    client.post(f"/api/residents/{resident.pk}/reveal-id/")
    assert AccessLog.objects.count() == 2


def test_unassigned_worker_cannot_reveal_and_nothing_is_logged(world, api, worker2):
    resident = with_consent(world, register(world))
    open_case(world, resident)
    response = api(worker2).post(f"/api/residents/{resident.pk}/reveal-id/")
    assert response.status_code == 403
    assert ID_NUMBER not in response.content.decode()
    assert AccessLog.objects.count() == 0


def test_reveal_after_the_case_closed_is_refused(world, api):
    resident = with_consent(world, register(world))
    case = open_case(world, resident)
    case_services.case_close(
        actor=world["worker"], case=case, closed_on=timezone.localdate(), outcome="client_withdrew"
    )
    response = api(world["worker"]).post(f"/api/residents/{resident.pk}/reveal-id/")
    assert response.status_code == 403
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize(("person", "expected"), [("district", 404), ("worker_c", 404)])
def test_reveal_out_of_scope_is_404(world, api, person, expected):
    resident = with_consent(world, register(world))
    open_case(world, resident)
    response = api(world[person]).post(f"/api/residents/{resident.pk}/reveal-id/")
    assert response.status_code == expected
    assert AccessLog.objects.count() == 0


# --- Update and optimistic locking -----------------------------------------------


def test_patch_with_the_current_version_saves_and_bumps_it(world, api):
    resident = register(world)
    response = api(world["worker"]).patch(
        f"/api/residents/{resident.pk}/",
        {"address": "沙园街2号", "version": 1},
        format="json",
    )
    assert response.status_code == 200
    assert (response.json()["address"], response.json()["version"]) == ("沙园街2号", 2)


def test_patch_with_a_stale_version_is_409_and_changes_nothing(world, api):
    resident = register(world)
    client = api(world["worker"])
    first = client.patch(
        f"/api/residents/{resident.pk}/", {"address": "第一次", "version": 1}, format="json"
    )
    assert first.status_code == 200
    second = api(world["director"]).patch(
        f"/api/residents/{resident.pk}/", {"address": "第二次", "version": 1}, format="json"
    )
    assert second.status_code == 409
    assert second.json() == {
        "detail": "您打开此档案后，其他人已修改。请刷新查看最新内容后再编辑。",
        "code": "conflict",
    }
    resident.refresh_from_db()
    assert (resident.address, resident.version) == ("第一次", 2)


def test_patch_without_version_is_400(world, api):
    resident = register(world)
    response = api(world["worker"]).patch(
        f"/api/residents/{resident.pk}/", {"address": "x"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["version"]


def test_patch_with_an_invalid_phone_is_400(world, api):
    resident = register(world)
    response = api(world["worker"]).patch(
        f"/api/residents/{resident.pk}/", {"phone": "12345", "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["phone"]
    resident.refresh_from_db()
    assert (resident.phone, resident.version) == ("13800138000", 1)


def test_patch_to_another_residents_id_number_is_409(world, api):
    other = register(world)
    resident = register(world, name="李明", id_number="", phone="")
    response = api(world["worker"]).patch(
        f"/api/residents/{resident.pk}/",
        {"id_number": ID_NUMBER, "birth_date": "1980-01-01", "version": 1},
        format="json",
    )
    assert response.status_code == 409
    assert [m["id"] for m in response.json()["matches"]] == [other.pk]


@pytest.mark.parametrize(("person", "expected"), [("district", 404), ("director_b", 404)])
def test_patch_out_of_scope_is_404(world, api, person, expected):
    resident = register(world)
    response = api(world[person]).patch(
        f"/api/residents/{resident.pk}/", {"address": "x", "version": 1}, format="json"
    )
    assert response.status_code == expected


def test_put_and_delete_are_not_offered(world, api):
    resident = register(world)
    client = api(world["director"])
    assert client.put(f"/api/residents/{resident.pk}/", payload(), format="json").status_code == 405
    assert client.delete(f"/api/residents/{resident.pk}/").status_code == 405


# --- Merge -----------------------------------------------------------------------


def test_merge_keeps_the_duplicates_cases_and_consents(world, api):
    keep = with_consent(world, register(world))
    duplicate = with_consent(
        world,
        services.resident_register(
            actor=world["worker"],
            station=world.station_a,
            name="陈秀英",
            gender="female",
            birth_date=BORN,
            phone="13800138000",
            allow_similar=True,
        ),
    )
    case = open_case(world, duplicate)
    response = api(world["director"]).post(
        f"/api/residents/{keep.pk}/merge/", {"duplicate": duplicate.pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["id"] == keep.pk
    case.refresh_from_db()
    duplicate.refresh_from_db()
    assert case.client == keep
    assert Consent.objects.filter(resident=keep).count() == 2
    assert duplicate.merged_into == keep
    listed = api(world["worker"]).get("/api/residents/").json()
    assert [r["id"] for r in listed["results"]] == [keep.pk]
    tombstone = api(world["worker"]).get(f"/api/residents/{duplicate.pk}/").json()
    assert tombstone["merged_into"] == keep.pk


def test_merge_into_itself_is_400(world, api):
    resident = register(world)
    response = api(world["director"]).post(
        f"/api/residents/{resident.pk}/merge/", {"duplicate": resident.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": [zh("A record cannot be merged into itself.")]}


def test_merge_with_a_record_of_another_station_reads_as_missing(world, api):
    keep = register(world)
    other = services.resident_register(
        actor=world["worker_c"],
        station=world.station_c,
        name="陈秀英",
        gender="female",
        birth_date=BORN,
    )
    response = api(world["director"]).post(
        f"/api/residents/{keep.pk}/merge/", {"duplicate": other.pk}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["duplicate"]
    other.refresh_from_db()
    assert other.merged_into is None


def test_only_the_station_director_merges_through_the_service_the_api_and_the_page(world, api):
    """The page offers the merge form to the director alone; a worker of the same
    station who posts anyway is refused by the API (403) and by the service, and
    nothing is merged."""
    from django.core.exceptions import PermissionDenied
    from django.test import Client

    keep = register(world)
    duplicate = services.resident_register(
        actor=world["worker"],
        station=world.station_a,
        name="陈秀英",
        gender="female",
        birth_date=BORN,
        allow_similar=True,
    )
    response = api(world["worker"]).post(
        f"/api/residents/{keep.pk}/merge/", {"duplicate": duplicate.pk}, format="json"
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied) as refused:
        services.resident_merge(actor=world["worker"], keep=keep, duplicate=duplicate)
    assert str(refused.value) == zh("Only the station director merges duplicate records.")
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    form = f"/residents/{keep.pk}/merge/"
    for person, shown in (("worker", False), ("director", True)):
        client = Client()
        client.force_login(world[person])
        assert (form in client.get(f"/residents/{keep.pk}/").content.decode()) is shown


# --- Consent ---------------------------------------------------------------------


def _child(world) -> Resident:
    today = timezone.localdate()
    born = datetime.date(today.year - 8, 1, 1)
    return register(
        world, name="王小明", id_number=valid_id(f"440105{born:%Y%m%d}123"), birth_date=born
    )


def test_consent_of_a_child_under_14_without_a_guardian_is_400(world, api):
    child = _child(world)
    response = api(world["worker"]).post(
        "/api/consents/", {"resident": child.pk, "given_by": "self"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "guardian_name": ["未满 14 周岁的儿童须由父母或监护人同意，并填写监护人姓名。"]
    }
    assert Consent.objects.count() == 0


def test_guardian_named_without_saying_so_is_still_400(world, api):
    child = _child(world)
    response = api(world["worker"]).post(
        "/api/consents/",
        {"resident": child.pk, "given_by": "self", "guardian_name": "王大明"},
        format="json",
    )
    assert response.status_code == 400


def test_consent_of_a_child_by_a_named_guardian_is_recorded(world, api):
    child = _child(world)
    response = api(world["worker"]).post(
        "/api/consents/",
        {
            "resident": child.pk,
            "given_by": "guardian",
            "guardian_name": "王大明",
            "guardian_relation": "父亲",
            "covers_referral_sharing": True,
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["given_by"], body["guardian_name"], body["recorded_by"]) == (
        "guardian",
        "王大明",
        world["worker"].pk,
    )
    assert body["recorded_on"] == timezone.localdate().isoformat()


def test_statutory_duty_needs_no_guardian(world, api):
    child = _child(world)
    response = api(world["director"]).post(
        "/api/consents/",
        {"resident": child.pk, "lawful_basis": "statutory_duty"},
        format="json",
    )
    assert response.status_code == 201


def test_consent_dated_in_the_future_is_400(world, api):
    resident = register(world)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = api(world["worker"]).post(
        "/api/consents/",
        {"resident": resident.pk, "recorded_on": tomorrow.isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["recorded_on"]


def test_consent_for_a_resident_of_another_station_is_400(world, api):
    resident = register(world)
    response = api(world["worker_c"]).post(
        "/api/consents/", {"resident": resident.pk}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["resident"]


def test_consent_list_is_per_station(world, api):
    with_consent(world, register(world))
    assert api(world["director"]).get("/api/consents/").json()["count"] == 1
    assert api(world["director_b"]).get("/api/consents/").json()["count"] == 0


# --- Classification and tags ------------------------------------------------------


def test_classify_then_reclassify_ends_the_earlier_one(world, api):
    resident = register(world)
    client = api(world["worker"])
    today = timezone.localdate()
    first = client.post(
        "/api/client-statuses/",
        {
            "resident": resident.pk,
            "domain": "elderly",
            "category": "general",
            "started_on": (today - datetime.timedelta(days=10)).isoformat(),
        },
        format="json",
    )
    assert first.status_code == 201
    second = client.post(
        "/api/client-statuses/",
        {
            "resident": resident.pk,
            "domain": "elderly",
            "category": "priority",
            "priority_kind": "hardship_elder",
        },
        format="json",
    )
    assert second.status_code == 201
    statuses = ClientStatus.objects.order_by("started_on")
    assert [(s.category, s.ended_on) for s in statuses] == [
        ("general", today - datetime.timedelta(days=1)),
        ("priority", None),
    ]
    current = client.get("/api/client-statuses/", {"current": "true"}).json()["results"]
    assert [s["id"] for s in current] == [second.json()["id"]]


def test_priority_kind_of_another_domain_is_400(world, api):
    resident = register(world)
    response = api(world["worker"]).post(
        "/api/client-statuses/",
        {
            "resident": resident.pk,
            "domain": "youth",
            "category": "priority",
            "priority_kind": "hardship_elder",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["priority_kind"]
    assert ClientStatus.objects.count() == 0


def test_featured_is_not_a_classification_domain(world, api):
    resident = register(world)
    response = api(world["worker"]).post(
        "/api/client-statuses/",
        {"resident": resident.pk, "domain": "featured", "category": "general"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["domain"]


def test_end_a_classification(world, api):
    resident = register(world)
    status = services.client_classify(
        actor=world["worker"],
        resident=resident,
        domain="family",
        category="general",
        started_on=timezone.localdate() - datetime.timedelta(days=5),
    )
    response = api(world["worker"]).post(f"/api/client-statuses/{status.pk}/end/", {})
    assert response.status_code == 200
    assert response.json()["ended_on"] == timezone.localdate().isoformat()


def test_end_before_the_start_is_400(world, api):
    resident = register(world)
    status = services.client_classify(
        actor=world["worker"],
        resident=resident,
        domain="family",
        category="general",
        started_on=timezone.localdate(),
    )
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = api(world["worker"]).post(
        f"/api/client-statuses/{status.pk}/end/", {"ended_on": yesterday.isoformat()}
    )
    assert response.status_code == 400
    status.refresh_from_db()
    assert status.ended_on is None


def test_tag_add_and_end(world, api):
    resident = register(world)
    client = api(world["worker"])
    added = client.post(
        "/api/tags/", {"resident": resident.pk, "tag": "living_alone"}, format="json"
    )
    assert added.status_code == 201
    again = client.post(
        "/api/tags/", {"resident": resident.pk, "tag": "living_alone"}, format="json"
    )
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": ["该居民已有此标签。"]}
    ended = client.post(f"/api/tags/{added.json()['id']}/end/", {})
    assert ended.status_code == 200
    assert ResidentTag.objects.get().ended_on == timezone.localdate()


@pytest.mark.parametrize("endpoint", ["client-statuses", "tags", "consents", "households"])
def test_officials_see_no_client_records(world, api, endpoint):
    resident = with_consent(world, register(world))
    services.tag_add(
        actor=world["worker"], resident=resident, tag="low_income", started_on=timezone.localdate()
    )
    services.client_classify(
        actor=world["worker"],
        resident=resident,
        domain="family",
        category="general",
        started_on=timezone.localdate(),
    )
    services.household_create(actor=world["worker"], station=world.station_a, name="陈家")
    assert api(world["director"]).get(f"/api/{endpoint}/").json()["count"] == 1
    assert api(world["city"]).get(f"/api/{endpoint}/").json()["count"] == 0


# --- Households --------------------------------------------------------------------


def test_create_a_household_and_link_a_member(world, api):
    resident = register(world)
    client = api(world["worker"])
    created = client.post(
        "/api/households/", {"name": "陈家", "address": "沙园街1号"}, format="json"
    )
    assert created.status_code == 201
    household = created.json()
    assert (household["station"], household["members"]) == (world.station_a.pk, [])
    linked = client.patch(
        f"/api/residents/{resident.pk}/",
        {"household": household["id"], "household_role": "户主", "version": 1},
        format="json",
    )
    assert linked.status_code == 200
    members = client.get(f"/api/households/{household['id']}/").json()["members"]
    assert members == [{"id": resident.pk, "name": "陈秀英", "household_role": "户主"}]


def test_household_of_another_station_cannot_be_linked(world, api):
    resident = register(world)
    other = Household.objects.create(station=world.station_c, name="别家")
    response = api(world["worker"]).patch(
        f"/api/residents/{resident.pk}/", {"household": other.pk, "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["household"]


def test_district_officer_cannot_create_a_household(world, api):
    response = api(world["district"]).post("/api/households/", {"name": "陈家"}, format="json")
    assert response.status_code == 403
    assert Household.objects.count() == 0


def test_superuser_cannot_write_a_stations_resident_data(world, api):
    """Personal data is the station's: even the system administrator does not
    record consent or classify residents (docs/domain.md "Who uses it")."""
    resident = Resident.objects.create(
        station=world.station_a, name="陈伯", gender="male", birth_date=datetime.date(1945, 5, 1)
    )
    response = api(world["admin"]).post(
        "/api/client-statuses/",
        {
            "resident": resident.pk,
            "domain": "elderly",
            "category": "general",
            "started_on": "2026-01-05",
        },
        format="json",
    )
    assert response.status_code == 403
    assert resident.statuses.count() == 0
