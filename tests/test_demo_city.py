"""The demo city that `make run` loads."""

from io import StringIO

from django.core.management import call_command
from django.db.models import F

from shegong.accounts.models import User
from shegong.core.roles import Role
from shegong.org.models import Agency, Contract, District, SpecialProject, Station, Street
from tests.conftest import shared


def load_demo() -> str:
    out = StringIO()
    # A small demo keeps the test quick; the full default is exercised by `make run`.
    call_command(
        "demo_city", residents_per_station=0, showcase_residents=2, scale="none", stdout=out
    )
    return out.getvalue()


# Loaded once for the module's tests that read it (each in a savepoint).
demo = shared(load_demo, world=False)


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (District, Street, Station, Agency, Contract, SpecialProject, User)
    }


def test_demo_city_is_guangzhou_with_188_stations_in_11_districts(demo):
    assert Station.objects.count() == 188
    assert District.objects.count() == 11
    assert set(District.objects.values_list("name", flat=True)) == {
        "越秀区",
        "海珠区",
        "荔湾区",
        "天河区",
        "白云区",
        "黄埔区",
        "番禺区",
        "花都区",
        "南沙区",
        "从化区",
        "增城区",
    }
    assert SpecialProject.objects.count() == 15
    assert Station.objects.filter(agency__isnull=True).count() == 0
    # Two contracts (previous and current term) per station, one per special project.
    assert Contract.objects.count() == 188 * 2 + 15


def test_demo_city_has_accounts_for_every_role(demo):
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {r.value for r in Role}
    assert User.objects.filter(role=Role.STATION_DIRECTOR).count() == 188
    assert User.objects.filter(role=Role.SOCIAL_WORKER).count() == 188 * 3
    # One street office per street with a station, anchored at that street.
    offices = User.objects.filter(role=Role.STREET_OFFICE)
    assert offices.count() == offices.values("street").distinct().count() == 176
    assert User.objects.get(username="street-haizhu-10").street.name == "沙园街"
    assert "director-haizhu-10" in demo
    assert "Shegong-demo-2026" in demo


def test_loading_the_demo_city_twice_changes_nothing(demo):
    before = _counts()
    call_command(
        "demo_city", residents_per_station=0, showcase_residents=2, scale="none", stdout=StringIO()
    )
    assert _counts() == before


