"""Service hours against the 60 % rule and the personnel share against the 65 %
rule (docs/workforce.md), computed by hand on a small station: the week of 2–6
March 2026 (five working days, 40 working hours for a full-time worker)."""

import datetime
from decimal import Decimal

import pytest

from shegong.core.roles import Role
from shegong.delivery.models import ServiceEvent
from shegong.workforce import hours, pay, services
from shegong.workforce.pay_models import PayRate
from tests.conftest import make_user
from tests.delivery_world import make_delivery, record
from tests.helpers import refusal_by_field, xlsx_table

MONDAY = datetime.date(2026, 3, 2)
FRIDAY = datetime.date(2026, 3, 6)
URL = "/workforce/stations/{pk}/hours/?start=2026-03-02&end=2026-03-06"


def _profile(world, user, since, post="frontline", qualification="none", grade=1, **extra):
    return services.staff_profile_create(
        actor=world["director"],
        user=user,
        post=post,
        qualification=qualification,
        employed_since=since,
        pay_grade=grade,
        **extra,
    )


def _timed(d, day, start, end, workers, **extra):
    return record(
        d,
        held_on=day,
        starts_at=datetime.time(*start),
        ends_at=datetime.time(*end),
        workers=workers,
        attendees=d.residents[:1],
        **extra,
    )


@pytest.fixture
def station(world):
    d = make_delivery(world)
    world.people["newcomer"] = make_user("newcomer", Role.SOCIAL_WORKER, station=world.station_a)
    worker, director, newcomer = world["worker"], world["director"], world["newcomer"]
    _profile(world, worker, datetime.date(2025, 7, 1))
    _profile(
        world,
        director,
        datetime.date(2025, 1, 1),
        post="director",
        qualification="social_worker",
        grade=2,
        certificate_number="S-1",
        certified_on=datetime.date(2020, 6, 1),
    )
    # Joins on Wednesday: three working days of the week, 24 hours.
    _profile(world, newcomer, datetime.date(2026, 3, 4))
    # worker: 3 days of 8 hours (09:00–17:00) = 24 h; 09:30–11:00 with the director.
    for day in (MONDAY, MONDAY.replace(day=3), MONDAY.replace(day=5)):
        _timed(d, day, (9, 0), (17, 0), [worker])
    _timed(d, FRIDAY, (9, 30), (11, 0), [worker, director])
    # newcomer: 2 h 15 min on Wednesday, and one on the Monday before they joined.
    _timed(d, MONDAY.replace(day=4), (14, 0), (16, 15), [newcomer])
    _timed(d, MONDAY, (14, 0), (15, 0), [newcomer, worker])
    # Untimed: a service without times, and one outside the period.
    record(d, held_on=FRIDAY, workers=[director], attendees=d.residents[:1])
    _timed(d, datetime.date(2026, 3, 9), (9, 0), (12, 0), [worker])
    return d


def test_hours_and_shares_computed_by_hand(world, station):
    rows, total = hours.station_hours(world.station_a, MONDAY, FRIDAY)
    figures = {
        r.username: (r.working_hours, r.service_hours, r.share, r.meets_rule, r.untimed)
        for r in rows
    }
    assert figures == {
        # 1.5 h with the director: 1.5 / 40 = 3.75 → 3.8 %; one untimed service.
        "director": (Decimal(40), Decimal("1.5"), Decimal("3.8"), False, 1),
        # Not counted: the hour on Monday, before they were employed.
        "newcomer": (Decimal(24), Decimal("2.3"), Decimal("9.4"), False, 0),
        # 24 + 1.5 + 1 (Monday 14:00–15:00) = 26.5 of 40 = 66.25 → 66.3 %.
        "worker": (Decimal(40), Decimal("26.5"), Decimal("66.3"), True, 0),
    }
    # 1.5 + 2.25 + 26.5 = 30.25 h of 104: 29.1 %.
    assert (total.working_hours, total.service_hours, total.share) == (
        Decimal(104),
        Decimal("30.3"),
        Decimal("29.1"),
    )


def test_working_days_are_monday_to_friday():
    assert hours.working_days(MONDAY, FRIDAY) == 5
    assert hours.working_days(MONDAY, datetime.date(2026, 3, 15)) == 10
    assert hours.working_days(datetime.date(2026, 3, 7), datetime.date(2026, 3, 8)) == 0
    assert hours.working_days(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)) == 261


def test_the_page_and_its_excel_show_the_same_figures(world, station, client, login):
    login(world["director"])
    page = client.get(URL.format(pk=world.station_a.pk)).content.decode()
    assert 'data-testid="share-worker">66.3<' in page
    assert 'data-testid="share-total">29.1<' in page
    response = client.get(
        f"/workforce/stations/{world.station_a.pk}/hours/export.xlsx?start=2026-03-02&end=2026-03-06"
    )
    rows = xlsx_table(response)
    assert rows[0][:4] == ("姓名", "工作时数", "服务时长", "占比（%）")
    assert [r[0] for r in rows[1:]][-1] == world.station_a.name
    assert rows[-1][1:4] == (104, 30.3, 29.1)


def test_a_period_ending_before_it_starts_is_refused(world, station, client, login):
    login(world["director"])
    response = client.get(
        f"/workforce/stations/{world.station_a.pk}/hours/?start=2026-03-06&end=2026-03-02"
    )
    assert response.status_code == 400
    assert "时段的结束日期早于开始日期。" in response.content.decode()


