"""`shegong purge_personal_data`: the records past retention lose their identity
and free text, the others are untouched, and every statistic stays exact."""

import datetime
import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import CharField, F, JSONField, Model, Q, Sum, TextField
from django.db.models.functions import Cast

from shegong.cases import services as case_services
from shegong.cases.models import Assessment, Case, CaseEvent, CaseNote, ServicePlan
from shegong.clients import services as client_services
from shegong.clients.models import Household, Resident
from shegong.community import activities
from shegong.community.models import CommunityActivity, ResidentSignup
from shegong.community.services import meal_enrol
from shegong.core.models import AccessLog, AuditEntry
from shegong.delivery.models import Attendance
from shegong.evaluation import computed
from shegong.rosters.models import CoverageMonth, RosterEntry
from shegong.stats import rollups
from shegong.stats.models import ClientYear, DomainMonth, PointMonth
from shegong.stats.selectors import person_time_summary
from shegong.surveys import services as survey_services
from shegong.surveys.models import Response, Survey
from tests import roster_helpers
from tests.delivery_world import casework_note, make_delivery, record
from tests.helpers import days_ago, open_case, register_resident, today
from tests.survey_world import full_answers, published
from tests.volunteer_world import activity, at

ANONYMISED = "已匿名"
OLD_ID = roster_helpers.id_number(900, born="19800101")
ELEVEN_YEARS = 11 * 366


def _backdate_case(case: Case, days: int) -> None:
    # Setting the clock back for the test: the services date everything today.
    Case.objects.filter(pk=case.pk).update(opened_on=days_ago(days + 30), closed_on=days_ago(days))


def _close(world, case: Case, summary: str) -> Case:
    return case_services.case_close(
        actor=world["director"],
        case=case,
        closed_on=today(),
        outcome="moved_away",
        summary=summary,
    )


def _paper(world, survey: Survey, name: str, phone: str) -> Response:
    answers = {int(k[1:]): v for k, v in full_answers(survey).items()}
    return survey_services.response_enter_paper(
        actor=world["worker"],
        survey=survey,
        answers=answers,
        answered_on=today(),
        contact_name=name,
        contact_phone=phone,
    )


def _access(world, label: str, days: int) -> AccessLog:
    entry = AccessLog.objects.create(
        user=world["director"],
        role="station_director",
        action="read_case_file",
        station=world.station_a,
        object_type="case",
        object_id=1,
        object_label=label,
    )
    AccessLog.objects.filter(pk=entry.pk).update(at=entry.at - datetime.timedelta(days=days))
    return entry