def test_city_officer_directory_lists_188_stations_in_11_districts(demo, client):
    client.force_login(User.objects.get(username="city"))
    response = client.get("/org/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 188
    assert response.context["summary"].districts == 11
    assert "11 个区，188 个社工站" in response.content.decode()


def test_demo_stations_have_clients_cases_and_alerts(db):
    from shegong.cases.models import Alert, AlertKind, Case
    from shegong.clients.models import ClientStatus

    call_command(
        "demo_city",
        residents_per_station=0,
        showcase_residents=6,
        scale="none",
        stdout=StringIO(),
    )
    shayuan = Station.objects.get(name="沙园街社工站")
    statuses = ClientStatus.objects.filter(station=shayuan)
    assert {(s.domain, s.category) for s in statuses} == {
        (domain, category)
        for domain in ("family", "elderly", "youth")
        for category in ("priority", "general")
    }
    assert Case.objects.filter(station=shayuan, status="closed").count() == 1
    assert Case.objects.filter(station=shayuan).exclude(status="closed").count() == 3
    # The first elder of each showcase station stopped coming to the canteen.
    assert Alert.objects.filter(kind=AlertKind.MEAL_ABSENCE).count() == 5


def test_demo_year_gives_each_station_an_approved_113x_plan_and_countable_services(db):
    from django.db.models import Sum

    from shegong.delivery.models import Attendance, ServiceEvent
    from shegong.demo.year import load_demo_year
    from shegong.plans.models import AnnualPlan
    from shegong.plans.services import structure_errors

    call_command(
        "demo_city", residents_per_station=0, showcase_residents=2, scale="none", stdout=StringIO()
    )
    stations = list(Station.objects.filter(code__startswith="haizhu-").order_by("pk")[:3])
    events, person_times = load_demo_year("small", stations=stations)

    assert events == 3 * 60
    plans = AnnualPlan.objects.filter(station__in=stations)
    assert [p.status for p in plans] == ["approved"] * 3
    assert all(structure_errors(p) == [] for p in plans)
    # The counting rule, recounted from the raw rows.
    generated = ServiceEvent.objects.filter(station__in=stations).exclude(kind="casework")
    named = Attendance.objects.filter(event__in=generated).count()
    heads = generated.aggregate(n=Sum("headcount"))["n"]
    stored = generated.aggregate(n=Sum("person_times"))["n"]
    assert person_times == named + heads == stored
    # The statistics rollups agree with the raw rows.
    from shegong.stats.rollups import drift

    assert drift() == []
    # Volunteer time (demo/volunteer_time.py): the time bank balances, and the coming
    # activity has two places taken and one resident on the waiting list.
    from shegong.community import timebank
    from shegong.community.models import CommunityActivity, TimeBankEntry, Volunteer

    banked = Volunteer.objects.filter(station__in=stations, time_bank__isnull=False).distinct()
    assert TimeBankEntry.objects.filter(volunteer__station__in=stations).exists()
    assert all(timebank.balance(v) == timebank.ledger_sum(v) > 0 for v in banked)
    for coming in CommunityActivity.objects.filter(station__in=stations, capacity=2):
        assert sorted(coming.signups.values_list("status", flat=True)) == [
            "confirmed",
            "confirmed",
            "waiting",
        ]
    # Idempotent: a second run writes nothing.
    assert load_demo_year("small", stations=stations) == (0, 0)


def test_demo_years_stay_inside_their_own_year(db):
    from django.utils import timezone

    from shegong.delivery.models import ServiceEvent
    from shegong.demo.year import load_demo_year
    from shegong.plans.models import AnnualPlan

    call_command(
        "demo_city",
        residents_per_station=0,
        showcase_residents=0,
        scale="none",
        stdout=StringIO(),
    )
    station = Station.objects.get(code="haizhu-10")
    load_demo_year("small", stations=[station], years=2)
    this_year = timezone.localdate().year
    assert sorted(AnnualPlan.objects.filter(station=station).values_list("year", flat=True)) == [
        this_year - 1,
        this_year,
    ]
    for plan in AnnualPlan.objects.filter(station=station):
        years = set(
            ServiceEvent.objects.filter(project__plan=plan).values_list("held_on__year", flat=True)
        )
        assert years == {plan.year}
    assert ServiceEvent.objects.filter(station=station).count() == 2 * 60


def test_copied_history_years_mirror_the_last_generated_year(db):
    from django.db.models import Sum
    from django.utils import timezone

    from shegong.delivery.models import Attendance, EventVolunteer, ServiceEvent
    from shegong.demo.year import load_demo_year
    from shegong.plans.models import AnnualPlan
    from shegong.stats.rollups import drift

    call_command(
        "demo_city", residents_per_station=0, showcase_residents=0, scale="none", stdout=StringIO()
    )
    stations = list(Station.objects.filter(code__startswith="haizhu-").order_by("pk")[:2])
    events, _person_times = load_demo_year("small", stations=stations, years=4, copy_history=True)
    this_year = timezone.localdate().year
    # Two generated years (60 events per station each), two copies of the last one.
    assert events == 4 * 2 * 60

    def year_of(model, path, year):
        return model.objects.filter(**{f"{path}held_on__year": year})

    last = this_year - 1
    for year in (this_year - 2, this_year - 3):
        assert AnnualPlan.objects.filter(year=year, status="approved").count() == 2
        assert year_of(ServiceEvent, "", year).count() == year_of(ServiceEvent, "", last).count()
        assert year_of(ServiceEvent, "", year).aggregate(n=Sum("person_times")) == year_of(
            ServiceEvent, "", last
        ).aggregate(n=Sum("person_times"))
        for model in (Attendance, EventVolunteer):
            assert (
                year_of(model, "event__", year).count() == year_of(model, "event__", last).count()
            )
        # Every copy hangs from its own year's plan and groups.
        assert set(
            year_of(ServiceEvent, "", year).values_list("project__plan__year", flat=True)
        ) == {year}
        assert set(
            year_of(ServiceEvent, "", year)
            .filter(group__isnull=False)
            .values_list("group__project__plan__year", flat=True)
        ) == {year}
    assert not ServiceEvent.objects.exclude(import_key="").exists()
    assert drift() == []
    # Idempotent.
    assert load_demo_year("small", stations=stations, years=4, copy_history=True) == (0, 0)


def test_demo_stations_have_service_points_in_their_communities(demo):
    from shegong.clients.models import Resident
    from shegong.org.models import Community, ServicePoint

    # Three communities per street; two points per station, one at a station
    # sharing its street with a second station (three communities between two).
    assert Community.objects.count() == Street.objects.count() * 3
    shayuan = Station.objects.get(name="沙园街社工站")
    points = list(ServicePoint.objects.filter(station=shayuan).order_by("code"))
    assert [(p.code, p.name, p.community.name) for p in points] == [
        ("haizhu-10-01", "沙园东社区社工点", "沙园东社区"),
        ("haizhu-10-02", "沙园西社区社工点", "沙园西社区"),
    ]
    assert [list(p.staff.values_list("username", flat=True)) for p in points] == [
        ["worker-haizhu-10-1"],
        ["worker-haizhu-10-2"],
    ]
    assert not ServicePoint.objects.exclude(community__street=F("station__street")).exists()
    # The two showcase residents live in 东 and 西: each at that community's point.
    assert sorted(
        Resident.objects.filter(
            station=shayuan, created_by__username__startswith="worker-"
        ).values_list("community__name", "point__code")
    ) == [("沙园东社区", "haizhu-10-01"), ("沙园西社区", "haizhu-10-02")]
    # The persons first known from the roster live in 东 too: at its point as well.
    assert set(
        Resident.objects.filter(station=shayuan, created_by__username="city").values_list(
            "community__name", "point__code"
        )
    ) == {("沙园东社区", "haizhu-10-01")}


def test_demo_events_are_given_at_the_points_and_counted_per_point(db):
    from django.db.models import Sum

    from shegong.delivery.models import ServiceEvent
    from shegong.demo.year import load_demo_year
    from shegong.stats.models import PointMonth
    from shegong.stats.rollups import drift

    call_command(
        "demo_city", residents_per_station=0, showcase_residents=2, scale="none", stdout=StringIO()
    )
    shayuan = Station.objects.get(name="沙园街社工站")
    load_demo_year("small", stations=[shayuan])
    at_points = ServiceEvent.objects.filter(station=shayuan, point__isnull=False)
    assert at_points.filter(kind="activity").exists()
    assert at_points.filter(kind__in=["home_visit", "consultation"]).exists()
    assert ServiceEvent.objects.filter(station=shayuan, point__isnull=True).exists()
    # Groups meet at the points in turn; their sessions are given there.
    sessions = ServiceEvent.objects.filter(station=shayuan, kind="group_session")
    assert sessions.filter(point__isnull=False).exists()
    assert not sessions.exclude(point=F("group__point")).filter(group__point__isnull=False).exists()
    # Visits are given at their resident's point.
    for event in at_points.filter(kind="home_visit").prefetch_related("attendances__resident"):
        assert [a.resident.point_id for a in event.attendances.all()] == [event.point_id]
    assert (
        PointMonth.objects.filter(station=shayuan).aggregate(n=Sum("person_times"))["n"]
        == at_points.aggregate(n=Sum("person_times"))["n"]
    )
    assert drift() == []


def test_demo_city_has_one_full_contract_cycle_per_district(demo):
    from shegong.contracts.models import Renewal, RenewalDecision, Tender, TenderStatus
    from shegong.contracts.selectors import ledger

    tenders = Tender.objects.select_related("station__street__district")
    assert tenders.count() == 11
    assert {t.station.street.district.name for t in tenders} == set(
        District.objects.values_list("name", flat=True)
    )
    assert set(tenders.values_list("status", flat=True)) == {TenderStatus.AWARDED}
    renewals = RenewalDecision.objects.select_related("terms__contract", "next_contract")
    assert renewals.count() == 11
    for renewal in renewals:
        terms = renewal.terms
        book = ledger(terms)
        # Every instalment paid in full, every line spent, personnel 70 % of the amount.
        assert book.paid == terms.contract.amount
        assert book.spent == terms.contract.amount
        assert book.personnel_budget_ok and book.personnel_spent_ok
        assert all(i.accepted_on for i in terms.instalments.exclude(milestone="signing"))
        assert renewal.decision == Renewal.RENEW
        assert renewal.next_contract.starts_on > terms.contract.ends_on
    # 从化区: the mid-term result failed first and passed after rectification.
    conghua = renewals.get(terms__station__street__district__name="从化区")
    mid = conghua.terms.instalments.get(milestone="mid_term")
    assert (mid.grade, mid.result_note) == ("pass", "2024年整改后复评报告（纸本）")
