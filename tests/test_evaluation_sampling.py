"""The evaluators' verification sample (抽样回访, evaluation.sampling): a seeded,
reproducible stratified draw of a station's clients, the call sheet with phone
numbers revealed on demand (access-logged), the outcomes and answers, and the
awareness and satisfaction indicators they feed.

Station A's clients with a phone number (one more has none and is never drawn):

    family·priority 4 (one of them also an elderly general client)
    family·general 6, elderly·priority 3, elderly·general 5, youth·general 2
    = 20; youth·priority has none.

10 calls over 4/6/3/5/2 (shares 2, 3, 1.5, 2.5, 1): floors 2+3+1+2+1 = 9, the last
call to the earlier of the two .5 remainders (elderly·priority) → 2/3/2/2/1.
4 visits over what is left, 2/3/1/3/1 (shares .8, 1.2, .4, 1.2, .4): floors 0/1/0/1/0,
then the largest remainders .8 (family·priority) and .4 (elderly·priority, earlier
than youth·general) → 1/1/1/1/0.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from shegong.clients import services as client_services
from shegong.core.models import AccessLog
from shegong.core.roles import Role
from shegong.evaluation import sampling, services
from shegong.evaluation.models import (
    ClientSample,
    IndicatorScore,
    SampleEntry,
    StationEvaluation,
)
from tests.conftest import make_user, shared
from tests.evaluation_world import english_messages
from tests.helpers import register_resident, today, xlsx_table

POPULATION = [
    ("family", True, 4),
    ("family", False, 6),
    ("elderly", True, 3),
    ("elderly", False, 5),
    ("youth", False, 2),
]


@pytest.fixture(autouse=True)
def english(settings):
    english_messages(settings)


def make_sampling_world(world):
    n = 0
    residents = []
    for domain, priority, count in POPULATION:
        for _i in range(count):
            n += 1
            resident = register_resident(world, f"居民{n:02d}号", phone=f"138{n:08d}")
            client_services.client_classify(
                actor=world["worker"],
                resident=resident,
                domain=domain,
                category="priority" if priority else "general",
                priority_kind=KINDS[domain] if priority else "",
                started_on=today(),
            )
            residents.append(resident)
    # A priority family client also classified as an elderly general one: counted once.
    client_services.client_classify(
        actor=world["worker"],
        resident=residents[0],
        domain="elderly",
        category="general",
        started_on=today(),
    )
    register_resident(world, "无电话", classify="family")
    city = world["city"]
    world.people["evaluator_2"] = make_user("evaluator_2", Role.EVALUATOR, city=world.city)
    round = services.round_create(
        actor=city, name="2026年末期评估（回访）", kind="final", year=2026
    )
    group = services.indicator_group_add(actor=city, round=round, name="知晓度与满意度", weight=100)
    indicators = {}
    for position, (code, points) in enumerate(
        (("sample_awareness", 30), ("sample_satisfaction", 40))
    ):
        indicators[code] = services.indicator_add(
            actor=city,
            group=group,
            name=code,
            max_score=Decimal(points),
            method="computed",
            computation=code,
            position=position,
        )
    services.round_assign(
        actor=city, round=round, station=world.station_a, evaluator=world["evaluator"]
    )
    services.round_open(actor=city, round=round)
    sheet = StationEvaluation.objects.get(round=round, station=world.station_a)
    return sheet, indicators


sampled = shared(make_sampling_world)


def _draw(client, sheet, **data):
    body = {"calls": 10, "visits": 4, "seed": 20261207, **data}
    return client.post(f"/evaluation/sheets/{sheet.pk}/sample/draw/", body)


def _drawn(sample):
    return [
        (e.method, e.domain, e.category, e.resident_id)
        for e in SampleEntry.objects.filter(sample=sample)
    ]


def test_stratum_sizes_are_proportional_with_the_largest_remainders(sampled, world, client):
    sheet, _indicators = sampled
    client.force_login(world["evaluator"])
    assert _draw(client, sheet).status_code == 302
    sample = ClientSample.objects.get(evaluation=sheet)
    assert (sample.seed, sample.population, sample.calls, sample.visits) == (20261207, 20, 10, 4)
    assert [
        (s["domain"], s["category"], s["population"], s["calls"], s["visits"])
        for s in sample.strata
    ] == [
        ("family", "priority", 4, 2, 1),
        ("family", "general", 6, 3, 1),
        ("elderly", "priority", 3, 2, 1),
        ("elderly", "general", 5, 2, 1),
        ("youth", "general", 2, 1, 0),
    ]
    entries = list(SampleEntry.objects.filter(sample=sample))
    assert [e.method for e in entries] == ["call"] * 10 + ["visit"] * 4
    assert len({e.resident_id for e in entries}) == 14
    # Masked names only on the call sheet: 居民05号 → 居***号.
    assert all(e.label.startswith("居") and "*" in e.label for e in entries)
    page = client.get(f"/evaluation/sheets/{sheet.pk}/sample/").content.decode()
    assert "Seed 20261207; 10 calls and 4 visits drawn from 20 clients" in page
    assert "13800000" not in page


def test_the_same_seed_draws_the_same_sample(sampled, world):
    sheet, _indicators = sampled
    first = sampling.sample_draw(
        actor=world["evaluator"], evaluation=sheet, calls=10, visits=4, seed=7
    )
    drawn = _drawn(first)
    first.delete()
    again = sampling.sample_draw(
        actor=world["evaluator"], evaluation=sheet, calls=10, visits=4, seed=7
    )
    assert _drawn(again) == drawn
    again.delete()
    other = sampling.sample_draw(
        actor=world["evaluator"], evaluation=sheet, calls=10, visits=4, seed=8
    )
    assert _drawn(other) != drawn


def test_a_sample_larger_than_the_population_is_refused(sampled, world, client):
    sheet, _indicators = sampled
    client.force_login(world["evaluator"])
    response = _draw(client, sheet, calls=18, visits=3)
    assert response.status_code == 400
    assert (
        "The sample (21) is larger than the population: the chosen strata have 20 clients "
        "with a phone number." in response.content.decode()
    )
    assert not ClientSample.objects.filter(evaluation=sheet).exists()


def test_a_stratum_with_no_clients_is_refused(sampled, world, client):
    sheet, _indicators = sampled
    client.force_login(world["evaluator"])
    response = _draw(client, sheet, strata=["family:priority", "youth:priority"], calls=2)
    assert response.status_code == 400
    assert (
        "These strata have no clients at the station: Youth·Priority client."
        in response.content.decode()
    )
    assert not ClientSample.objects.exists()
    # The chosen strata alone: 2 calls and 4 visits over family·priority's 4.
    assert _draw(client, sheet, strata=["family:priority"], calls=2, visits=2).status_code == 302
    assert ClientSample.objects.get(evaluation=sheet).strata == [
        {"domain": "family", "category": "priority", "population": 4, "calls": 2, "visits": 2}
    ]


def test_only_the_assigned_evaluator_draws(sampled, world, client):
    sheet, _indicators = sampled
    for who, status in (
        ("evaluator_2", 404),  # not assigned to station A: A is outside their scope
        ("district", 403),  # reads the sample, draws none
        ("city", 403),
        ("director", 404),  # the station never reads who is sampled
    ):
        client.force_login(world[who])
        assert _draw(client, sheet).status_code == status, who
    assert not ClientSample.objects.exists()


def test_the_phone_is_revealed_on_demand_and_logged(sampled, world, client):
    sheet, _indicators = sampled
    sample = sampling.sample_draw(
        actor=world["evaluator"], evaluation=sheet, calls=10, visits=4, seed=1
    )
    entry = SampleEntry.objects.filter(sample=sample).first()
    client.force_login(world["evaluator"])
    page = client.post(f"/evaluation/sample-entries/{entry.pk}/reveal/")
    assert page.status_code == 200
    phone = entry.resident.phone
    assert f'<a href="tel:{phone}">{phone}</a>' in page.content.decode()
    log = AccessLog.objects.get(action="reveal_phone")
    assert (log.user, log.station, log.object_id, log.object_label) == (
        world["evaluator"],
        world.station_a,
        entry.resident_id,
        entry.label,
    )
    # The district officer reads the call sheet, but no number.
    client.force_login(world["district"])
    assert client.post(f"/evaluation/sample-entries/{entry.pk}/reveal/").status_code == 403
    assert AccessLog.objects.filter(action="reveal_phone").count() == 1


# Outcomes of the 14 entries: (outcome, awareness items known, satisfaction).
OUTCOMES = [
    ("reached", 5, 5),
    ("reached", 3, 4),
    ("reached", 2, 5),
    ("reached", 4, 3),
    ("reached", 0, 2),
    ("refused", 0, None),
    ("wrong_number", 0, None),
    ("no_answer", 0, None),
    ("reached", 3, None),
    ("no_answer", 0, None),
    ("reached", 1, 4),
    ("reached", 3, 5),
    ("refused", 0, None),
    ("reached", 5, 1),
]
KINDS = {"family": "hardship_family", "elderly": "hardship_elder", "youth": "hardship_youth"}
ITEMS = ["knows_address", "knows_services", "knows_staff", "knows_help", "knows_funder"]


def test_outcomes_feed_the_awareness_and_satisfaction_indicators(sampled, world, client):
    sheet, indicators = sampled
    awareness = IndicatorScore.objects.get(
        evaluation=sheet, indicator=indicators["sample_awareness"]
    )
    assert (awareness.score, awareness.note) == (
        None,
        "本站尚未抽取回访样本。",  # computed when the round opened, in Chinese
    )
    client.force_login(world["evaluator"])
    _draw(client, sheet)
    entries = list(SampleEntry.objects.filter(sample__evaluation=sheet))
    for entry, (outcome, known, satisfaction) in zip(entries, OUTCOMES, strict=True):
        body = {"outcome": outcome, "known": ITEMS[:known], "note": "电话回访"}
        if satisfaction is not None:
            body["satisfaction"] = satisfaction
        response = client.post(f"/evaluation/sample-entries/{entry.pk}/record/", body)
        assert response.status_code == 302, response.content.decode()
    # Reached 9; aware (≥ 3 items) 6 of them: 6/9 = 0.6667 → 30 × 0.6667 = 20.00.
    awareness.refresh_from_db()
    assert (awareness.value, awareness.score) == (Decimal("0.6667"), Decimal("20.00"))
    # Recomputed in the evaluator's request, in English (the module's client).
    assert awareness.note == "6 of 9 reached residents aware (knowing at least 3 of 5 items)"
    # Answered 8 (one reached resident gave none); satisfied (4–5) 5: 0.625 → 25.00 of 40.
    satisfaction = IndicatorScore.objects.get(
        evaluation=sheet, indicator=indicators["sample_satisfaction"]
    )
    assert (satisfaction.value, satisfaction.score) == (Decimal("0.6250"), Decimal("25.00"))
    page = client.get(f"/evaluation/sheets/{sheet.pk}/sample/").content.decode()
    assert "14 of 14 recorded; 9 reached, 6 aware; 5 of 8 satisfied." in page


def test_answers_of_a_resident_not_reached_are_refused(sampled, world, client):
    sheet, _indicators = sampled
    sample = sampling.sample_draw(
        actor=world["evaluator"], evaluation=sheet, calls=2, visits=0, seed=3
    )
    entry = SampleEntry.objects.filter(sample=sample).first()
    client.force_login(world["evaluator"])
    response = client.post(
        f"/evaluation/sample-entries/{entry.pk}/record/",
        {"outcome": "no_answer", "known": ITEMS[:3], "satisfaction": 5},
    )
    assert response.status_code == 400
    assert "Answers are recorded only for a resident who was reached." in response.content.decode()
    entry.refresh_from_db()
    assert (entry.outcome, entry.knows_address, entry.satisfaction) == ("", False, None)


def test_the_excel_of_the_results_has_no_phone_number(sampled, world, client):
    sheet, _indicators = sampled
    sample = sampling.sample_draw(
        actor=world["evaluator"], evaluation=sheet, calls=2, visits=1, seed=5
    )
    first = SampleEntry.objects.filter(sample=sample).first()
    sampling.entry_record(
        actor=world["evaluator"],
        entry=first,
        outcome="reached",
        known=ITEMS[:3],
        satisfaction=4,
    )
    client.force_login(world["district"])
    response = client.get(f"/evaluation/sheets/{sheet.pk}/sample/export/")
    assert response.status_code == 200
    rows = xlsx_table(response)
    assert rows[0][:6] == ("No.", "Client", "Domain", "Category", "Method", "Outcome")
    assert rows[1] == (
        1,
        first.label,
        "Family",
        "General client",  # 2 calls over shares .4/.6/.3/.5/.2: family·general, elderly·general
        "Phone call",
        "Reached",
        "yes",
        "yes",
        "yes",
        "no",
        "no",
        "yes",
        4,
        None,
    )
    assert len(rows) == 4
    assert not any("138" in str(cell) for row in rows for cell in row if cell)


def test_the_api_draws_reveals_and_records(sampled, world, api):
    sheet, indicators = sampled
    evaluator = api(world["evaluator"])
    created = evaluator.post(
        "/api/evaluation-samples/",
        {"evaluation": sheet.pk, "calls": 10, "visits": 4, "seed": 20261207},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert [s["calls"] for s in body["strata"]] == [2, 3, 2, 2, 1]
    assert len(body["entries"]) == 14 and "phone" not in body["entries"][0]
    # The same seed through the page's service draws the same list.
    web = [
        (e.method, e.domain, e.category) for e in SampleEntry.objects.filter(sample_id=body["id"])
    ]
    assert web == [(e["method"], e["domain"], e["category"]) for e in body["entries"]]
    entry = body["entries"][0]
    revealed = evaluator.post(f"/api/sample-entries/{entry['id']}/reveal/")
    assert revealed.status_code == 200
    assert revealed.json()["phone"].startswith("138")
    recorded = evaluator.post(
        f"/api/sample-entries/{entry['id']}/record/",
        {"outcome": "reached", "known": ITEMS[:4], "satisfaction": 5},
        format="json",
    )
    assert recorded.status_code == 200, recorded.json()
    assert (recorded.json()["aware"], recorded.json()["satisfaction"]) == (True, 5)
    awareness = IndicatorScore.objects.get(
        evaluation=sheet, indicator=indicators["sample_awareness"]
    )
    assert (awareness.value, awareness.score) == (Decimal("1.0000"), Decimal("30.00"))
    # A second draw is refused; the district officer reads but neither draws nor reveals.
    again = evaluator.post(
        "/api/evaluation-samples/", {"evaluation": sheet.pk, "calls": 1, "visits": 0}, format="json"
    )
    assert again.status_code == 400
    assert again.json() == {"detail": ["The station's sample is already drawn."]}
    officer = api(world["district"])
    assert officer.get(f"/api/evaluation-samples/{body['id']}/").status_code == 200
    assert officer.post(f"/api/sample-entries/{entry['id']}/reveal/").status_code == 403
    assert api(world["director"]).get("/api/sample-entries/").json()["count"] == 0
    assert AccessLog.objects.filter(action="reveal_phone").count() == 1
