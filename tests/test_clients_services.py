"""Business rules of residents and clients (clients.services): registration with
the ID number kept only encrypted, duplicate prevention, optimistic locking,
merging, consent for children and dated client classification."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Q
from django.utils import translation

from shegong.cases import services as case_services
from shegong.cases.models import Case, Observation
from shegong.clients import identity
from shegong.clients import services as client_services
from shegong.clients.models import ClientStatus, Consent, Resident
from shegong.clients.services import DuplicateResident
from shegong.community.models import MealEnrolment, MealRecord
from shegong.core.errors import EditConflict
from shegong.core.roles import Role
from shegong.delivery.models import Attendance, Group, ServiceEvent
from shegong.plans.models import AnnualPlan, PlanProject
from tests.conftest import make_user
from tests.helpers import days_ago, today

ID_NUMBER = "440105194503152020"  # born 15 March 1945
ID_BORN = datetime.date(1945, 3, 15)
OTHER_ID = "440105195007203014"  # born 20 July 1950
OTHER_BORN = datetime.date(1950, 7, 20)
PHONE = "13800138000"


def register(world, name="陈秀英", *, actor=None, station=None, **fields) -> Resident:
    fields.setdefault("gender", "female")
    fields.setdefault("birth_date", ID_BORN)
    return client_services.resident_register(
        actor=actor or world["worker"], station=station or world.station_a, name=name, **fields
    )


def consent(world, resident, **fields) -> Consent:
    fields.setdefault("recorded_on", days_ago(30))
    return client_services.consent_record(actor=world["worker"], resident=resident, **fields)


def classify(world, resident, domain, category, started_on, kind="", actor=None) -> ClientStatus:
    return client_services.client_classify(
        actor=actor or world["worker"],
        resident=resident,
        domain=domain,
        category=category,
        priority_kind=kind,
        started_on=started_on,
    )


def en_messages(call, exception=ValidationError, **kwargs) -> list[str]:
    """The messages of the refusal, in English."""
    with translation.override("en"), pytest.raises(exception) as caught:
        call(**kwargs)
    if isinstance(caught.value, ValidationError):
        return caught.value.messages
    return [str(caught.value)]


# --- Registration ---------------------------------------------------------------------


def test_register_stores_masked_encrypted_and_hashed_id(world):
    resident = register(world, id_number=ID_NUMBER, phone=PHONE)
    resident.refresh_from_db()
    assert resident.id_number_masked == "4401**********2020"
    assert identity.decrypt(resident.id_number_encrypted) == ID_NUMBER
    assert resident.id_number_hash == identity.lookup_hash(ID_NUMBER)
    assert resident.station == world.station_a
    assert resident.created_by == world["worker"]
    assert resident.version == 1


def test_register_stores_no_clear_id_in_any_column(world):
    resident = register(world, id_number=ID_NUMBER, phone=PHONE)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {Resident._meta.db_table} WHERE id = %s",  # noqa: S608
            [resident.pk],
        )
        columns = [c[0] for c in cursor.description]
        row = cursor.fetchone()
    assert len(columns) == len(Resident._meta.concrete_fields)
    for column, value in zip(columns, row, strict=True):
        assert ID_NUMBER not in str(value), column
        # Not even the part between the masked ends.
        assert ID_NUMBER[4:14] not in str(value), column


def test_register_lower_case_x_is_stored_upper_case(world):
    resident = register(
        world, id_number="11010519491231002x", birth_date=datetime.date(1949, 12, 31)
    )
    assert identity.decrypt(resident.id_number_encrypted) == "11010519491231002X"
    assert resident.id_number_masked == "1101**********002X"


def test_register_normalises_phone(world):
    resident = register(world, phone="+86 138 0013 8000")
    assert resident.phone == PHONE


def test_register_refuses_invalid_id_and_phone_together(world):
    with pytest.raises(ValidationError) as caught:
        register(world, id_number="440105194503152021", phone="12345678901")
    assert sorted(caught.value.message_dict) == ["id_number", "phone"]
    assert Resident.objects.count() == 0


def test_register_refuses_birth_date_other_than_the_ids(world):
    messages = en_messages(
        register, world=world, id_number=ID_NUMBER, birth_date=datetime.date(1945, 3, 16)
    )
    assert messages == ["The birth date does not match the ID number."]
    assert Resident.objects.count() == 0


def test_register_without_id_number_stores_empty_id_fields(world):
    resident = register(world)
    assert (resident.id_number_encrypted, resident.id_number_hash, resident.id_number_masked) == (
        "",
        "",
        "",
    )


# --- Duplicate prevention -------------------------------------------------------------


def test_same_id_number_is_refused_with_the_existing_record(world):
    first = register(world, id_number=ID_NUMBER)
    with pytest.raises(DuplicateResident) as caught:
        register(world, "陈秀莺", id_number=ID_NUMBER)
    assert caught.value.matches == [first]
    assert caught.value.code == "duplicate"
    assert Resident.objects.count() == 1


def test_same_id_number_is_refused_even_when_similar_people_are_allowed(world):
    first = register(world, id_number=ID_NUMBER)
    with pytest.raises(DuplicateResident) as caught:
        register(world, "另一个人", id_number=ID_NUMBER, allow_similar=True)
    assert caught.value.matches == [first]
    assert Resident.objects.count() == 1


def test_same_id_number_at_another_station_is_not_a_duplicate(world):
    register(world, id_number=ID_NUMBER)
    other = register(world, id_number=ID_NUMBER, actor=world["director_b"], station=world.station_b)
    assert other.station == world.station_b
    assert Resident.objects.count() == 2


def test_same_name_birth_date_and_phone_is_refused(world):
    first = register(world, phone=PHONE)
    with pytest.raises(DuplicateResident) as caught:
        register(world, phone="+8613800138000")
    assert caught.value.matches == [first]
    assert Resident.objects.count() == 1


def test_same_name_birth_date_and_phone_is_allowed_when_confirmed(world):
    register(world, phone=PHONE)
    second = register(world, phone=PHONE, allow_similar=True)
    assert Resident.objects.filter(name="陈秀英").count() == 2
    assert second.pk is not None


def test_same_name_and_birth_date_with_other_phone_needs_a_confirmation(world):
    first = register(world, phone=PHONE)
    with pytest.raises(DuplicateResident) as caught:
        register(world, phone="13900139000")
    assert caught.value.matches == [first]
    register(world, phone="13900139000", allow_similar=True)
    assert Resident.objects.count() == 2


def test_merged_record_is_not_a_duplicate(world):
    keep = register(world, id_number=ID_NUMBER, phone=PHONE)
    duplicate = register(world, phone=PHONE, allow_similar=True)
    client_services.resident_merge(actor=world["director"], keep=keep, duplicate=duplicate)
    assert client_services.find_duplicates(
        station=world.station_a, name="陈秀英", birth_date=ID_BORN, phone=PHONE
    ) == [keep]


# --- Who registers --------------------------------------------------------------------


@pytest.mark.parametrize("role", ["district", "city", "agency", "director_b", "worker_c", "admin"])
def test_only_station_staff_register(world, role):
    messages = en_messages(register, PermissionDenied, world=world, actor=world[role])
    assert messages == ["Only the station's own staff can register its residents."]
    assert Resident.objects.count() == 0


def test_worker_of_station_b_cannot_register_at_station_a(world):
    worker_b = make_user("worker_b", Role.SOCIAL_WORKER, station=world.station_b)
    with pytest.raises(PermissionDenied):
        register(world, actor=worker_b)
    assert Resident.objects.count() == 0


def test_director_registers_at_own_station(world):
    resident = register(world, actor=world["director"])
    assert resident.created_by == world["director"]


# --- Updates --------------------------------------------------------------------------


def test_update_applies_changes_and_bumps_version(world):
    resident = register(world, phone=PHONE)
    updated = client_services.resident_update(
        actor=world["worker"],
        resident=resident,
        version=1,
        address="沙园街1号",
        phone="13900139000",
    )
    assert (updated.address, updated.phone, updated.version) == ("沙园街1号", "13900139000", 2)


def test_update_with_stale_version_is_a_conflict_and_changes_nothing(world):
    resident = register(world, phone=PHONE)
    client_services.resident_update(
        actor=world["worker"], resident=resident, version=1, address="沙园街1号"
    )
    stale = Resident.objects.get(pk=resident.pk)
    with pytest.raises(EditConflict) as caught:
        client_services.resident_update(
            actor=world["director"], resident=stale, version=1, name="陈秀莺", address="别处"
        )
    assert caught.value.code == "conflict"
    row = Resident.objects.get(pk=resident.pk)
    assert (row.name, row.address, row.version) == ("陈秀英", "沙园街1号", 2)


def test_update_adding_an_id_number_taken_by_another_resident_is_refused(world):
    register(world, "张伟", id_number=OTHER_ID, birth_date=OTHER_BORN)
    resident = register(world)
    with pytest.raises(DuplicateResident):
        client_services.resident_update(
            actor=world["worker"],
            resident=resident,
            version=1,
            id_number=OTHER_ID,
            birth_date=OTHER_BORN,
        )
    assert Resident.objects.get(pk=resident.pk).id_number_hash == ""


def test_update_of_a_read_only_field_is_refused(world):
    resident = register(world)
    with pytest.raises(ValidationError):
        client_services.resident_update(
            actor=world["worker"], resident=resident, version=1, station=world.station_b
        )


# --- Merge ----------------------------------------------------------------------------


@pytest.fixture
def pair(world):
    """Two records of the same elder at station A, each with a consent, an elderly
    classification, a case and an observation."""
    keep = register(world, id_number=ID_NUMBER, phone=PHONE)
    duplicate = register(world, phone=PHONE, address="沙园街8号", allow_similar=True)
    for resident in (keep, duplicate):
        consent(world, resident)
        classify(world, resident, "elderly", "priority", days_ago(30), "hardship_elder")
        case_services.case_open(
            actor=world["worker"],
            client=resident,
            domain="elderly",
            source="walk_in",
            opened_on=days_ago(20),
        )
        case_services.observation_record(
            actor=world["worker"],
            resident=resident,
            observed_on=days_ago(10),
            source="visit",
            text="精神尚可",
        )
    return keep, duplicate


def test_merge_moves_every_linked_record_to_the_kept_one(world, pair):
    keep, duplicate = pair
    client_services.resident_merge(actor=world["director"], keep=keep, duplicate=duplicate)
    assert Consent.objects.filter(resident=keep).count() == 2
    assert ClientStatus.objects.filter(resident=keep).count() == 2
    assert Case.objects.filter(client=keep).count() == 2
    assert Observation.objects.filter(resident=keep).count() == 2
    for model, field in (
        (Consent, "resident"),
        (ClientStatus, "resident"),
        (Case, "client"),
        (Observation, "resident"),
    ):
        assert model.objects.filter(**{field: duplicate}).count() == 0


def test_merge_marks_the_duplicate_merged_into_the_kept_record(world, pair):
    keep, duplicate = pair
    client_services.resident_merge(actor=world["director"], keep=keep, duplicate=duplicate)
    duplicate.refresh_from_db()
    keep.refresh_from_db()
    assert duplicate.merged_into == keep
    assert duplicate.is_merged
    assert not keep.is_merged
    assert keep.version == 2


def test_merge_keeps_one_open_classification_per_domain(world, pair):
    keep, duplicate = pair
    client_services.resident_merge(actor=world["director"], keep=keep, duplicate=duplicate)
    statuses = ClientStatus.objects.filter(resident=keep, domain="elderly")
    assert statuses.filter(ended_on__isnull=True).count() == 1
    assert statuses.filter(ended_on=today()).count() == 1


def test_merge_fills_gaps_of_the_kept_record(world, pair):
    keep, duplicate = pair
    client_services.resident_merge(actor=world["director"], keep=keep, duplicate=duplicate)
    keep.refresh_from_db()
    assert keep.address == "沙园街8号"


def test_merge_fills_the_id_number_from_the_duplicate(world):
    keep = register(world, phone=PHONE)
    duplicate = register(world, id_number=ID_NUMBER, phone=PHONE, allow_similar=True)
    client_services.resident_merge(actor=world["director"], keep=keep, duplicate=duplicate)
    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert keep.id_number_hash == identity.lookup_hash(ID_NUMBER)
    assert keep.id_number_masked == "4401**********2020"
    assert duplicate.id_number_hash == ""
    assert client_services.find_duplicates(station=world.station_a, id_number=ID_NUMBER) == [keep]


@pytest.fixture
def twins(world):
    """Two records of one person, neither with anything linked yet."""
    keep = register(world, phone=PHONE)
    duplicate = register(world, phone=PHONE, allow_similar=True)
    return keep, duplicate


def test_merge_of_two_meal_enrolments_keeps_one_open(world, twins):
    keep, duplicate = twins
    for resident in twins:
        MealEnrolment.objects.create(
            station=world.station_a, resident=resident, started_on=days_ago(30)
        )
    client_services.resident_merge(actor=world["director"], keep=keep, duplicate=duplicate)
    enrolments = MealEnrolment.objects.filter(resident=keep)
    assert enrolments.count() == 2
    assert enrolments.filter(ended_on__isnull=True).count() == 1


def test_merge_of_meals_on_the_same_day_keeps_one_meal_a_day(world, twins):
    keep, duplicate = twins
    for resident, offsets in ((keep, (3, 2)), (duplicate, (2, 1))):
        for offset in offsets:
            MealRecord.objects.create(
                station=world.station_a,
                resident=resident,
                served_on=days_ago(offset),
                recorded_by=world["worker"],
            )
    client_services.resident_merge(actor=world["director"], keep=keep, duplicate=duplicate)
    served = MealRecord.objects.filter(resident=keep).values_list("served_on", flat=True)
    assert sorted(served) == [days_ago(3), days_ago(2), days_ago(1)]
    assert MealRecord.objects.filter(resident=duplicate).count() == 0


def test_merge_of_two_attendances_at_one_event_counts_the_person_once(world, twins):
    keep, duplicate = twins
    other = register(world, "李华", phone="13900139000")
    shared = ServiceEvent.objects.create(
        station=world.station_a,
        domain="elderly",
        kind="activity",
        held_on=days_ago(5),
        title="长者生日会",
        headcount=10,
        person_times=13,
    )
    alone = ServiceEvent.objects.create(
        station=world.station_a,
        domain="elderly",
        kind="activity",
        held_on=days_ago(4),
        title="健康讲座",
        person_times=1,
    )
    for resident in (keep, duplicate, other):
        Attendance.objects.create(event=shared, resident=resident)
    Attendance.objects.create(event=alone, resident=duplicate)
    client_services.resident_merge(actor=world["director"], keep=keep, duplicate=duplicate)
    shared.refresh_from_db()
    alone.refresh_from_db()
    assert shared.person_times == 12  # keep + 李华 + a head-count of 10
    assert sorted(shared.attendances.values_list("resident__name", flat=True)) == ["李华", "陈秀英"]
    assert alone.person_times == 1
    assert list(alone.attendances.values_list("resident", flat=True)) == [keep.pk]


def test_merge_of_two_members_of_one_group_keeps_one_membership(world, twins):
    keep, duplicate = twins
    plan = AnnualPlan.objects.create(station=world.station_a, year=days_ago(0).year)
    project = PlanProject.objects.create(plan=plan, kind="basic", domain="elderly", name="长者服务")
    group = Group.objects.create(
        station=world.station_a, project=project, name="长者互助小组", planned_sessions=6
    )
    other_group = Group.objects.create(
        station=world.station_a, project=project, name="手工小组", planned_sessions=4
    )
    group.members.set([keep, duplicate])
    other_group.members.set([duplicate])
    client_services.resident_merge(actor=world["director"], keep=keep, duplicate=duplicate)
    assert list(group.members.all()) == [keep]
    assert list(other_group.members.all()) == [keep]


def test_merge_refuses_records_of_another_station(world):
    keep = register(world, phone=PHONE)
    worker_b = make_user("worker_b", Role.SOCIAL_WORKER, station=world.station_b)
    other = register(world, actor=worker_b, station=world.station_b, phone=PHONE)
    for actor in (world["worker"], world["director"], worker_b):
        with pytest.raises(PermissionDenied):
            client_services.resident_merge(actor=actor, keep=keep, duplicate=other)
    other.refresh_from_db()
    assert other.merged_into is None


def test_merge_into_itself_is_refused(world):
    keep = register(world)
    messages = en_messages(
        client_services.resident_merge, actor=world["director"], keep=keep, duplicate=keep
    )
    assert messages == ["A record cannot be merged into itself."]


def test_merge_of_an_already_merged_record_is_refused(world, pair):
    keep, duplicate = pair
    client_services.resident_merge(actor=world["director"], keep=keep, duplicate=duplicate)
    duplicate.refresh_from_db()
    messages = en_messages(
        client_services.resident_merge, actor=world["director"], keep=keep, duplicate=duplicate
    )
    assert messages == ["One of these records was already merged."]


# --- Consent --------------------------------------------------------------------------


def child(world, age: int) -> Resident:
    """A child whose `age`th birthday was 40 days ago."""
    day = today() - datetime.timedelta(days=40)
    if (day.month, day.day) == (2, 29):
        day -= datetime.timedelta(days=1)
    born = day.replace(year=day.year - age)
    return register(world, "李小明", gender="male", birth_date=born)


def test_consent_of_a_child_under_14_given_by_the_child_is_refused(world):
    resident = child(world, 10)
    messages = en_messages(consent, world=world, resident=resident)
    assert messages == [
        "A child under 14 needs a parent's or guardian's consent, with the guardian named."
    ]
    assert Consent.objects.count() == 0


def test_consent_of_a_child_under_14_needs_the_guardian_named(world):
    resident = child(world, 13)
    with pytest.raises(ValidationError) as caught:
        consent(world, resident, given_by="guardian", guardian_name="  ")
    assert list(caught.value.message_dict) == ["guardian_name"]


def test_consent_of_a_child_under_14_by_a_named_guardian_is_recorded(world):
    resident = child(world, 10)
    record = consent(
        world, resident, given_by="guardian", guardian_name="李大明", guardian_relation="父亲"
    )
    assert (record.given_by, record.guardian_name, record.guardian_relation) == (
        "guardian",
        "李大明",
        "父亲",
    )


def test_consent_of_a_child_of_14_may_be_the_childs_own(world):
    resident = child(world, 14)
    assert consent(world, resident).given_by == "self"


def test_statutory_duty_needs_no_guardian(world):
    resident = child(world, 10)
    record = consent(world, resident, lawful_basis="statutory_duty")
    assert record.lawful_basis == "statutory_duty"


def test_consent_dated_in_the_future_is_refused(world):
    resident = register(world)
    with pytest.raises(ValidationError) as caught:
        consent(world, resident, recorded_on=today() + datetime.timedelta(days=1))
    assert list(caught.value.message_dict) == ["recorded_on"]


# --- Classification -------------------------------------------------------------------


def test_new_classification_ends_the_earlier_one_the_day_before(world):
    resident = register(world)
    first = classify(world, resident, "elderly", "general", days_ago(100))
    second = classify(world, resident, "elderly", "priority", days_ago(40), "hardship_elder")
    first.refresh_from_db()
    assert first.ended_on == days_ago(41)
    assert second.ended_on is None
    assert ClientStatus.objects.filter(resident=resident, ended_on__isnull=True).count() == 1


def test_classification_in_another_domain_leaves_the_first_open(world):
    resident = register(world)
    first = classify(world, resident, "elderly", "general", days_ago(100))
    classify(world, resident, "family", "general", days_ago(40))
    first.refresh_from_db()
    assert first.ended_on is None


def test_classification_not_after_the_current_one_is_refused(world):
    resident = register(world)
    classify(world, resident, "elderly", "general", days_ago(40))
    with pytest.raises(ValidationError) as caught:
        classify(world, resident, "elderly", "priority", days_ago(40), "hardship_elder")
    assert list(caught.value.message_dict) == ["started_on"]
    assert ClientStatus.objects.count() == 1


@pytest.mark.parametrize(
    ("domain", "kind"),
    [
        ("elderly", "hardship_youth"),
        ("elderly", "hardship_family"),
        ("youth", "hardship_elder"),
        ("family", "hardship_elder"),
        ("elderly", ""),
    ],
)
def test_priority_kind_must_belong_to_the_domain(world, domain, kind):
    resident = register(world)
    messages = en_messages(
        classify,
        world=world,
        resident=resident,
        domain=domain,
        category="priority",
        started_on=days_ago(10),
        kind=kind,
    )
    assert messages == ["This priority kind does not belong to that domain."]
    assert ClientStatus.objects.count() == 0


@pytest.mark.parametrize(
    ("domain", "kind"),
    [
        ("family", "hardship_family"),
        ("family", "disability_family"),
        ("elderly", "hardship_elder"),
        ("youth", "hardship_youth"),
    ],
)
def test_priority_kind_of_the_domain_is_accepted(world, domain, kind):
    status = classify(world, register(world), domain, "priority", days_ago(10), kind)
    assert (status.domain, status.category, status.priority_kind) == (domain, "priority", kind)


def test_general_client_carries_no_priority_kind(world):
    status = classify(world, register(world), "elderly", "general", days_ago(10), "hardship_elder")
    assert status.priority_kind == ""


def test_priority_elders_in_march_are_counted_from_classifications(world):
    year = today().year - 1
    march_1, march_31 = datetime.date(year, 3, 1), datetime.date(year, 3, 31)
    director_b = world["director_b"]

    def elder(name, actor=None, station=None):
        return register(world, name, actor=actor, station=station, allow_similar=True)

    # Priority since before March, still open: counted.
    classify(world, elder("甲"), "elderly", "priority", datetime.date(year, 2, 1), "hardship_elder")
    # Priority from 15 March: counted.
    b = elder("乙")
    classify(world, b, "elderly", "general", datetime.date(year, 1, 1))
    classify(world, b, "elderly", "priority", datetime.date(year, 3, 15), "hardship_elder")
    # Priority until the end of February, general from 1 March: not counted.
    c = elder("丙")
    classify(world, c, "elderly", "priority", datetime.date(year, 1, 1), "hardship_elder")
    classify(world, c, "elderly", "general", march_1)
    # Priority only on 31 March: counted.
    classify(world, elder("丁"), "elderly", "priority", march_31, "hardship_elder")
    # Priority from April: not counted.
    classify(world, elder("戊"), "elderly", "priority", datetime.date(year, 4, 1), "hardship_elder")
    # A general elder, and a priority family: not counted.
    classify(world, elder("己"), "elderly", "general", datetime.date(year, 1, 1))
    classify(world, elder("庚"), "family", "priority", datetime.date(year, 1, 1), "hardship_family")
    # A priority elder of station B: not counted for station A.
    classify(
        world,
        elder("辛", actor=director_b, station=world.station_b),
        "elderly",
        "priority",
        datetime.date(year, 1, 1),
        "hardship_elder",
        actor=director_b,
    )

    priority_elders_in_march = (
        ClientStatus.objects.filter(
            station=world.station_a,
            domain="elderly",
            category="priority",
            started_on__lte=march_31,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=march_1))
        .values("resident")
        .distinct()
        .count()
    )
    assert priority_elders_in_march == 3
    ended = ClientStatus.objects.get(resident=c, category="priority").ended_on
    assert ended == march_1 - datetime.timedelta(days=1)


# --- Scope of the other writes --------------------------------------------------------


@pytest.mark.parametrize("role", ["district", "agency", "director_b"])
def test_outsiders_cannot_classify_or_record_consent(world, role):
    resident = register(world)
    with pytest.raises(PermissionDenied):
        classify(world, resident, "elderly", "general", days_ago(5), actor=world[role])
    with pytest.raises(PermissionDenied):
        client_services.consent_record(
            actor=world[role], resident=resident, recorded_on=days_ago(5)
        )
    assert ClientStatus.objects.count() == 0
    assert Consent.objects.count() == 0


# --- Birth dates -----------------------------------------------------------------------


def test_birth_date_in_the_future_is_refused(world):
    tomorrow = today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        register(world, birth_date=tomorrow)
    assert list(caught.value.message_dict) == ["birth_date"]
    assert Resident.objects.count() == 0


def test_update_to_a_birth_date_in_the_future_is_refused(world):
    resident = register(world)
    with pytest.raises(ValidationError) as caught:
        client_services.resident_update(
            actor=world["worker"],
            resident=resident,
            version=1,
            birth_date=today() + datetime.timedelta(days=1),
        )
    assert list(caught.value.message_dict) == ["birth_date"]
    assert Resident.objects.get(pk=resident.pk).birth_date == ID_BORN


def test_update_of_the_birth_date_must_match_the_stored_id_number(world):
    resident = register(world, id_number=ID_NUMBER)
    messages = en_messages(
        client_services.resident_update,
        actor=world["worker"],
        resident=resident,
        version=1,
        birth_date=OTHER_BORN,
    )
    assert messages == ["The birth date does not match the ID number."]
    assert Resident.objects.get(pk=resident.pk).birth_date == ID_BORN
