"""Names searched by pinyin (clients.pinyin): "zs", "zhangsan" and "张三" find 张三
on the resident list, the API, the meal enrolment, and the look-ups of the
attendance and group forms; the keys are stored columns, written by the
services and filled for existing rows by the migration; the resident list sorts
by pinyin or by last contact."""

import datetime
import importlib

from django.apps import apps
from django.test import Client

from shegong.clients import pinyin
from shegong.clients import services as client_services
from shegong.clients.models import Resident
from tests.conftest import shared
from tests.delivery_world import TODAY, make_delivery, record

HX = {"HX-Request": "true"}

delivery = shared(make_delivery)


def _register(d, name: str, born=datetime.date(1950, 5, 1)) -> Resident:
    return client_services.resident_register(
        actor=d["worker"],
        station=d.world.station_a,
        name=name,
        gender="male",
        birth_date=born,
        allow_similar=True,
    )


def _people(d) -> dict[str, Resident]:
    return {
        name: _register(d, name, datetime.date(1940 + i, 1, 1))
        for i, name in enumerate(["张三", "李四", "王五", "张三丰", "曾小贤"])
    }


def login(d, person: str = "worker") -> Client:
    client = Client()
    client.force_login(d[person])
    return client


def _listed(response) -> list[str]:
    return [r.name for r in response.context["page"]]


def test_name_keys():
    assert pinyin.name_keys("张三") == ("zhangsan", "zs")
    assert pinyin.name_keys(" 吕 ") == ("lv", "l")
    # A surname read as a surname, not as the character's usual reading (ceng).
    assert pinyin.name_keys("曾小贤") == ("zengxiaoxian", "zxx")
    assert pinyin.name_keys("Anna 李") == ("annali", "al")


def test_registration_and_edit_write_the_keys(delivery):
    resident = _register(delivery, "张三")
    stored = Resident.objects.values_list("name_pinyin", "name_initials").get(pk=resident.pk)
    assert stored == ("zhangsan", "zs")
    client_services.resident_update(
        actor=delivery["worker"], resident=resident, version=resident.version, name="李四"
    )
    stored = Resident.objects.values_list("name_pinyin", "name_initials").get(pk=resident.pk)
    assert stored == ("lisi", "ls")


def test_resident_list_finds_by_characters_pinyin_and_initials(delivery):
    _people(delivery)
    client = login(delivery)
    for query in ("张三", "zs", "zhangsan", "ZhangSan", "zhang san"):
        assert _listed(client.get("/residents/", {"q": query})) == ["张三", "张三丰"], query
    assert _listed(client.get("/residents/", {"q": "zsf"})) == ["张三丰"]
    assert _listed(client.get("/residents/", {"q": "zeng"})) == ["曾小贤"]
    assert _listed(client.get("/residents/", {"q": "ls"})) == ["李四"]
    # Letters that start no name find nobody; another station's 张三 is not listed.
    assert _listed(client.get("/residents/", {"q": "qq"})) == []
    other = login(delivery, "worker_b")
    assert _listed(other.get("/residents/", {"q": "zs"})) == []


def test_api_search_by_initials(delivery, api):
    _people(delivery)
    found = api(delivery["worker"]).get("/api/residents/", {"q": "zs"})
    assert found.status_code == 200
    assert [r["name"] for r in found.json()["results"]] == ["张三", "张三丰"]


def test_service_attendance_and_group_lookups_find_by_initials(delivery):
    people = _people(delivery)
    client = login(delivery)
    event = record(delivery, attendees=[people["李四"]])
    url = f"/services/{event.pk}/attendance/"
    found = client.get(url, {"q": "zs"}, headers=HX).context["found"]
    assert [r.name for r, _ticked in found.rows] == ["张三", "张三丰"]
    found = client.get("/services/groups/new/", {"q": "wangwu"}, headers=HX).context["found"]
    assert [r.name for r, _ticked in found.rows] == ["王五"]
    found = client.get("/services/new/", {"q": "zxx"}, headers=HX).context["found"]
    assert [r.name for r, _ticked in found.rows] == ["曾小贤"]


def test_meal_enrolment_finds_by_pinyin(delivery):
    _people(delivery)
    page = login(delivery).get("/community/meals/enrol/", {"q": "zhangsanf"})
    assert [r.name for r, _age in page.context["candidates"]] == ["张三丰"]


def test_resident_list_sorted_by_pinyin_and_by_last_contact(delivery):
    people = _people(delivery)
    record(delivery, attendees=[people["王五"]], held_on=TODAY() - datetime.timedelta(days=3))
    record(delivery, attendees=[people["张三"]], held_on=TODAY())
    client = login(delivery)
    names = ["张三", "李四", "王五", "张三丰", "曾小贤"]
    by_pinyin = [n for n in _listed(client.get("/residents/", {"sort": "pinyin"})) if n in names]
    assert by_pinyin == ["李四", "王五", "曾小贤", "张三", "张三丰"]
    page = client.get("/residents/", {"sort": "contact"})
    ordered = [n for n in _listed(page) if n in names]
    # The most recent contact first; the never-seen after, by pinyin.
    assert ordered[:2] == ["张三", "王五"]
    assert ordered[2:] == ["李四", "曾小贤", "张三丰"]
    assert TODAY().strftime("%Y-%m-%d") in page.content.decode()


def test_migration_fills_existing_rows(delivery):
    people = _people(delivery)
    Resident.objects.update(name_pinyin="", name_initials="")
    migration = importlib.import_module("shegong.clients.migrations.0002_resident_name_pinyin")
    migration.fill_pinyin(apps, None)
    stored = Resident.objects.values_list("name_pinyin", "name_initials").get(
        pk=people["张三丰"].pk
    )
    assert stored == ("zhangsanfeng", "zsf")
    assert not Resident.objects.filter(name_pinyin="").exists()


def test_api_orders_by_pinyin(delivery, api):
    _people(delivery)
    found = api(delivery["worker"]).get("/api/residents/", {"q": "z", "ordering": "name_pinyin"})
    assert [r["name"] for r in found.json()["results"]] == ["曾小贤", "张三", "张三丰"]
