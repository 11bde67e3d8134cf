"""The directory of services 资源库 (issue 16 point 1): who reads and keeps the
entries, search by service, area and pinyin, `partners_for`, bad input, the API.
The six entries are tests/directory_world.py's."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from shegong.referrals import selectors, services
from shegong.referrals.models import Partner
from tests.conftest import shared
from tests.directory_world import make_directory
from tests.helpers import refusal

d = shared(make_directory)

LIST = reverse("referrals:partner-list")


def _names(response) -> list[str]:
    return sorted(p.name for p in response.context["page"])


def test_a_worker_reads_every_active_entry_and_their_own_stations_inactive(login, world, d):
    response = login(world["worker"]).get(LIST)
    assert response.status_code == 200
    assert _names(response) == [
        "北京街助残服务站",
        "广州市慈善会",
        "沙园旧伙伴",
        "海珠区法律援助处",
        "海珠区第一人民医院",
    ]
    assert "资源库" in response.content.decode()


def test_the_city_reads_all_six_and_another_station_not_station_as_inactive(login, world, d):
    assert len(_names(login(world["city"]).get(LIST))) == 6
    names = _names(login(world["worker_c"]).get(LIST))
    assert "越秀旧合作单位" in names and "沙园旧伙伴" not in names and len(names) == 5


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("domain=elderly", ["广州市慈善会", "海珠区第一人民医院"]),
        ("domain=family&active=true", ["广州市慈善会", "海珠区法律援助处", "海珠区第一人民医院"]),
        ("kind=legal_aid", ["海珠区法律援助处"]),
        ("q=hzq", ["海珠区法律援助处", "海珠区第一人民医院"]),
        ("q=haizhuqudiyi", ["海珠区第一人民医院"]),
        ("q=康复", ["海珠区第一人民医院"]),
    ],
)
def test_search_by_service_kind_and_name(login, world, d, query, expected):
    assert _names(login(world["worker"]).get(f"{LIST}?{query}")) == expected


def test_search_by_area_includes_the_entries_serving_the_whole_city(login, world, d):
    client = login(world["city"])
    district = _names(client.get(f"{LIST}?district={world.district.pk}&domain=family"))
    assert district == ["广州市慈善会", "海珠区法律援助处", "海珠区第一人民医院"]
    street_c = _names(client.get(f"{LIST}?street={world.street_c.pk}"))
    assert street_c == ["北京街助残服务站", "广州市慈善会", "越秀旧合作单位"]


def test_partners_for_offers_active_entries_accepting_the_domain_in_the_area(world, d):
    worker = world["worker"]
    offered = selectors.partners_for(worker, "featured", world.other_district)
    assert sorted(p.name for p in offered) == ["北京街助残服务站", "广州市慈善会"]
    assert [p.name for p in selectors.partners_for(worker, "featured", world.district)] == [
        "广州市慈善会"
    ]
    assert selectors.partners_for(worker, "youth").count() == 1  # 沙园旧伙伴 is inactive


def test_detail_of_an_active_entry_is_read_by_another_station_but_not_edited(login, world, d):
    url = reverse("referrals:partner-detail", args=[d.hospital.pk])
    edit = reverse("referrals:partner-edit", args=[d.hospital.pk])
    page = login(world["worker"]).get(url)
    assert page.status_code == 200 and edit in page.content.decode()
    other = login(world["worker_c"])
    page = other.get(url)
    assert page.status_code == 200 and edit not in page.content.decode()
    assert other.get(edit).status_code == 403
    assert other.post(edit, {"name": "改名"}).status_code == 403
    assert Partner.objects.get(pk=d.hospital.pk).name == "海珠区第一人民医院"


def test_an_inactive_entry_is_not_found_outside_its_keepers_scope(login, world, d):
    url = reverse("referrals:partner-detail", args=[d.old_c.pk])
    assert login(world["worker"]).get(url).status_code == 404
    assert login(world["district"]).get(url).status_code == 404
    assert login(world["other_district"]).get(url).status_code == 200
    assert Client().get(url).status_code == 302


@pytest.mark.parametrize(
    ("who", "status"),
    [("worker", 200), ("director", 200), ("district", 200), ("city", 200), ("agency", 403)],
)
def test_who_keeps_a_stations_entry(login, world, d, who, status):
    edit = reverse("referrals:partner-edit", args=[d.hospital.pk])
    assert login(world[who]).get(edit).status_code == status


def test_a_worker_registers_an_entry_kept_by_their_station(login, world, d):
    response = login(world["worker"]).post(
        reverse("referrals:partner-create"),
        {
            "name": "沙园街居委会",
            "kind": "residents_committee",
            "domains": ["elderly", "youth"],
            "served_district": world.district.pk,
            "phone": "020-84123457",
            "active": "on",
        },
    )
    partner = Partner.objects.get(name="沙园街居委会")
    assert response.status_code == 302
    assert (partner.station, partner.district, partner.city) == (
        world.station_a,
        world.district,
        world.city,
    )
    assert partner.domain_list == ["elderly", "youth"]
    assert partner.name_initials == "syjjwh"


def test_a_district_officer_edits_a_stations_entry_of_their_district(login, world, d):
    edit = reverse("referrals:partner-edit", args=[d.hospital.pk])
    response = login(world["district"]).post(
        edit, {"name": "海珠区第一人民医院", "kind": "hospital", "domains": ["elderly"]}
    )
    assert response.status_code == 302
    hospital = Partner.objects.get(pk=d.hospital.pk)
    assert hospital.domain_list == ["elderly"] and hospital.active is False


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "", "kind": "hospital"}, "该字段是必填项。"),
        ({"name": "某医院", "kind": "hospital", "phone": "8412abc"}, "区号"),
        ({"name": "某站", "kind": "station"}, "请写明是平台上的哪个社工站"),
    ],
)
def test_bad_input_says_why_and_saves_nothing(login, world, d, fields, message):
    before = Partner.objects.count()
    response = login(world["worker"]).post(reverse("referrals:partner-create"), fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Partner.objects.count() == before


def test_a_street_outside_the_district_served_is_refused(world, d):
    assert refusal(
        services.partner_create,
        actor=world["city"],
        name="错区单位",
        kind="other",
        served_district=world.district,
        served_street=world.street_c,
    ) == ["This street is not in the district served."]


def test_a_station_cannot_register_an_entry_for_another_station(world, d):
    with pytest.raises(PermissionDenied):
        services.partner_create(
            actor=world["worker"], keeper=world.station_c, name="别站", kind="other"
        )
    assert not Partner.objects.filter(name="别站").exists()


def test_the_api_lists_filters_and_creates_through_the_service(api, world, d):
    client = api(world["worker"])
    listed = client.get("/api/directory/?domain=elderly").json()
    assert sorted(p["name"] for p in listed["results"]) == ["广州市慈善会", "海珠区第一人民医院"]
    created = client.post(
        "/api/directory/",
        {"name": "沙园学校", "kind": "school", "domains": ["youth"], "phone": "020-84000001"},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["domains"] == ["youth"]
    assert created.json()["station"] == world.station_a.pk
    bad = client.post(
        "/api/directory/", {"name": "坏号码", "kind": "school", "phone": "12"}, format="json"
    )
    assert bad.status_code == 400 and "phone" in bad.json()
    assert api(world["agency"]).post("/api/directory/", {}, format="json").status_code == 403
    assert not Partner.objects.filter(name="坏号码").exists()


def test_the_demo_directory_adds_three_entries_per_district_and_two_city_wide_once(world):
    from shegong.demo.directory import load_demo_directory

    assert load_demo_directory() == 8
    assert load_demo_directory() == 0
    haizhu = Partner.objects.filter(district=world.district).order_by("name")
    assert [p.name for p in haizhu] == ["海珠区人民医院", "海珠区残疾人联合会", "海珠区法律援助处"]
    assert haizhu[0].kind == "hospital" and haizhu[0].phone.startswith("020-8")
    assert Partner.objects.filter(district=None).count() == 2


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum(not q["sql"].startswith(("SAVEPOINT", "RELEASE")) for q in captured.captured_queries)


def test_the_list_and_the_api_ask_the_same_queries_for_five_entries_or_fifteen(
    login, api, world, d
):
    page, rest = login(world["worker"]), api(world["worker"])
    page.get(LIST)  # the user's station into the cache (org.units)
    before = (_queries(page, LIST), _queries(rest, "/api/directory/"))
    for n in range(10):
        services.partner_create(
            actor=world["worker"],
            name=f"合作单位{n}",
            kind="charity",
            domains=["family"],
            served_district=world.district,
            served_street=world.street_a,
        )
    assert (_queries(page, LIST), _queries(rest, "/api/directory/")) == before == (5, 2)
