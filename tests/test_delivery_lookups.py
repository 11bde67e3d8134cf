"""The attendance correction, group creation and service recording pages list
only the residents that matter to them (the event's attendees, the group's
members, those ticked in a form shown again) and find anybody else of the
station by name, through the scope: the page does not grow with the station's
residents, and a POST is still validated against the whole station of the user."""

from __future__ import annotations

import re

from django.test import Client

from shegong.delivery.models import Group, ServiceEvent
from tests.conftest import shared
from tests.delivery_world import TODAY, _resident, group, make_delivery, record, session

HX = {"HX-Request": "true"}
INVALID = "Select a valid choice. {pk} is not one of the available choices."


delivery = shared(make_delivery)


def login(d, person: str = "worker") -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(d[person])
    return client


def _names(checklist) -> list[str]:
    return [r.name for r, _ticked in checklist.rows]


def _boxes(html: str, field: str) -> list[tuple[str, bool]]:
    """(resident id, ticked) of each resident checkbox of `field` in the page."""
    return [
        (pk, bool(checked))
        for pk, checked in re.findall(
            rf'type="checkbox" name="{field}" value="(\d+)" id="[a-z]+-\d+"( checked)?', html
        )
    ]


def _more_residents(d, n: int) -> None:
    """`n` more residents of station A, named alike (外来居民NN)."""
    for i in range(n):
        _resident(d["worker"], d.world.station_a, f"外来居民{i:02d}")


# --- Correcting attendance ----------------------------------------------------------


def test_attendance_page_lists_the_attendees_and_looks_up_the_others(delivery):
    r = delivery.residents
    event = record(delivery, attendees=r[:3])
    client = login(delivery)
    url = f"/services/{event.pk}/attendance/"
    page = client.get(url)
    html = page.content.decode()
    assert _boxes(html, "attendees") == [(str(x.pk), True) for x in r[:3]]
    assert "居民09" not in html  # of the station, but neither attending nor a member
    # Found by name, leaving out those listed and those ticked since (sent along).
    found = client.get(url, {"q": "居民0", "attendees": [r[3].pk]}, headers=HX)
    assert found.templates[0].name == "delivery/_lookup_results.html"
    assert _names(found.context["found"]) == [f"居民{n:02d}" for n in range(5, 10)]
    assert _boxes(found.content.decode(), "attendees") == [(str(x.pk), False) for x in r[4:9]]
    # Without JavaScript: the whole page with what was found.
    assert _names(client.get(url, {"q": "居民09"}).context["found"]) == ["居民09"]
    # Another station's resident is never found.
    assert _names(client.get(url, {"q": "南石头"}, headers=HX).context["found"]) == []


def test_attendance_of_a_session_lists_members_and_attendees_only(delivery):
    r = delivery.residents
    grp = group(delivery, members=10)
    event = session(delivery, grp, [*r[:4], r[12]])
    client = login(delivery)
    url = f"/services/{event.pk}/attendance/"
    page = client.get(url)
    members, others = page.context["members"], page.context["others"]
    assert [(x.name, ticked) for x, ticked in members.rows] == [
        (f"居民{n:02d}", n <= 4) for n in range(1, 11)
    ]
    assert [(x.name, ticked) for x, ticked in others.rows] == [("居民13", True)]
    html = page.content.decode()
    assert len(_boxes(html, "attendees")) == 11
    assert "居民14" not in html
    found = client.get(url, {"q": "居民1"}, headers=HX).context["found"]
    assert _names(found) == ["居民11", "居民12", "居民14", "居民15"]


def test_attendance_saves_a_looked_up_resident(delivery):
    r = delivery.residents
    event = record(delivery, attendees=r[:3])
    client = login(delivery)
    url = f"/services/{event.pk}/attendance/"
    (found,) = client.get(url, {"q": "居民12"}, headers=HX).context["found"].rows
    response = client.post(url, {"attendees": [r[0].pk, found[0].pk], "headcount": "0"})
    assert (response.status_code, response["Location"]) == (302, f"/services/{event.pk}/")
    event.refresh_from_db()
    assert event.person_times == 2
    assert set(event.attendances.values_list("resident__name", flat=True)) == {"居民01", "居民12"}


def test_attendance_refuses_a_resident_out_of_scope(delivery):
    r = delivery.residents
    event = record(delivery, attendees=r[:3])
    url = f"/services/{event.pk}/attendance/"
    outsider = delivery.resident_b.pk
    response = login(delivery).post(url, {"attendees": [r[0].pk, outsider], "headcount": "0"})
    assert response.status_code == 400
    assert response.context["form"].errors["attendees"] == [INVALID.format(pk=outsider)]
    # The page shown again keeps the attendees and the ticked resident of the station.
    assert [(x.name, ticked) for x, ticked in response.context["others"].rows] == [
        ("居民01", True),
        ("居民02", False),
        ("居民03", False),
    ]
    event.refresh_from_db()
    assert event.person_times == 3
    assert set(event.attendances.values_list("resident", flat=True)) == {x.pk for x in r[:3]}


