"""The residents, cases and alerts pages for every role: works, read-only insider,
outsider 404, anonymous to the log-in page."""

import datetime

import pytest
from django.test import Client

from shegong.cases import services as cases
from shegong.cases.models import Alert, CaseStatus
from shegong.clients import services as clients
from shegong.core.models import AccessLog
from tests.conftest import make_user

OPENED = datetime.date(2026, 3, 2)


@pytest.fixture
def casework(world):
    """A priority elder at station A with a planned case assigned to `worker`,
    a second worker at A who is not assigned, and a crisis alert."""
    world.people["worker2"] = make_user("worker2", "social_worker", station=world.station_a)
    worker = world["worker"]
    resident = clients.resident_register(
        actor=worker,
        station=world.station_a,
        name="陈伯",
        gender="male",
        birth_date=datetime.date(1941, 6, 1),
    )
    clients.consent_record(actor=worker, resident=resident, recorded_on=OPENED)
    clients.client_classify(
        actor=worker,
        resident=resident,
        domain="elderly",
        category="priority",
        priority_kind="hardship_elder",
        started_on=OPENED,
    )
    case = cases.case_open(
        actor=worker, client=resident, domain="elderly", source="walk_in", opened_on=OPENED
    )
    cases.case_assess(
        actor=worker, case=case, assessed_on=OPENED, needs="独居，需要陪伴。", risk_level="high"
    )
    cases.case_plan(
        actor=worker,
        case=case,
        planned_on=OPENED,
        goals="每周探访。",
        review_due_on=OPENED + datetime.timedelta(days=30),
    )
    cases.observation_record(
        actor=worker,
        resident=resident,
        observed_on=OPENED,
        source="visit",
        text="情绪低落，表示不想活了。",
        crisis=True,
    )
    case.refresh_from_db()
    world.resident, world.case = resident, case
    return world


# Who may open the resident page, the case page, and whether the case page shows
# the case's content (needs and notes).
PAGE_ACCESS = [
    # person, resident page, case page, sees content
    ("worker", 200, 200, True),
    ("director", 200, 200, True),
    ("worker2", 200, 200, False),
    ("agency", 404, 200, False),
    ("district", 404, 200, False),
    ("city", 404, 200, False),
    ("admin", 200, 200, False),
    ("evaluator", 404, 404, False),
    ("director_b", 404, 404, False),
    ("worker_c", 404, 404, False),
]


@pytest.mark.parametrize(("person", "resident_status", "case_status", "content"), PAGE_ACCESS)
def test_resident_and_case_pages_by_role(casework, person, resident_status, case_status, content):
    client = Client()
    client.force_login(casework[person])
    assert client.get(f"/residents/{casework.resident.pk}/").status_code == resident_status
    response = client.get(f"/cases/{casework.case.pk}/")
    assert response.status_code == case_status
    html = response.content.decode()
    assert ("独居，需要陪伴。" in html) is content
    assert ("陈伯" in html) is content


def test_content_reader_of_a_priority_case_is_logged_once_per_read(casework, client):
    client.force_login(casework["director"])
    client.get(f"/cases/{casework.case.pk}/")
    client.get(f"/cases/{casework.case.pk}/")
    client.force_login(casework["worker2"])
    client.get(f"/cases/{casework.case.pk}/")  # no content shown, nothing logged
    entries = AccessLog.objects.filter(action="read_case_file", object_id=casework.case.pk)
    assert [e.user.username for e in entries.order_by("pk")] == ["director", "director"]