@pytest.fixture
def purgeable(world):
    """Hand-counted:
    - 林旧案 (ID, phone, address, alone in 林家): one case closed 11 years ago,
      assessed (needs, strengths) and closed with a summary; no attendance since:
      anonymised, with the household; its assessment (one row) and closing summary
      (one event) cleared.
    - 居民01 (the delivery world): a casework case (assessment, plan, one note)
      closed 11 years ago, but attended today: those 3 rows' texts go, the person
      stays. Cases 2, text rows 4, events 1, resident 1, household 1.
    - 黄近结 : a case closed today: untouched.
    - 周在案 : an open case opened 11 years ago: untouched.
    - surveys: one closed 2 years ago with 2 contacts (1 without), one still open
      with 1 contact: 2 responses cleared.
    - rosters: 名单人1 left 4 years ago (cleared), 名单人2 left today (kept),
      名单人3 still listed (kept).
    - activity sign-ups: 林旧案 signed up with their phone to today's activity
      (matched: cleared with the resident), and as 林阿姨 with the same phone to
      today's talk, unmatched (signed up before being registered: cleared too);
      郑报名 and 钱报名 to an activity that ended 2 years ago (cleared, 2 rows),
      孙近报 to today's (kept).
    - access log: one 500 days old (deleted), one 10 days old (kept).
    - residents who never had a case, registered 4 years ago: 郑旧登 (phone) not
      seen since: anonymised; 孙在餐 still enrolled at the canteen: kept."""
    d = make_delivery(world)
    record(d, project="key", headcount=40)
    record(d, project="featured", attendees=d.residents[:5], headcount=20)
    note = casework_note(d, d.residents[0], domain="youth")
    recent_client = note.case
    _close(world, recent_client, "")
    _backdate_case(recent_client, ELEVEN_YEARS)

    household = client_services.household_create(
        actor=world["worker"], station=world.station_a, name="林家", address="沙园路8号"
    )
    old = register_resident(
        world,
        "林旧案",
        id_number=OLD_ID,
        phone="13800138000",
        address="沙园路8号301",
        household=household,
    )
    old_case = open_case(world, old)
    case_services.case_assess(
        actor=world["worker"],
        case=old_case,
        assessed_on=today(),
        needs="林旧案独居",
        strengths="女儿常来",
        risk_level="low",
    )
    _close(world, old_case, "林旧案搬走")
    _backdate_case(old_case, ELEVEN_YEARS)

    recent = register_resident(world, "黄近结", phone="13900139000")
    _close(world, open_case(world, recent), "黄近结搬走")
    still = register_resident(world, "周在案")
    Case.objects.filter(pk=open_case(world, still).pk).update(opened_on=days_ago(ELEVEN_YEARS))

    closed_survey = published(world, "satisfaction")
    _paper(world, closed_survey, "李答卷", "13700137000")
    _paper(world, closed_survey, "", "13600136000")
    _paper(world, closed_survey, "", "")
    closed_survey = survey_services.survey_close(actor=world["director"], survey=closed_survey)
    Survey.objects.filter(pk=closed_survey.pk).update(
        closed_at=closed_survey.closed_at - datetime.timedelta(days=730)
    )
    open_survey = published(world, "needs")
    _paper(world, open_survey, "王仍开", "13500135000")

    roster_helpers.communities(world)
    roster_helpers.load(world, [roster_helpers.row(n) for n in (1, 2, 3)])
    roster_helpers.load(world, [roster_helpers.row(3)], month=datetime.date(2026, 2, 1))
    RosterEntry.objects.filter(name="名单人1").update(closed_on=days_ago(4 * 366))

    current = activity(d, "社区义诊", capacity=1)
    past = activity(d, "旧义诊")
    talk = activity(d, "健康讲座")
    with at(7):
        activities.resident_sign_up(activity=current, name="林旧案", phone="13800138000")
        before = activities.resident_sign_up(activity=talk, name="林阿姨", phone="13800138000")
        ResidentSignup.objects.filter(pk=before.pk).update(resident=None)
        activities.resident_sign_up(activity=current, name="孙近报", phone="13200132000")
        activities.resident_sign_up(activity=past, name="郑报名", phone="13300133000")
        activities.resident_sign_up(activity=past, name="钱报名", phone="13100131000")
    two_years = datetime.timedelta(days=730)
    CommunityActivity.objects.filter(pk=past.pk).update(
        starts_at=past.starts_at - two_years, ends_at=past.ends_at - two_years
    )

    _access(world, "林旧案", 500)
    _access(world, "黄近结", 10)

    elder = datetime.date(1950, 3, 1)
    gone = register_resident(world, "郑旧登", phone="13400134000", born=elder)
    dining = register_resident(world, "孙在餐", born=elder)
    meal_enrol(actor=world["worker"], resident=dining, started_on=days_ago(4 * 366))
    four_years = datetime.timedelta(days=4 * 366)
    Resident.objects.filter(pk__in=[gone.pk, dining.pk]).update(
        created_at=F("created_at") - four_years, updated_at=F("updated_at") - four_years
    )
    return {
        "gone": gone,
        "dining": dining,
        "current_activity": current,
        "talk": talk,
        "past_activity": past,
        "d": d,
        "old": old,
        "household": household,
        "recent": recent,
        "still": still,
        "casework_client": d.residents[0],
        "casework_case": recent_client,
        "old_case": old_case,
        "closed_survey": closed_survey,
        "open_survey": open_survey,
    }


