"""What the cheaper pages of a social worker's day still offer: the case page's
other steps on demand (htmx, or ?step= without JavaScript) with the version the
page showed; the group session form's look-up of non-members through the scope;
the request's user read with its anchor, and an evaluator's stations read once
per request."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shegong.accounts.backends import ModelBackend
from shegong.cases import services as case_services
from shegong.cases.models import CaseStatus
from shegong.core.roles import Role
from shegong.core.scope import user_anchor
from shegong.org.models import ServicePoint
from tests.conftest import make_user
from tests.delivery_world import TODAY, _resident, group, make_delivery
from tests.test_query_counts import add_notes, planned_case

HX = {"HX-Request": "true"}


@pytest.fixture
def case(world):
    d = make_delivery(world)
    case = planned_case(d, d.residents[0])
    add_notes(d, case, 1)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_SERVICE
    return case


def _forms(html: str) -> list[str]:
    """The case steps' forms on the page (the documents' upload form is not a
    step: it is always there)."""
    return [f for f in re.findall(r'action="/cases/\d+/([a-z]+)/"', html) if f != "documents"]


def test_case_page_renders_the_first_step_and_fetches_the_others(world, case, client):
    client.force_login(world["worker"])
    html = client.get(f"/cases/{case.pk}/").content.decode()
    # In service: note, review, assess, refer, close; only the note's form is sent.
    assert _forms(html) == ["note"]
    assert f'hx-get="/cases/{case.pk}/?step=close&amp;version={case.version}"' in html
    assert 'href="?step=close#step-close"' in html
    # Without JavaScript: the page with that step's form open too.
    html = client.get(f"/cases/{case.pk}/", {"step": "close"}).content.decode()
    assert _forms(html) == ["note", "close"]
    assert re.search(r'<details[^>]* open data-step="close"', html)
    # With htmx: the form alone, carrying the version the page showed.
    response = client.get(f"/cases/{case.pk}/", {"step": "close", "version": "1"}, headers=HX)
    assert [t.name for t in response.templates][0] == "cases/_step_form.html"
    assert _forms(response.content.decode()) == ["close"]
    assert 'name="close-version" value="1"' in response.content.decode()
    # A step the status does not offer is ignored: the page as usual.
    response = client.get(f"/cases/{case.pk}/", {"step": "reopen"}, headers=HX)
    assert response.templates[0].name == "cases/case_detail.html"


@pytest.mark.parametrize(
    ("person", "status"),
    [("director", 200), ("worker2", 403), ("district", 403), ("worker_c", 404)],
)
def test_step_forms_only_for_those_who_may_write_the_case(world, case, person, status):
    if person == "worker2":
        world.people["worker2"] = make_user("worker2", "social_worker", station=world.station_a)
    client = Client()
    client.force_login(world[person])
    response = client.get(f"/cases/{case.pk}/", {"step": "close"}, headers=HX)
    assert response.status_code == status


def test_stale_step_form_fetched_later_still_conflicts(world, case, client):
    client.force_login(world["worker"])
    seen = case.version
    case_services.case_note_add(
        actor=world["director"],
        case=case,
        happened_on=TODAY(),
        service_type="supportive",
        method="phone",
        text="主任电话跟进。",
    )
    fragment = client.get(
        f"/cases/{case.pk}/", {"step": "review", "version": str(seen)}, headers=HX
    ).content.decode()
    version = re.search(r'name="review-version" value="(\d+)"', fragment).group(1)
    response = client.post(
        f"/cases/{case.pk}/review/",
        {
            "review-version": version,
            "review-reviewed_on": TODAY().isoformat(),
            "review-progress": "好转",
        },
    )
    assert (int(version), response.status_code) == (seen, 400)
    assert "其他人已修改" in response.content.decode()


@pytest.fixture
def session_form(world):
    d = make_delivery(world)
    grp = group(d, members=10)
    client = Client()
    client.force_login(world["worker"])
    return d, grp, client, f"/services/groups/{grp.pk}/sessions/new/"


def _names(checklist) -> list[str]:
    return [r.name for r, _ticked in checklist.rows]


def test_session_form_lists_members_and_looks_up_others(session_form):
    d, grp, client, url = session_form
    page = client.get(url)
    assert len(page.context["members"].rows) == 10
    html = page.content.decode()
    assert html.count('name="attendees"') == 10  # members only, not the whole station
    # Non-members by name (members and those already chosen are left out).
    found = client.get(url, {"q": "居民1", "attendees": [d.residents[11].pk]}, headers=HX)
    assert found.templates[0].name == "delivery/_lookup_results.html"
    assert _names(found.context["found"]) == ["居民11", "居民13", "居民14", "居民15"]
    # Without JavaScript: the whole page with what was found.
    assert _names(client.get(url, {"q": "居民13"}).context["found"]) == ["居民13"]
    # Another station's residents are never found.
    assert _names(client.get(url, {"q": "南石头"}, headers=HX).context["found"]) == []


def test_session_form_shown_again_keeps_the_ticked_non_members(session_form):
    d, grp, client, url = session_form
    response = client.post(
        url, {"held_on": "", "attendees": [d.residents[0].pk, d.residents[12].pk, d.resident_b.pk]}
    )
    assert response.status_code == 400
    assert _names(response.context["others"]) == ["居民13"]  # not station B's resident


def test_lookup_lists_at_most_twenty(world, session_form):
    _d, _grp, client, url = session_form
    for n in range(25):
        _resident(world["worker"], world.station_a, f"张{n:02d}")
    found = client.get(url, {"q": "张"}, headers=HX)
    assert (len(found.context["found"].rows), found.context["more"]) == (20, True)
    assert "仅列出前 20 位" in found.content.decode()


def test_request_user_comes_with_its_anchor(world):
    user = ModelBackend().get_user(world["worker"].pk)
    with CaptureQueriesContext(connection) as captured:
        assert (user.anchor, user.station.name) == (world.station_a, world.station_a.name)
    assert len(captured) == 0


def test_evaluator_stations_read_once_per_request_user_only(world):
    evaluator = world["evaluator"]
    request_user = ModelBackend().get_user(evaluator.pk)
    with CaptureQueriesContext(connection) as captured:
        first, second = user_anchor(request_user), user_anchor(request_user)
    assert (first, len(captured)) == (second, 1)
    # Any other user object (tests, commands) is asked every time.
    with CaptureQueriesContext(connection) as captured:
        user_anchor(evaluator), user_anchor(evaluator)
    assert len(captured) == 2


def _menu(response) -> str:
    page = response.content.decode()
    return page[page.index('id="mainnav"') : page.index('data-testid="whoami"')]


def test_the_menu_is_rendered_once_per_role_and_language(world):
    from shegong.core.templatetags import menu

    menu._rendered.clear()
    worker, district = Client(), Client()
    worker.force_login(world["worker"])
    district.force_login(world["district"])

    def menu_rendered(response) -> bool:
        return "core/_menu.html" in [t.name for t in response.templates]

    first = worker.get("/residents/new/")
    assert menu_rendered(first) and 'href="/cases/">个案</a>' in _menu(first)
    again = worker.get("/cases/")
    assert not menu_rendered(again) and _menu(again) == _menu(first)
    # Another role: its own menu, without the station's work.
    official = district.get("/stats/")
    assert menu_rendered(official) and 'href="/cases/"' not in _menu(official)
    # Another language: rendered again, in English; Chinese stays as it was.
    worker.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = worker.get("/cases/")
    assert menu_rendered(english) and 'href="/cases/">Cases</a>' in _menu(english)
    worker.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert _menu(worker.get("/cases/")) == _menu(first)
    assert len(menu._rendered) == 3


def test_blank_registration_form_built_once_per_station_language_and_day(world, monkeypatch):
    from shegong.clients import forms as client_forms
    from shegong.core import blank_forms

    blank_forms._rendered.clear()
    built: list[int] = []

    class Counted(client_forms.RegistrationForm):
        def __init__(self, *args, station=None, **kwargs):
            built.append(station.pk)
            super().__init__(*args, station=station, **kwargs)

    monkeypatch.setattr(client_forms, "RegistrationForm", Counted)
    ServicePoint.objects.create(station=world.station_b, name="南石头社工点", code="SP-B-1")
    worker, worker_b = Client(), Client()
    worker.force_login(world["worker"])
    worker_b.force_login(make_user("worker_b_form", Role.SOCIAL_WORKER, station=world.station_b))

    first = worker.get("/residents/new/").content.decode()
    again = worker.get("/residents/new/").content.decode()
    assert built == [world.station_a.pk]
    assert _form_html(again) == _form_html(first) and 'name="consent_date"' in first
    assert 'for="id_name">姓名 <' in _form_html(first) and "南石头社工点" not in first
    # Another station: its own service points.
    assert "南石头社工点" in worker_b.get("/residents/new/").content.decode()
    assert built == [world.station_a.pk, world.station_b.pk]
    # Another language: built again, in English.
    worker.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'for="id_name">Name <' in _form_html(worker.get("/residents/new/").content.decode())
    assert len(built) == 3
    # The next day (today's date is the consent date offered): built again.
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(blank_forms.timezone, "localdate", lambda: tomorrow)
    worker.get("/residents/new/")
    assert len(built) == 4
    # A form sent back with an error is built from what was sent, every time.
    response = worker.post("/residents/new/", {"name": "", "gender": "female"})
    assert response.status_code == 200 and len(built) == 5
    assert 'value="female" selected' in response.content.decode()


def _form_html(page: str) -> str:
    """The form's fields (after the CSRF token, which changes with every page)."""
    form = page[page.index('<form method="post" class="row"') :]
    form = form[: form.index("</form>")]
    return form[form.index('<div class="col-12') :]