def test_an_outsider_station_is_missing_and_a_worker_may_not_read(world, station, client, login):
    login(world["director_b"])
    assert client.get(URL.format(pk=world.station_a.pk)).status_code == 404
    login(world["worker"])
    assert client.get(URL.format(pk=world.station_a.pk)).status_code == 403


def _rates():
    for post, qualification, grade, yuan in (
        ("frontline", "none", 1, 6000),
        ("director", "social_worker", 2, 8000),
    ):
        PayRate.objects.create(
            post=post,
            qualification=qualification,
            grade=grade,
            monthly_fen=yuan * 100,
            valid_from=datetime.date(2020, 1, 1),
            is_sample=True,
        )


def test_the_personnel_share_of_the_contract_computed_by_hand(world, station):
    _rates()
    share = pay.contract_personnel_share(world.contract_a)
    # Contract 2025-07-01 – 2028-06-30 (36 months), ¥6,000,000:
    # worker 36 × 6,000 = 216,000; director 36 × 8,000 = 288,000;
    # newcomer from 2026-03-04: 28 of March's 31 days (5,419.35) + 27 months (162,000).
    assert share.cost.fen == 21_600_000 + 28_800_000 + 541_935 + 16_200_000
    assert share.percent == Decimal("11.2")
    assert not share.meets_rule
    assert share.cost.uses_samples
    world.contract_a.amount = Decimal("1000000.00")
    assert pay.contract_personnel_share(world.contract_a).percent == Decimal("67.1")
    assert pay.contract_personnel_share(world.contract_a).meets_rule


def test_a_staff_member_without_a_rate_is_listed_as_missing(world, station, client, login):
    _rates()
    PayRate.objects.filter(post="director").delete()
    share = pay.contract_personnel_share(world.contract_a)
    assert share.cost.missing == [str(world["director"])]
    login(world["director"])
    page = client.get(URL.format(pk=world.station_a.pk)).content.decode()
    assert "薪酬表中没有以下人员的标准" in page
    assert "薪酬表为示例数据，并非官方标准。" in page


def test_the_city_keeps_the_pay_table_and_bad_rates_are_refused(world, client, login):
    form = {
        "post": "frontline",
        "qualification": "assistant",
        "grade": "3",
        "monthly_yuan": "6500.00",
        "valid_from": "2026-01-01",
        "is_sample": "on",
    }
    login(world["director"])
    assert client.post("/workforce/pay/", form).status_code == 403
    login(world["city"])
    assert client.post("/workforce/pay/", form).status_code == 302
    assert list(PayRate.objects.values_list("grade", "monthly_fen", "is_sample")) == [
        (3, 650_000, True)
    ]
    again = client.post("/workforce/pay/", form)
    assert again.status_code == 400
    assert "薪酬表中已有该岗位、资格和薪级自该日起的标准。" in again.content.decode()
    bad = client.post("/workforce/pay/", {**form, "grade": "11"})
    assert bad.status_code == 400
    assert PayRate.objects.count() == 1
    # Everyone reads it.
    login(world["worker"])
    page = client.get("/workforce/pay/").content.decode()
    assert "6500.00" in page and "示例" in page


def test_a_service_ending_before_it_starts_is_refused_by_the_form_and_the_api(
    world, station, client, login, api
):
    d = station
    assert refusal_by_field(
        record, d, held_on=FRIDAY, starts_at=datetime.time(10), ends_at=datetime.time(9)
    ) == {"ends_at": ["The service cannot end before it starts."]}
    project = d.projects["key"]
    response = api(world["worker"]).post(
        "/api/service-events/",
        {
            "project": project.pk,
            "kind": "activity",
            "held_on": "2026-03-06",
            "starts_at": "10:00",
            "ends_at": "09:30",
            "title": "社区活动",
            "headcount": 5,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"ends_at": ["服务的结束时间不能早于开始时间。"]}
    assert not ServiceEvent.objects.filter(held_on=FRIDAY, title="社区活动", headcount=5).exists()


def test_the_api_gives_the_pages_figures(world, station, api):
    _rates()
    url = f"/api/workforce/stations/{world.station_a.pk}/service-hours/"
    body = api(world["director"]).get(url, {"start": "2026-03-02", "end": "2026-03-06"}).json()
    shares = {
        r["username"]: (r["service_hours"], r["share"], r["meets_rule"]) for r in body["rows"]
    }
    assert shares == {
        "director": ("1.5", "3.8", False),
        "newcomer": ("2.3", "9.4", False),
        "worker": ("26.5", "66.3", True),
    }
    assert (body["total"]["working_hours"], body["total"]["share"]) == ("104.0", "29.1")
    assert body["personnel_share"]["percent"] == "11.2"
    assert body["personnel_share"]["personnel_cost"] == "671419.35"
    # The evaluator reads the station's figure, not named staff.
    seen = api(world["evaluator"]).get(url, {"start": "2026-03-02", "end": "2026-03-06"}).json()
    assert (seen["rows"], seen["total"]["share"]) == ([], "29.1")
    bad = api(world["director"]).get(url, {"start": "2026-03-06", "end": "2026-03-02"})
    assert bad.status_code == 400
    assert api(world["director_b"]).get(url).status_code == 404


def test_the_pay_table_api_reads_the_rates_with_the_sample_flag(world, api):
    _rates()
    body = api(world["worker"]).get("/api/pay-rates/", {"post": "director"}).json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [(r["grade"], r["monthly_yuan"], r["is_sample"]) for r in rows] == [(2, "8000.00", True)]
    assert api(world["city"]).post("/api/pay-rates/", {}).status_code == 405
