"""Figures read with thousands separators ("12,345", `core/templatetags/figures`),
while ids and years in links and form values stay as they are.

The fixture: station A records one group activity with a head-count of 1,234
this year (1,234 person-times) and this month's 特困人员 roster lists 1,005
persons at 沙园社区 (station A), none of them reached yet; the roster entries'
ids therefore run past 1000.
"""

from __future__ import annotations

import re

from shegong.delivery import services as delivery_services
from shegong.plans import services as plan_services
from shegong.rosters.models import RosterEntry
from tests.conftest import shared
from tests.helpers import today
from tests.roster_helpers import communities, id_number, load, row

PERSONS = 1005


def build(world):
    communities(world)
    month = today().replace(day=1)
    rows = [
        row(
            n % 1000,
            id=id_number(n % 1000, born="19400101" if n < 1000 else "19410101"),
            name=f"名单人{n}",
        )
        for n in range(1, PERSONS + 1)
    ]
    assert load(world, rows, month=month).ok
    director = world["director"]
    plan = plan_services.plan_create(actor=director, station=world.station_a, year=today().year)
    project = plan_services.project_add(
        actor=director, plan=plan, kind="basic", domain="elderly", name="长者服务"
    )
    return delivery_services.service_event_record(
        actor=world["worker"],
        project=project,
        kind="activity",
        held_on=today(),
        title="社区长者节",
        headcount=1234,
    )


event = shared(build)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_dashboard_home_and_service_list_show_1234_person_times_grouped(
    world, event, client, login
):
    year = today().year
    login(world["director"])
    html = page(client, "/stats/")
    assert 'data-testid="total">1,234<' in html
    assert 'data-testid="domain-elderly">1,234<' in html
    assert ">1234<" not in html
    # The year in the form and the links is a year, not a figure.
    assert f'name="year" id="id_year" value="{year}"' in html
    assert f"{year:,}" not in html
    assert "1,234" in page(client, "/")  # the director's 113X progress
    html = page(client, "/services/")
    assert 'data-testid="person-times-total">1,234<' in html
    assert f'href="/services/{event.pk}/"' in html


def test_coverage_and_outreach_show_1005_grouped_and_ids_past_1000_intact(
    world, event, client, login
):
    login(world["district"])
    html = page(client, "/rosters/coverage/?level=station")
    station = world.station_a.pk
    assert f'data-testid="on_roster-{station}-all">1,005<' in html
    assert f'data-testid="never_reached-{station}-all">1,005<' in html

    login(world["worker"])
    html = page(client, "/rosters/outreach/")
    assert re.search(r'<span class="badge text-bg-light">1,005</span>', html)
    last = RosterEntry.objects.order_by("-pk").first().pk
    assert last >= 1000
    assert f'href="/rosters/entries/{last}/"' in html
    assert f'href="/rosters/entries/{last}/visit/"' in html
    assert not re.search(r"/rosters/entries/\d{1,3},\d", html)
