"""Workforce 人才队伍: the staffing summary's figures (tests/workforce_world.py
writes them out), the same figures through the page, the API and the export;
scope of profiles (a worker sees only their own, outsiders 404, the agency its
stations); who may edit; hours of 0 or less refused."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from shegong.workforce import selectors, services
from shegong.workforce.models import StaffProfile, TrainingRecord
from tests.helpers import refusal, xlsx_table
from tests.workforce_world import YEAR, d, make_staffed


@pytest.fixture
def staffed(world):
    return make_staffed(world)


def figures(row) -> tuple:
    return (
        row.station_code,
        row.headcount,
        row.by_post,
        row.by_qualification,
        row.qualified,
        row.qualified_share,
        row.training_hours,
        row.training_per_staff,
        row.supervision_hours,
        row.supervision_per_staff,
    )


STATION_A_2025 = (
    "haizhu-10",
    4,
    {"director": 1, "frontline": 2, "supervisor": 1},
    {"social_worker": 1, "assistant": 1, "none": 1, "senior": 1},
    3,
    Decimal("75.0"),
    Decimal("30.0"),
    Decimal("7.5"),
    Decimal("6.5"),
    Decimal("1.6"),
)
STATION_B_2025 = (
    "haizhu-11",
    1,
    {"director": 1},
    {"social_worker": 1},
    1,
    Decimal("100.0"),
    Decimal("0.0"),
    Decimal("0.0"),
    Decimal("0.0"),
    Decimal("0.0"),
)
STATION_C_2025 = ("yuexiu-02", 0, {}, {}, 0, *[Decimal("0.0")] * 5)


# --- The summary -----------------------------------------------------------------


def test_staffing_summary_figures_for_the_city(staffed):
    rows = selectors.staffing_summary(staffed["city"], year=YEAR)
    assert [figures(r) for r in rows] == [STATION_A_2025, STATION_B_2025, STATION_C_2025]
    total = selectors.staffing_total(rows)
    assert (total.headcount, total.qualified, total.qualified_share) == (5, 4, Decimal("80.0"))
    assert (total.training_hours, total.supervision_hours) == (Decimal("30.0"), Decimal("6.5"))


def test_staffing_summary_of_2024_counts_the_clerk_and_the_2024_training(staffed):
    (row,) = selectors.staffing_summary(staffed["agency"], year=2024)
    # director, worker, sup, clerk (worker2 started in 2025).
    assert (row.headcount, row.qualified, row.qualified_share) == (4, 3, Decimal("75.0"))
    assert (row.training_hours, row.training_per_staff) == (Decimal("15.0"), Decimal("3.8"))


@pytest.mark.parametrize(
    ("person", "codes"),
    [
        ("city", ["haizhu-10", "haizhu-11", "yuexiu-02"]),
        ("district", ["haizhu-10", "haizhu-11"]),
        ("agency", ["haizhu-10"]),
        ("director", ["haizhu-10"]),
        ("evaluator", ["haizhu-10"]),
        ("other_agency", ["haizhu-11", "yuexiu-02"]),
        ("worker", []),
    ],
)
def test_staffing_summary_covers_the_stations_in_scope(staffed, person, codes):
    rows = selectors.staffing_summary(staffed[person], year=YEAR)
    assert [r.station_code for r in rows] == codes


def test_staffing_summary_query_count_does_not_grow_with_stations(
    staffed, django_assert_num_queries
):
    with django_assert_num_queries(4):
        selectors.staffing_summary(staffed["city"], year=YEAR)


# --- Pages -------------------------------------------------------------------------


def test_staffing_page_shows_each_station_and_the_total(staffed, login):
    response = login(staffed["district"]).get(f"/workforce/?year={YEAR}")
    assert response.status_code == 200
    assert [figures(r) for r in response.context["rows"]] == [STATION_A_2025, STATION_B_2025]
    html = response.content.decode()
    assert '<div class="value" data-testid="total-headcount">5</div>' in html
    assert '<div class="value" data-testid="total-share">80.0</div>' in html


def test_director_goes_straight_to_the_station_page(staffed, login):
    client = login(staffed["director"])
    response = client.get(f"/workforce/?year={YEAR}")
    assert response.status_code == 302
    assert response["Location"] == f"/workforce/stations/{staffed.world.station_a.pk}/?year={YEAR}"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert '<td class="text-end" data-testid="training-worker">14.0</td>' in html
    assert '<td class="text-end" data-testid="supervision-worker">3.5</td>' in html
    assert '<td class="text-end" data-testid="post-frontline">2</td>' in html
    assert '<td class="text-end" data-testid="qualified-share">75.0</td>' in html


def test_worker_goes_to_their_own_profile(staffed, login):
    client = login(staffed["worker"])
    response = client.get("/workforce/", follow=True)
    assert response.redirect_chain[-1][0] == f"/workforce/profiles/{staffed.profiles['worker'].pk}/"
    assert response.context["profile"].user == staffed["worker"]
    # The worker reads no station's staffing figures.
    assert client.get(f"/workforce/stations/{staffed.world.station_a.pk}/").status_code == 403
    assert client.get("/workforce/export.csv").status_code == 403


def test_profile_page_shows_the_years_hours_and_records(staffed, login):
    pk = staffed.profiles["worker"].pk
    html = login(staffed["worker"]).get(f"/workforce/profiles/{pk}/?year={YEAR}").content.decode()
    assert '<strong data-testid="year-training">14.0</strong>' in html
    assert '<strong data-testid="year-supervision">3.5</strong>' in html
    assert "个案管理实务" in html and "社工伦理" in html
    # A worker reads but does not write their record.
    assert "training-add" not in html and "/training/" not in html


@pytest.mark.parametrize(
    ("person", "own", "other_at_a", "at_b"),
    [
        ("worker", 200, 404, 404),
        ("director", 200, 200, 404),
        ("agency", 200, 200, 404),
        ("district", 200, 200, 200),
        ("city", 200, 200, 200),
        ("director_b", 404, 404, 200),
        ("other_district", 404, 404, 404),
        ("worker_c", 404, 404, 404),
        ("evaluator", 404, 404, 404),
    ],
)
def test_profile_page_scope(staffed, login, person, own, other_at_a, at_b):
    client = login(staffed[person])
    p = staffed.profiles
    statuses = tuple(
        client.get(f"/workforce/profiles/{p[name].pk}/").status_code
        for name in ("worker", "worker2", "director_b")
    )
    assert statuses == (own, other_at_a, at_b)


def test_outsider_station_page_is_404(staffed, login):
    client = login(staffed["director_b"])
    assert client.get(f"/workforce/stations/{staffed.world.station_a.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("director", 200),
        ("agency", 200),
        ("district", 403),
        ("city", 403),
        # Not their own profile: out of a worker's scope.
        ("worker", 404),
        ("other_agency", 404),
        ("director_b", 404),
    ],
)
def test_who_edits_a_profile(staffed, login, person, expected):
    pk = staffed.profiles["worker2"].pk
    response = login(staffed[person]).post(
        f"/workforce/profiles/{pk}/edit/",
        {
            "post": "frontline",
            "qualification": "assistant",
            "certificate_number": "GZSG-2026-88",
            "certified_on": "2026-06-20",
            "employed_since": "2025-02-01",
            "version": 1,
        },
    )
    assert response.status_code == (302 if expected == 200 else expected)
    profile = StaffProfile.objects.get(pk=pk)
    assert profile.qualification == ("assistant" if expected == 200 else "none")


def test_worker_reads_but_cannot_edit_their_own_profile(staffed, login):
    pk = staffed.profiles["worker"].pk
    assert login(staffed["worker"]).get(f"/workforce/profiles/{pk}/edit/").status_code == 403


def test_director_adds_a_profile_for_a_new_worker(staffed, login):
    from tests.conftest import make_user

    newcomer = make_user("newcomer", "social_worker", station=staffed.world.station_a)
    client = login(staffed["director"])
    form = client.get(f"/workforce/stations/{staffed.world.station_a.pk}/new/")
    assert [u.username for u in form.context["form"].fields["user"].queryset] == ["newcomer"]
    response = client.post(
        f"/workforce/stations/{staffed.world.station_a.pk}/new/",
        {
            "user": newcomer.pk,
            "post": "frontline",
            "qualification": "social_worker",
            "certificate_number": "",
            "employed_since": "2026-01-05",
        },
    )
    assert response.status_code == 400
    assert "请填写资格证书编号。" in response.content.decode()
    assert not StaffProfile.objects.filter(user=newcomer).exists()
    response = client.post(
        f"/workforce/stations/{staffed.world.station_a.pk}/new/",
        {
            "user": newcomer.pk,
            "post": "frontline",
            "qualification": "social_worker",
            "certificate_number": "GZSG-2026-01",
            "certified_on": "2025-11-01",
            "employed_since": "2026-01-05",
        },
    )
    assert response.status_code == 302
    assert StaffProfile.objects.get(user=newcomer).station == staffed.world.station_a


def test_director_of_another_station_cannot_make_a_profile_here(staffed):
    from tests.conftest import make_user

    newcomer = make_user("newcomer", "social_worker", station=staffed.world.station_a)
    assert refusal(
        services.staff_profile_create,
        PermissionDenied,
        actor=staffed["director_b"],
        user=newcomer,
        post="frontline",
        qualification="none",
        employed_since=d(1, 1),
    ) == ["Only the station director or the agency manager can change staff records."]
    assert not StaffProfile.objects.filter(user=newcomer).exists()


def test_only_station_staff_have_profiles(staffed):
    assert refusal(
        services.staff_profile_create,
        actor=staffed["director"],
        user=staffed["district"],
        post="frontline",
        qualification="none",
        employed_since=d(1, 1),
    ) == ["Only station staff accounts (social workers, directors) have profiles."]


# --- Hours ---------------------------------------------------------------------------


@pytest.mark.parametrize("hours", ["0", "-2"])
def test_training_hours_of_zero_or_less_are_refused(staffed, hours):
    assert refusal(
        services.training_record_add,
        actor=staffed["director"],
        profile=staffed.profiles["worker"],
        course="x",
        provider="y",
        held_on=d(1, 5),
        hours=Decimal(hours),
    ) == ["Hours must be more than 0."]
    assert TrainingRecord.objects.count() == 6


def test_training_form_refuses_zero_hours_and_saves_nothing(staffed, login):
    pk = staffed.profiles["worker"].pk
    response = login(staffed["director"]).post(
        f"/workforce/profiles/{pk}/training/",
        {
            "training-course": "社区营造",
            "training-provider": "广州市社会工作协会",
            "training-held_on": "2025-10-10",
            "training-hours": "0",
        },
    )
    assert response.status_code == 400
    assert "时数必须大于0。" in response.content.decode()
    assert TrainingRecord.objects.count() == 6


def test_training_form_records_a_course(staffed, login):
    pk = staffed.profiles["worker"].pk
    response = login(staffed["director"]).post(
        f"/workforce/profiles/{pk}/training/",
        {
            "training-course": "社区营造",
            "training-provider": "广州市社会工作协会",
            "training-held_on": "2025-10-10",
            "training-hours": "4.5",
            "training-evidence": "结业证书",
        },
    )
    assert response.status_code == 302
    (row,) = selectors.staffing_summary(staffed["director"], year=YEAR)
    assert row.training_hours == Decimal("34.5")


def test_worker_cannot_record_their_own_training(staffed, login):
    pk = staffed.profiles["worker"].pk
    response = login(staffed["worker"]).post(
        f"/workforce/profiles/{pk}/training/",
        {
            "training-course": "x",
            "training-provider": "y",
            "training-held_on": "2025-10-10",
            "training-hours": "4",
        },
    )
    assert response.status_code == 403
    assert TrainingRecord.objects.count() == 6


def test_supervision_form_records_a_session(staffed, login):
    pk = staffed.profiles["worker2"].pk
    response = login(staffed["agency"]).post(
        f"/workforce/profiles/{pk}/supervision/",
        {
            "supervision-supervisor": "督导陈老师",
            "supervision-held_on": "2025-12-01",
            "supervision-hours": "1.5",
            "supervision-kind": "individual",
        },
    )
    assert response.status_code == 302
    (row,) = selectors.staffing_summary(staffed["agency"], year=YEAR)
    assert row.supervision_hours == Decimal("8.0")


# --- Export --------------------------------------------------------------------------


def test_csv_export_holds_the_summary(staffed, login):
    response = login(staffed["district"]).get(f"/workforce/export.csv?year={YEAR}")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 3
    assert rows[0][:5] == ["站点编码", "社工站", "区", "社工机构", "人数"]
    assert rows[1] == [
        "haizhu-10",
        "沙园街社工站",
        "海珠区",
        "广州市同心社会工作服务中心",
        "4",
        "1",  # director
        "1",  # supervisor
        "2",  # front-line
        "0",  # administration
        "1",  # none
        "1",  # assistant
        "1",  # social worker
        "1",  # senior
        "3",
        "75.0",
        "30.0",
        "7.5",
        "6.5",
        "1.6",
    ]
    assert rows[2][0] == "haizhu-11"


def test_xlsx_export_holds_the_agencys_station_only(staffed, login):

    response = login(staffed["agency"]).get(f"/workforce/export.xlsx?year={YEAR}")
    rows = xlsx_table(response)
    assert len(rows) == 2
    assert rows[1][0] == "haizhu-10"
    assert rows[1][4] == 4
    assert rows[1][-6:] == (3, 75.0, 30.0, 7.5, 6.5, 1.6)


def test_unknown_export_format_is_404(staffed, login):
    assert login(staffed["city"]).get("/workforce/export.pdf").status_code == 404


def test_evaluator_reads_the_figures_but_no_names(staffed, login):
    response = login(staffed["evaluator"]).get(
        f"/workforce/stations/{staffed.world.station_a.pk}/?year={YEAR}"
    )
    assert response.status_code == 200
    assert figures(response.context["row"]) == STATION_A_2025
    html = response.content.decode()
    assert 'data-testid="staff-table"' not in html
    assert "Worker2" not in html