@pytest.mark.parametrize(
    "url",
    ["/residents/", "/residents/new/", "/cases/", "/cases/alerts/", "/cases/access-log/"],
)
def test_anonymous_is_sent_to_log_in(db, client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_unassigned_worker_cannot_post_a_note(casework):
    client = Client()
    client.force_login(casework["worker2"])
    response = client.post(
        f"/cases/{casework.case.pk}/note/",
        {
            "note-version": casework.case.version,
            "note-happened_on": "2026-03-09",
            "note-method": "home_visit",
            "note-service_type": "emotional_support",
            "note-text": "探访",
        },
    )
    assert response.status_code == 403
    assert casework.case.notes.count() == 0


def test_stale_form_gets_a_conflict_message_and_saves_nothing(casework, client):
    client.force_login(casework["worker"])
    stale = casework.case.version
    cases.case_note_add(
        actor=casework["director"],
        case=casework.case,
        happened_on=OPENED,
        service_type="emotional_support",
        method="phone",
        text="主任电话跟进。",
    )
    response = client.post(
        f"/cases/{casework.case.pk}/note/",
        {
            "note-version": stale,
            "note-happened_on": "2026-03-09",
            "note-method": "home_visit",
            "note-service_type": "emotional_support",
            "note-text": "社工探访。",
        },
    )
    assert response.status_code == 400
    assert "其他人已修改" in response.content.decode()
    assert list(casework.case.notes.values_list("text", flat=True)) == ["主任电话跟进。"]


def test_director_transfers_the_case_to_another_worker(casework, client):
    client.force_login(casework["director"])
    response = client.post(
        f"/cases/{casework.case.pk}/assign/",
        {"version": casework.case.version, "workers": [casework["worker2"].pk]},
    )
    assert response.status_code == 302
    assert list(casework.case.workers.values_list("username", flat=True)) == ["worker2"]
    assert casework.case.events.filter(action="assigned").count() == 1


def test_worker_cannot_open_the_assignment_page(casework, client):
    client.force_login(casework["worker"])
    assert client.get(f"/cases/{casework.case.pk}/assign/").status_code == 403


def test_crisis_alert_reaches_the_worker_home_page_and_is_resolved_with_a_note(casework, client):
    client.force_login(casework["worker"])
    home = client.get("/")
    # The crisis observation, and the high-risk case silent since March.
    assert {a.kind for a in home.context["alerts"]} == {"crisis_flag", "high_risk_no_contact"}
    alert = Alert.objects.get(kind="crisis_flag")
    assert client.post(f"/cases/alerts/{alert.pk}/resolve/", {"note": ""}).status_code == 302
    alert.refresh_from_db()
    assert alert.status == "open"  # a resolution needs a note
    client.post(
        f"/cases/alerts/{alert.pk}/resolve/", {"note": "已上门，联系家属陪伴并转介心理服务。"}
    )
    alert.refresh_from_db()
    assert (alert.status, alert.resolved_by.username) == ("resolved", "worker")


def test_other_worker_does_not_see_the_alert(casework, client):
    client.force_login(casework["worker2"])
    context = client.get("/").context
    assert (context["alerts"], context["alerts_count"]) == ([], 0)


def test_registering_the_same_id_number_twice_shows_the_existing_record(world, client):
    from shegong.clients.identity import id_check_char

    first17 = "44010519500315123"
    form = {
        "name": "李秀英",
        "gender": "female",
        "birth_date": "1950-03-15",
        "id_number": first17 + id_check_char(first17),
        "phone": "13812345678",
        "consent_date": "2026-03-01",
        "lawful_basis": "consent",
        "given_by": "self",
    }
    client.force_login(world["worker"])
    assert client.post("/residents/new/", form).status_code == 302
    again = client.post("/residents/new/", {**form, "name": "李秀英（重复）"})
    assert again.status_code == 200
    assert [m.name for m in again.context["matches"]] == ["李秀英"]
    assert again.context["same_id"] is True


def test_case_walk_status_after_each_step_through_the_web(casework, client):
    client.force_login(casework["worker"])
    case = casework.case
    client.post(
        f"/cases/{case.pk}/note/",
        {
            "note-version": case.version,
            "note-happened_on": "2026-03-09",
            "note-method": "home_visit",
            "note-service_type": "emotional_support",
            "note-text": "探访",
        },
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_SERVICE
    client.post(
        f"/cases/{case.pk}/close/",
        {
            "close-version": case.version,
            "close-closed_on": "2026-03-20",
            "close-outcome": "goals_met",
        },
    )
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (CaseStatus.CLOSED, datetime.date(2026, 3, 20))


def test_worker_links_two_residents_into_one_household(casework, client):
    spouse = clients.resident_register(
        actor=casework["worker"],
        station=casework.station_a,
        name="陈婆",
        gender="female",
        birth_date=datetime.date(1943, 2, 1),
    )
    client.force_login(casework["worker"])
    client.post(
        f"/residents/{casework.resident.pk}/household/",
        {"household-new_household": "陈家", "household-household_role": "户主"},
    )
    casework.resident.refresh_from_db()
    household = casework.resident.household
    assert (household.name, casework.resident.household_role) == ("陈家", "户主")
    client.post(
        f"/residents/{spouse.pk}/household/",
        {"household-household": household.pk, "household-household_role": "配偶"},
    )
    page = client.get(f"/residents/{casework.resident.pk}/")
    assert [m.name for m in page.context["household_members"]] == ["陈婆"]


def test_household_of_another_station_cannot_be_chosen(casework, client):
    from shegong.clients.models import Household

    other = Household.objects.create(station=casework.station_b, name="南石头某家")
    client.force_login(casework["worker"])
    client.post(
        f"/residents/{casework.resident.pk}/household/",
        {"household-household": other.pk, "household-household_role": "户主"},
    )
    casework.resident.refresh_from_db()
    assert casework.resident.household is None


# --- The superuser reads residents but does not work on them ------------------------


def _resident_state(resident) -> tuple:
    from shegong.cases.models import Case, Observation
    from shegong.clients.models import ClientStatus, Consent, ResidentTag

    resident.refresh_from_db()
    counts = [m.objects.count() for m in (Consent, ClientStatus, ResidentTag, Observation, Case)]
    return (resident.version, resident.household_id, resident.merged_into_id, *counts)


@pytest.mark.parametrize(
    "path", ["edit", "consents", "classify", "tags", "observations", "merge", "household"]
)
@pytest.mark.parametrize(
    "form", [{}, {"merge-duplicate": "1", "tag-tag": "x"}], ids=["empty", "some"]
)
def test_the_resident_pages_refuse_the_superuser_whatever_the_form(casework, path, form):
    """A superuser sees the resident (and the page offers no forms to them) but
    every form refuses them with 403 before it is read; nothing changes."""
    client = Client()
    client.force_login(casework["admin"])
    resident = casework.resident
    page = client.get(f"/residents/{resident.pk}/")
    assert page.status_code == 200
    assert page.context["may_change"] is False
    assert f"/residents/{resident.pk}/{path}/" not in page.content.decode()
    before = _resident_state(resident)
    assert client.post(f"/residents/{resident.pk}/{path}/", form).status_code == 403
    assert _resident_state(resident) == before


def test_the_case_open_page_refuses_the_superuser(casework):
    client = Client()
    client.force_login(casework["admin"])
    url = f"/cases/open/{casework.resident.pk}/"
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
    assert casework.resident.cases.count() == 1


def test_the_resident_page_offers_its_forms_to_the_station_staff(casework):
    client = Client()
    client.force_login(casework["worker"])
    page = client.get(f"/residents/{casework.resident.pk}/")
    assert (page.context["may_change"], page.context["may_open_case"]) == (True, True)
    html = page.content.decode()
    for path in ("edit", "consents", "classify", "tags", "observations", "household"):
        assert f"/residents/{casework.resident.pk}/{path}/" in html
    assert f"/cases/open/{casework.resident.pk}/" in html


def test_the_note_form_preselects_a_service_type_that_fits_the_client(casework, client):
    """The types are grouped by the clients they are for; a priority client's note
    starts on a priority type, so the usual note is accepted as it comes."""
    client.force_login(casework["worker"])
    page = client.get(f"/cases/{casework.case.pk}/").content.decode()
    select = page[page.index('name="note-service_type"') :]
    select = select[: select.index("</select>")]
    assert '<option value="emotional_support" selected>' in select
    assert select.index('<optgroup label="适用于重点服务对象">') < select.index(
        '<optgroup label="适用于一般服务对象">'
    )
    clients.client_classify(
        actor=casework["worker"],
        resident=casework.case.client,
        domain="elderly",
        category="general",
        started_on=OPENED + datetime.timedelta(days=1),
    )
    page = client.get(f"/cases/{casework.case.pk}/").content.decode()
    assert '<option value="supportive" selected>' in page


def test_a_long_case_shows_its_latest_notes_and_the_whole_history_on_request(casework, client):
    for day in range(1, 23):
        cases.case_note_add(
            actor=casework["worker"],
            case=casework.case,
            happened_on=OPENED + datetime.timedelta(days=day),
            service_type="emotional_support",
            method="home_visit",
            text=f"第{day}次探访。",
        )
    client.force_login(casework["worker"])
    page = client.get(f"/cases/{casework.case.pk}/").content.decode()
    listed = [day for day in range(1, 23) if f"第{day}次探访。" in page]
    assert listed == list(range(3, 23))  # the latest 20 of 22
    assert "显示最近 20 条介入记录，共 22 条。" in page
    assert "显示最近 20 条，共 " in page  # of the history (intake, assessment, plan, notes)
    whole = client.get(f"/cases/{casework.case.pk}/?all=1").content.decode()
    assert [day for day in range(1, 23) if f"第{day}次探访。" in whole] == list(range(1, 23))
    assert "显示最近" not in whole
    # The case file of the API stays whole.
    api_notes = Client()
    api_notes.force_login(casework["worker"])
    body = api_notes.get(f"/api/cases/{casework.case.pk}/").json()
    assert len(body["notes"]) == 22