def test_attendance_page_does_not_grow_with_the_station(delivery):
    event = record(delivery, attendees=delivery.residents[:3])
    client = login(delivery)
    url = f"/services/{event.pk}/attendance/"
    before = client.get(url).content.decode()
    _more_residents(delivery, 30)
    after = client.get(url).content.decode()
    assert "外来居民" not in after
    assert len(after) == len(before)


# --- Creating a group ---------------------------------------------------------------


def _group_form(d, members, name: str = "长者怀旧小组") -> dict:
    return {
        "project": d.projects["elderly"].pk,
        "name": name,
        "planned_sessions": "6",
        "members": members,
        "leaders": [d["worker"].pk],
    }


def test_group_creation_lists_nobody_and_looks_up_members(delivery):
    r = delivery.residents
    client = login(delivery)
    url = "/services/groups/new/"
    page = client.get(url)
    html = page.content.decode()
    assert (_boxes(html, "members"), page.context["others"].rows) == ([], [])
    assert "居民" not in html
    found = client.get(url, {"q": "居民1", "members": [r[10].pk]}, headers=HX)
    assert found.templates[0].name == "delivery/_lookup_results.html"
    assert _names(found.context["found"]) == ["居民10", "居民12", "居民13", "居民14", "居民15"]
    assert len(_boxes(found.content.decode(), "members")) == 5
    assert _names(client.get(url, {"q": "南石头"}, headers=HX).context["found"]) == []
    # Station B's worker finds station B's resident, and none of station A's.
    other = login(delivery, "worker_b")
    assert _names(other.get(url, {"q": "居民"}, headers=HX).context["found"]) == ["南石头居民"]


def test_group_created_with_looked_up_members(delivery):
    client = login(delivery)
    found = client.get("/services/groups/new/", {"q": "居民0"}, headers=HX).context["found"]
    response = client.post(
        "/services/groups/new/", _group_form(delivery, [x.pk for x, _ in found.rows])
    )
    grp = Group.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/services/groups/{grp.pk}/")
    assert sorted(grp.members.values_list("name", flat=True)) == [f"居民0{n}" for n in range(1, 10)]


def test_group_creation_refuses_a_resident_out_of_scope(delivery):
    r = delivery.residents
    outsider = delivery.resident_b.pk
    response = login(delivery).post(
        "/services/groups/new/", _group_form(delivery, [r[2].pk, outsider])
    )
    assert response.status_code == 400
    assert response.context["form"].errors["members"] == [INVALID.format(pk=outsider)]
    assert Group.objects.count() == 0


def test_group_form_shown_again_keeps_only_the_ticked_residents(delivery):
    r = delivery.residents
    response = login(delivery).post(
        "/services/groups/new/", _group_form(delivery, [r[5].pk, r[2].pk], name="")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert _boxes(html, "members") == [(str(r[2].pk), True), (str(r[5].pk), True)]
    assert "居民01" not in html
    assert Group.objects.count() == 0


def test_group_creation_page_does_not_grow_with_the_station(delivery):
    client = login(delivery)
    before = client.get("/services/groups/new/").content.decode()
    _more_residents(delivery, 30)
    after = client.get("/services/groups/new/").content.decode()
    assert len(after) == len(before)
    assert ServiceEvent.objects.count() == 0


# --- Recording a service ------------------------------------------------------------


def _event_form(d, attendees, title: str = "中秋游园会") -> dict:
    return {
        "project": d.projects["key"].pk,
        "kind": "activity",
        "held_on": TODAY().isoformat(),
        "title": title,
        "headcount": "0",
        "attendees": attendees,
        "workers": [d["worker"].pk],
    }


def test_record_form_lists_nobody_and_records_looked_up_attendees(delivery):
    client = login(delivery)
    page = client.get("/services/new/")
    assert (_boxes(page.content.decode(), "attendees"), page.context["others"].rows) == ([], [])
    found = client.get("/services/new/", {"q": "居民1"}, headers=HX).context["found"]
    assert _names(found) == [f"居民{n}" for n in range(10, 16)]
    assert _names(client.get("/services/new/", {"q": "南石头"}, headers=HX).context["found"]) == []
    response = client.post("/services/new/", _event_form(delivery, [r.pk for r, _ in found.rows]))
    event = ServiceEvent.objects.get()
    assert (response.status_code, event.person_times) == (302, 6)


def test_record_form_refuses_a_resident_out_of_scope_and_keeps_the_ticked(delivery):
    r = delivery.residents
    outsider = delivery.resident_b.pk
    response = login(delivery).post("/services/new/", _event_form(delivery, [r[4].pk, outsider]))
    assert response.status_code == 400
    assert response.context["form"].errors["attendees"] == [INVALID.format(pk=outsider)]
    assert _boxes(response.content.decode(), "attendees") == [(str(r[4].pk), True)]
    assert ServiceEvent.objects.count() == 0


def test_record_form_does_not_grow_with_the_station(delivery):
    client = login(delivery)
    before = client.get("/services/new/").content.decode()
    _more_residents(delivery, 30)
    assert len(client.get("/services/new/").content.decode()) == len(before)