def _statistics(world) -> dict:
    """Every figure the purge must not change: the rollup tables row by row, the
    raw person-times, the coverage, and the city officer's dashboard figures."""

    def rows(model: type[Model]) -> list[tuple]:
        fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        return sorted(model.objects.values_list(*fields))

    summary = person_time_summary(world["city"], year=today().year)
    # Every computed evaluation indicator of station A, this year and the year the
    # expired cases closed.
    evaluation = {
        (code, year): computed.compute(code, world.station_a, computed.Period(year, 1, 12))
        for code in computed.REGISTRY
        for year in (today().year, days_ago(ELEVEN_YEARS).year)
    }
    return {
        "evaluation": evaluation,
        "domain_month": rows(DomainMonth),
        "point_month": rows(PointMonth),
        "client_year": rows(ClientYear),
        "coverage": rows(CoverageMonth),
        "attendance": Attendance.objects.count(),
        "signups": sorted(
            ResidentSignup.objects.values_list("activity_id", "status", "resident_id")
        ),
        "cases": sorted(
            Case.objects.values_list("pk", "status", "domain", "opened_on", "closed_on")
        ),
        "dashboard": summary.as_dict(),
    }


def _purge(*args) -> str:
    out = StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_prints_the_counts_and_changes_nothing(purgeable, world):
    before = _statistics(world)
    names = sorted(Resident.objects.values_list("name", "phone", "id_number_hash"))
    audits = AuditEntry.objects.count()
    out = _purge("--dry-run")
    assert "residents 1, households 1" in out
    assert "Survey contact details (kept 365 days" in out
    assert "responses 2 would be purged" in out
    assert "entries 1 would be purged" in out
    assert "Activity sign-ups (kept 365 days" in out
    assert "signups 2 would be purged" in out
    assert "Dry run: 18 changes would be made; nothing changed." in out
    assert sorted(Resident.objects.values_list("name", "phone", "id_number_hash")) == names
    assert Assessment.objects.filter(needs="林旧案独居").exists()
    assert AccessLog.objects.count() == 2
    assert AuditEntry.objects.count() == audits
    assert _statistics(world) == before


def test_a_purge_anonymises_exactly_the_expired_records(purgeable, world):
    _purge()
    old = Resident.objects.get(pk=purgeable["old"].pk)
    assert (old.name, old.name_pinyin, old.phone, old.address) == (ANONYMISED, "", "", "")
    assert (old.id_number_hash, old.id_number_encrypted, old.id_number_masked) == ("", "", "")
    assert (old.gender, old.birth_date) == ("female", datetime.date(1980, 1, 1))
    household = Household.objects.get(pk=purgeable["household"].pk)
    assert (household.name, household.address) == (ANONYMISED, "")
    assert not Resident.objects.filter(name__in=["林旧案"]).exists()
    gone = Resident.objects.get(pk=purgeable["gone"].pk)
    assert (gone.name, gone.phone) == (ANONYMISED, "")
    assert set(Resident.objects.filter(name=ANONYMISED).values_list("pk", flat=True)) == {
        old.pk,
        gone.pk,
    }
    assert Resident.objects.get(pk=purgeable["dining"].pk).name == "孙在餐"
    # The casework client attended today: the case file's text goes, the person stays.
    assert Resident.objects.get(pk=purgeable["casework_client"].pk).name == "居民01"
    expired = [purgeable["old_case"].pk, purgeable["casework_case"].pk]
    assert set(Assessment.objects.filter(case__in=expired).values_list("needs", "strengths")) == {
        ("", "")
    }
    assert list(ServicePlan.objects.filter(case__in=expired).values_list("goals", flat=True)) == [
        ""
    ]
    assert list(CaseNote.objects.filter(case__in=expired).values_list("text", flat=True)) == [""]
    closing = CaseEvent.objects.get(case=purgeable["old_case"], action="closed")
    assert closing.detail == {"outcome": "moved_away", "summary": ""}
    # The others are untouched.
    assert Resident.objects.get(pk=purgeable["recent"].pk).phone == "13900139000"
    assert Resident.objects.get(pk=purgeable["still"].pk).name == "周在案"
    assert CaseEvent.objects.get(case__client=purgeable["recent"], action="closed").detail == {
        "outcome": "moved_away",
        "summary": "黄近结搬走",
    }
    contacts = sorted(Response.objects.values_list("survey_id", "contact_name", "contact_phone"))
    closed, open_ = purgeable["closed_survey"].pk, purgeable["open_survey"].pk
    assert contacts == sorted(
        [(closed, "", ""), (closed, "", ""), (closed, "", ""), (open_, "王仍开", "13500135000")]
    )
    assert sorted(RosterEntry.objects.values_list("name", "id_number_hash", "address")) == sorted(
        [
            (ANONYMISED, "", ""),
            ("名单人2", RosterEntry.objects.get(name="名单人2").id_number_hash, "沙园路2号"),
            ("名单人3", RosterEntry.objects.get(name="名单人3").id_number_hash, "沙园路3号"),
        ]
    )
    assert list(AccessLog.objects.values_list("object_label", flat=True)) == ["黄近结"]
    signups = ResidentSignup.objects.values_list("activity_id", "name", "phone", "resident_id")
    current, past = purgeable["current_activity"].pk, purgeable["past_activity"].pk
    assert sorted(signups) == sorted(
        [
            (current, ANONYMISED, "", purgeable["old"].pk),
            (current, "孙近报", "13200132000", None),
            (purgeable["talk"].pk, ANONYMISED, "", None),
            (past, ANONYMISED, "", None),
            (past, ANONYMISED, "", None),
        ]
    )


