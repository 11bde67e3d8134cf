"""The demo's workforce and case library (src/shegong/demo/workforce.py):
every staff account has a profile with a realistic mix of qualifications and
hours, a second run adds nothing, and closed demo cases become published,
anonymised library entries."""

from io import StringIO

from django.core.management import call_command
from django.db.models import Count

from shegong.accounts.models import User
from shegong.cases.models import LibraryCase
from shegong.core.roles import STAFF_ROLES
from shegong.demo.workforce import LIBRARY, load_demo_case_library, load_demo_workforce
from shegong.workforce import selectors
from shegong.workforce.models import StaffProfile, SupervisionRecord, TrainingRecord
from tests.case_library_world import closed_case
from tests.conftest import shared


def load_demo() -> None:
    call_command(
        "demo_city", residents_per_station=0, showcase_residents=0, scale="none", stdout=StringIO()
    )


# Loaded once for the module's tests that read it (each in a savepoint).
demo = shared(load_demo, world=False)


def test_every_demo_staff_account_has_a_profile(demo):
    staff = User.objects.filter(role__in=STAFF_ROLES, station__isnull=False)
    assert StaffProfile.objects.count() == staff.count() == 188 * 4
    assert not staff.filter(staff_profile__isnull=True).exists()


def test_demo_qualification_mix_is_realistic(demo):
    mix = dict(StaffProfile.objects.values_list("qualification").annotate(n=Count("pk")).order_by())
    total = sum(mix.values())
    # Most hold 助理社会工作师 or 社会工作师, a few 高级, some none yet.
    assert (mix["assistant"] + mix["social_worker"]) / total > 0.7
    assert 0 < mix["senior"] / total < 0.1
    assert 0 < mix["none"] / total < 0.2


def test_demo_records_give_every_station_hours(demo):
    city = User.objects.get(username="city")
    from django.utils import timezone

    rows = selectors.staffing_summary(city, year=timezone.localdate().year)
    assert len(rows) == 188
    assert all(r.headcount == 4 for r in rows)
    assert sum(1 for r in rows if r.training_hours > 0) > 150


def test_a_second_demo_run_adds_nothing(demo):
    before = (
        StaffProfile.objects.count(),
        TrainingRecord.objects.count(),
        SupervisionRecord.objects.count(),
    )
    assert load_demo_workforce() == (0, 0)
    after = (
        StaffProfile.objects.count(),
        TrainingRecord.objects.count(),
        SupervisionRecord.objects.count(),
    )
    assert after == before


def test_closed_cases_become_published_library_entries(world):
    closed_case(world)
    assert load_demo_case_library() == 1
    entry = LibraryCase.objects.get()
    assert (entry.status, entry.title) == ("published", LIBRARY["elderly"]["title"])
    assert load_demo_case_library() == 0
