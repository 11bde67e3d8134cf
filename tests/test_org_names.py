"""The forms' community and service point options come from the cache
(org.names) and follow every change at once: a rename, a new point, a point
closed; a posted value is still checked against the database."""

import re

from shegong.org.models import Community, ServicePoint


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def _communities(world) -> tuple[Community, Community, Community]:
    street = world.station_a.street
    return (
        Community.objects.create(street=street, name="沙园北社区"),
        Community.objects.create(street=street, name="沙园南社区"),
        Community.objects.create(street=world.street_c, name="别街社区"),
    )


def test_the_registration_form_shows_the_names_as_they_are_now(world, login):
    north, south, _elsewhere = _communities(world)
    worker = login(world["worker"])
    page = worker.get("/residents/new/").content.decode()
    communities = sorted([north.name, south.name])
    assert _options(page, "community") == ["---------", *communities]
    assert _options(page, "point") == ["---------"]
    # Read again from the cache: the same options.
    assert _options(worker.get("/residents/new/").content.decode(), "community") == [
        "---------",
        *communities,
    ]

    first = north
    first.name = "沙园新社区"
    first.save()
    point = ServicePoint.objects.create(
        station=world.station_a, name="东晓社工点", code="SP-A-9", community=first
    )
    page = worker.get("/residents/new/").content.decode()
    assert _options(page, "community") == ["---------", *sorted(["沙园新社区", south.name])]
    assert _options(page, "point") == ["---------", "东晓社工点"]

    point.is_active = False
    point.save()
    assert _options(worker.get("/residents/new/").content.decode(), "point") == ["---------"]


def test_a_community_of_another_street_is_refused_though_not_offered(world, login):
    *_ours, elsewhere = _communities(world)
    response = login(world["worker"]).post(
        "/residents/new/",
        {
            "name": "冯外街",
            "gender": "female",
            "birth_date": "1980-01-01",
            "community": elsewhere.pk,
            "consent_date": "2026-12-01",
            "lawful_basis": "consent",
            "given_by": "self",
        },
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