def test_the_activity_pages_count_the_purged_sign_ups_as_before(purgeable, world, client):
    client.force_login(world["worker"])
    # Newest first: today's talk, 林阿姨 confirmed; today's activity: 1 place,
    # 林旧案 confirmed, 孙近报 waiting; the old one: 2 confirmed.
    expected = [("2", "1", "0"), ("1", "1", "1"), ("2", "2", "0")]

    def rows() -> list[tuple[str, ...]]:
        return _rows(client.get("/community/activities/").content.decode())

    assert rows() == expected
    _purge()
    assert rows() == expected
    page = client.get(f"/community/activities/{purgeable['past_activity'].pk}/").content.decode()
    assert "郑报名" not in page and "13300133000" not in page
    assert page.count(ANONYMISED) == 2


def _rows(page: str) -> list[tuple[str, ...]]:
    """(places, confirmed, waiting) of each activity row of the list page."""
    found = re.findall(
        r'<td class="text-end">(\d+)</td><td class="text-end">(\d+)</td>'
        r'<td class="text-end">(\d+)</td>',
        page,
    )
    return [tuple(row) for row in found]


def test_a_purge_keeps_every_statistic_exact(purgeable, world):
    before = _statistics(world)
    assert before["dashboard"] == person_time_summary(world["city"], year=today().year).as_dict()
    _purge()
    assert _statistics(world) == before
    assert rollups.drift() == []
    out = StringIO()
    call_command("rollups", "--check", stdout=out)
    assert out.getvalue() == "No drift: the rollups match the raw records.\n"


def _person_times_by_domain() -> dict[str, int]:
    rows = DomainMonth.objects.values("domain").annotate(n=Sum("person_times")).order_by()
    return {row["domain"]: row["n"] for row in rows if row["n"]}


def test_the_hand_counted_person_times_are_the_same_after_the_purge(purgeable, world):
    # key activity: 40 head-counted (family); featured: 5 named + 20 (featured);
    # the casework note: 1 (youth).
    expected = {"family": 40, "featured": 25, "youth": 1}
    assert _person_times_by_domain() == expected
    clients = ClientYear.objects.filter(year=today().year).count()
    _purge()
    assert _person_times_by_domain() == expected
    assert ClientYear.objects.filter(year=today().year).count() == clients
    # Eleven years ago: 林旧案's and 居民01's cases closed, 周在案's open.
    back = computed.Period(days_ago(ELEVEN_YEARS).year, 1, 12)
    closure = computed.compute("case_closure", world.station_a, back)
    assert (closure.ratio, closure.detail) == (Decimal("0.6667"), "3 个个案中已结案 2 个")
    # The closed survey: 3 paper responses × 5 rating questions, each rated 5.
    rate = computed.compute("satisfaction", world.station_a, computed.Period(today().year, 1, 12))
    assert rate.detail == "满意率 100.00%（15 个评分中 15 个满意）"


