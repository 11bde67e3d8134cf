"""A registration that may be someone already on file (same name and birth date,
same name and phone, or same pinyin and birth date, at the station) shows the
candidates and needs an explicit confirmation, on the page and in the API, even
when the ID number and phone are left empty."""

import datetime

import pytest

from shegong.clients import services
from shegong.clients.models import Consent, Resident
from tests.helpers import register_resident

BORN = datetime.date(1946, 3, 8)


def form(**changes) -> dict:
    data = {
        "name": "陈秀英",
        "gender": "female",
        "birth_date": BORN.isoformat(),
        "id_number": "",
        "phone": "",
        "address": "",
        "household_role": "",
        "consent_date": datetime.date.today().isoformat(),
        "lawful_basis": "consent",
        "given_by": "self",
        "guardian_name": "",
        "guardian_relation": "",
    }
    return {**data, **changes}


def _on_file(world, name="陈秀英", **details) -> Resident:
    return register_resident(world, name, born=details.pop("born", BORN), **details)


@pytest.mark.parametrize(
    ("existing", "registered"),
    [
        ({}, {}),  # name and birth date, neither ID number nor phone
        ({"phone": "13800138000", "born": datetime.date(1950, 1, 1)}, {"phone": "13800138000"}),
        ({"name": "陈秀英"}, {"name": "陈绣英"}),  # read the same: chen xiu ying
    ],
    ids=["name-and-birth-date", "name-and-phone", "pinyin-and-birth-date"],
)
def test_the_page_shows_the_candidates_and_needs_the_confirmation(
    world, login, existing, registered
):
    first = _on_file(world, **existing)
    client = login(world["worker"])
    shown = client.post("/residents/new/", form(**registered))
    assert shown.status_code == 200
    html = shown.content.decode()
    assert 'data-testid="duplicates"' in html
    assert f'href="/residents/{first.pk}/"' in html
    assert 'name="allow_similar"' in html
    assert "我已核实：此人与上述档案不是同一人" in html
    assert Resident.objects.count() == 1
    confirmed = client.post("/residents/new/", form(**registered, allow_similar="on"))
    assert confirmed.status_code == 302
    assert Resident.objects.count() == 2
    assert Consent.objects.count() == 2


def test_someone_else_is_registered_without_a_question(world, login):
    _on_file(world)
    client = login(world["worker"])
    other = client.post("/residents/new/", form(name="陈秀兰"))
    assert other.status_code == 302
    later = client.post("/residents/new/", form(birth_date="1947-03-08"))
    assert later.status_code == 302
    assert Resident.objects.count() == 3


def test_the_same_person_at_another_station_is_no_candidate(world, login):
    _on_file(world, station=world.station_b, actor=world["director_b"])
    response = login(world["worker"]).post("/residents/new/", form())
    assert response.status_code == 302
    assert Resident.objects.count() == 2


def test_the_api_answers_409_with_the_candidates_unless_confirmed(world, api):
    first = _on_file(world)
    client = api(world["worker"])
    body = {"name": "陈绣英", "gender": "female", "birth_date": BORN.isoformat()}
    refused = client.post("/api/residents/", body, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "duplicate"
    assert [m["id"] for m in refused.json()["matches"]] == [first.pk]
    assert Resident.objects.count() == 1
    confirmed = client.post("/api/residents/", {**body, "confirm_duplicate": True}, format="json")
    assert confirmed.status_code == 201
    assert Resident.objects.count() == 2


def test_the_same_id_number_is_refused_even_when_confirmed(world, api):
    number = "440105194603082023"
    _on_file(world, id_number=number)
    body = {
        "name": "另一人",
        "gender": "female",
        "birth_date": BORN.isoformat(),
        "id_number": number,
        "confirm_duplicate": True,
    }
    refused = api(world["worker"]).post("/api/residents/", body, format="json")
    assert refused.status_code == 409
    assert refused.json()["matches"][0]["same_id_number"] is True
    assert Resident.objects.count() == 1


def test_find_duplicates_names_each_rule(world):
    first = _on_file(world, phone="13800138000")
    station = world.station_a
    assert services.find_duplicates(station=station, name="陈秀英", birth_date=BORN) == [first]
    assert services.find_duplicates(station=station, name="陈秀英", phone="13800138000") == [first]
    assert services.find_duplicates(station=station, name="陈绣英", birth_date=BORN) == [first]
    assert services.find_duplicates(station=station, name="陈绣英", phone="13800138000") == []
    assert services.find_duplicates(station=station, name="陈秀英") == []