def _tables_holding(text: str) -> list[str]:
    """Every table with a text column containing `text`, searched table by table
    (every model's char, text and JSON fields, through the ORM on either database)."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, CharField | TextField):
                lookup = {f"{field.name}__contains": text}
            elif isinstance(field, JSONField):
                # SQLite stores JSON ASCII-escaped (\\u6797…), PostgreSQL as is.
                as_text = model._base_manager.annotate(_text=Cast(field.name, TextField()))
                escaped = json.dumps(text)[1:-1]
                if as_text.filter(Q(_text__contains=text) | Q(_text__contains=escaped)).exists():
                    found.append(f"{model._meta.db_table}.{field.column}")
                continue
            else:
                continue
            if model._base_manager.filter(**lookup).exists():
                found.append(f"{model._meta.db_table}.{field.column}")
    return found


def test_no_purged_name_or_id_hash_is_left_outside_the_audit_log(purgeable, world):
    id_hash = purgeable["old"].id_number_hash
    assert id_hash
    assert "clients_resident.id_number_hash" in _tables_holding(id_hash)
    assert "clients_resident.name" in _tables_holding("林旧案")
    assert "cases_caseevent.detail" in _tables_holding("林旧案")
    assert "community_residentsignup.phone" in _tables_holding("13800138000")
    assert "community_residentsignup.name" in _tables_holding("郑报名")
    _purge()
    # The audit log keeps the resident's registration until audit_prune removes it
    # (400 days by default, years before a closed case's ten).
    names = ("林旧案", "林阿姨", "郑报名", "郑旧登")
    for text in (*names, id_hash, "13800138000", "沙园路8号", "13300133000", "13400134000"):
        assert [t for t in _tables_holding(text) if not t.startswith("core_auditentry.")] == []


def test_the_purge_writes_one_audit_entry_with_its_counts(purgeable, world):
    _purge()
    entry = AuditEntry.objects.get(object_type="privacy.purge")
    assert entry.action == "bulk"
    assert entry.detail["counts"] == {
        "closed_cases": {
            "cases": 2,
            "case_texts": 4,
            "case_events": 1,
            "documents": 0,
            "observations": 0,
            "guardian_names": 0,
            "resident_documents": 0,
            "signups": 2,
            "residents": 1,
            "households": 1,
        },
        "residents_without_cases": {
            "observations": 0,
            "guardian_names": 0,
            "resident_documents": 0,
            "signups": 0,
            "residents": 1,
            "households": 0,
        },
        "case_documents": {"documents": 0},
        "survey_contacts": {"responses": 2},
        "activity_signups": {"signups": 2},
        "roster_entries": {"entries": 1},
        "evaluation_evidence": {"rounds": 0, "files": 0},
        "rectification_evidence": {"files": 0},
        "access_logs": {"deleted": 1},
    }
    assert entry.detail["periods"] == {
        "closed_cases": 3650,
        "residents_without_cases": 1095,
        "case_documents": 1095,
        "survey_contacts": 365,
        "activity_signups": 365,
        "roster_entries": 1095,
        "evaluation_evidence": 1095,
        "rectification_evidence": 1095,
        "access_logs": 400,
    }
    assert "林旧案" not in str(entry.detail) + entry.object_repr


def test_a_second_purge_finds_nothing(purgeable, world):
    _purge()
    assert "Dry run: 0 changes would be made" in _purge("--dry-run")


def test_a_period_below_its_floor_refuses_the_whole_run(purgeable, world, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "survey_contacts": 30}
    with pytest.raises(CommandError, match="kept at least 90 days; a period of 30 days"):
        _purge()
    assert Resident.objects.get(pk=purgeable["old"].pk).name == "林旧案"
    assert not AuditEntry.objects.filter(object_type="privacy.purge").exists()


def test_the_access_log_floor_is_the_audit_logs(world, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "access_logs": 100}
    with pytest.raises(CommandError, match="183 days"):
        _purge("--dry-run")


def test_the_purge_runs_on_its_timer(world):
    call_command("scheduled", "purge_personal_data", stdout=StringIO())
    assert AuditEntry.objects.filter(object_type="privacy.purge").count() == 1
