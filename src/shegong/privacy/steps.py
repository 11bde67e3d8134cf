"""The purge steps of each kind (policy.KINDS), registered in PrivacyConfig.ready().

What a step clears is the identity and the free text; what it keeps is every
field a statistic reads: the foreign keys (station, community, point, category,
resident), the dates, the domain, the gender and the birth date (age groups), the
counted kinds. Rows are changed with `QuerySet.update()`: one statement per
table, not seen by the per-row audit signals, so that the run's audit entry (one,
with the counts, services.personal_data_purge) is the record and no purged
identity is copied into the audit log by the purge itself.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from shegong.agenda.models import Appointment
from shegong.cases.models import (
    Alert,
    Assessment,
    Case,
    CaseDocument,
    CaseEvent,
    CaseNote,
    CaseReview,
    CaseStatus,
    Observation,
    Referral,
    ServicePlan,
    Signoff,
)
from shegong.clients.models import Consent, Household, Resident, ResidentDocument
from shegong.community.models import MealEnrolment, MealRecord, ResidentSignup
from shegong.core.documents import delete_files_on_commit
from shegong.core.models import AccessLog
from shegong.delivery.models import Attendance
from shegong.evaluation.models import (
    EvaluationRound,
    Evidence,
    Rectification,
    RectificationStatus,
    RoundStatus,
)
from shegong.evaluation.sample_models import SampleEntry
from shegong.privacy.policy import ANONYMISED
from shegong.privacy.purging import register_purge_step
from shegong.rosters.models import RosterEntry
from shegong.surveys.models import Response, SurveyStatus

CHUNK = 500
# The free text of a case file, per content model.
CASE_TEXTS: tuple[tuple[type, tuple[str, ...]], ...] = (
    (Assessment, ("needs", "strengths")),
    (ServicePlan, ("goals",)),
    (CaseNote, ("text",)),
    (CaseReview, ("progress",)),
    (Referral, ("reason",)),
    (Alert, ("resolution_note",)),
    (Signoff, ("summary", "comment")),
)
# The free text in a case event's detail (a closing summary, a reopening reason,
# the previous system's summary of a migrated case).
EVENT_TEXTS = ("summary", "reason", "comment")
RESIDENT_IDENTITY = {
    "name": ANONYMISED,
    "name_pinyin": "",
    "name_initials": "",
    "id_number_encrypted": "",
    "id_number_hash": "",
    "id_number_masked": "",
    "phone": "",
    "address": "",
}
SIGNUP_IDENTITY = {"name": ANONYMISED, "phone": ""}
ROSTER_IDENTITY = {
    "name": ANONYMISED,
    "id_number_encrypted": "",
    "id_number_hash": "",
    "id_number_masked": "",
    "address": "",
}


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _not_blank(fields: dict[str, str]) -> Q:
    """Rows where at least one of `fields` is not yet its purged value."""
    condition = Q()
    for name, value in fields.items():
        condition |= ~Q(**{name: value})
    return condition


def _clear(queryset: QuerySet, fields: dict[str, str], dry_run: bool) -> int:
    pending = queryset.filter(_not_blank(fields))
    if dry_run:
        return pending.count()
    return pending.update(**fields)


def expired_cases(before: datetime.date) -> QuerySet:
    return Case.objects.filter(status=CaseStatus.CLOSED, closed_on__lt=before)


def expired_clients(before: datetime.date) -> QuerySet:
    """Residents whose every case closed before `before`, who are on no open
    roster entry (a statutory list) and attended nothing since: their identity
    goes with their case files. A merged duplicate goes with the record it was
    merged into."""
    held = Case.objects.exclude(status=CaseStatus.CLOSED, closed_on__lt=before)
    clients = (
        Resident.objects.filter(pk__in=expired_cases(before).values("client_id"))
        .exclude(pk__in=held.values("client_id"))
        .exclude(
            pk__in=RosterEntry.objects.filter(
                closed_on__isnull=True, resident__isnull=False
            ).values("resident_id")
        )
        .exclude(
            pk__in=Attendance.objects.filter(
                event__held_on__gte=before, resident__isnull=False
            ).values("resident_id")
        )
    )
    return Resident.objects.filter(Q(pk__in=clients) | Q(merged_into__in=clients))


def _clear_event_texts(cases: QuerySet, dry_run: bool) -> tuple[int, set[int]]:
    with_text = Q()
    for key in EVENT_TEXTS:
        with_text |= Q(**{"detail__has_key": key}) & ~Q(**{f"detail__{key}": ""})
    events = list(
        CaseEvent.objects.filter(case__in=cases).filter(with_text).only("pk", "case_id", "detail")
    )
    if not dry_run:
        for event in events:
            event.detail = {**event.detail, **{k: "" for k in EVENT_TEXTS if k in event.detail}}
        CaseEvent.objects.bulk_update(events, ["detail"], batch_size=500)
    return len(events), {event.case_id for event in events}


def _delete_files(rows: QuerySet) -> int:
    """Delete `rows` (of a model with a `file` field), the stored files once the
    purge's transaction is committed (a rolled-back run keeps them)."""
    held = list(rows.only("pk", "file"))
    rows.delete()
    return delete_files_on_commit(held)


def _delete_documents(cases: QuerySet, dry_run: bool) -> int:
    """The documents attached to `cases` (consent forms, certificates, photos):
    deleted with their case's text, the stored files once that is committed."""
    documents = CaseDocument.objects.filter(case__in=cases)
    if dry_run:
        return documents.count()
    return _delete_files(documents)


def _households_gone(clients: QuerySet) -> list[int]:
    """The households of `clients` whose every member is among them or was
    anonymised before: the household's name and address go with the last one."""
    client_ids = set(clients.values_list("pk", flat=True))
    of_clients = Resident.objects.filter(pk__in=clients.values("pk"), household__isnull=False)
    households = set(of_clients.values_list("household_id", flat=True))
    members = Resident.objects.filter(
        household_id__in=of_clients.values("household_id")
    ).values_list("household_id", "pk", "name")
    for household_id, pk, name in members:
        if pk not in client_ids and name != ANONYMISED:
            households.discard(household_id)
    return sorted(households)


def _delete_resident_documents(clients: QuerySet, dry_run: bool) -> int:
    """The residents' own documents (ResidentDocument: a consent form, a copy of
    an ID or a certificate): deleted when the person is anonymised, the stored
    files once that is committed."""
    documents = ResidentDocument.objects.filter(resident__in=clients)
    if dry_run:
        return documents.count()
    return _delete_files(documents)


# The counts of `anonymise` that are about cases (none for residents without one).
CASE_COUNTS = ("cases", "case_texts", "case_events", "documents")


def _signups_of(clients: QuerySet) -> QuerySet:
    """The activity sign-ups of `clients` (their pks; name and phone as typed on
    the QR link's form): those matched to them, and those left unmatched with
    their mobile number at their station (a sign-up made before the person was
    registered). Read before their phones are cleared. The rows, status and
    link stay, so the activity's counts do."""
    same_phone = Resident.objects.filter(
        pk__in=clients, phone=OuterRef("phone"), station_id=OuterRef("activity__station_id")
    ).exclude(phone="")
    return ResidentSignup.objects.filter(
        Q(resident__in=clients) | Q(Exists(same_phone), resident__isnull=True)
    )


def purge_closed_cases(*, before: datetime.date, dry_run: bool) -> dict[str, int]:
    # Subqueries, not lists of ids: a city's first purge may cover tens of
    # thousands of people (SQLite limits the parameters of one statement).
    return anonymise(expired_cases(before), expired_clients(before), dry_run=dry_run)


def anonymise(cases: QuerySet, clients: QuerySet, *, dry_run: bool) -> dict[str, int]:
    """Clear the free text of `cases` and the identity of `clients` (residents),
    their observations, guardians' names and, with the last member, household;
    delete the cases' documents and the residents' own, with their files.
    Used by the retention purge and by a resident's deletion request."""
    texts = 0
    touched: set[int] = set()
    for model, names in CASE_TEXTS:
        fields = dict.fromkeys(names, "")
        pending = model.objects.filter(case__in=cases).filter(_not_blank(fields))
        touched.update(pending.values_list("case_id", flat=True))
        texts += _clear(model.objects.filter(case__in=cases), fields, dry_run)
    events, with_text = _clear_event_texts(cases, dry_run)
    touched |= with_text
    documents = _delete_documents(cases, dry_run)
    gone = _households_gone(clients)
    clients = clients.values("pk")
    observations = _clear(Observation.objects.filter(resident__in=clients), {"text": ""}, dry_run)
    guardians = _clear(Consent.objects.filter(resident__in=clients), {"guardian_name": ""}, dry_run)
    resident_documents = _delete_resident_documents(clients, dry_run)
    signups = _clear(_signups_of(clients), SIGNUP_IDENTITY, dry_run)
    residents = _clear(Resident.objects.filter(pk__in=clients), RESIDENT_IDENTITY, dry_run)
    household_count = 0
    for start in range(0, len(gone), CHUNK):
        household_count += _clear(
            Household.objects.filter(pk__in=gone[start : start + CHUNK]),
            {"name": ANONYMISED, "address": ""},
            dry_run,
        )
    return {
        "cases": len(touched),
        "case_texts": texts,
        "case_events": events,
        "documents": documents,
        "observations": observations,
        "guardian_names": guardians,
        "resident_documents": resident_documents,
        "signups": signups,
        "residents": residents,
        "households": household_count,
    }


def residents_without_cases(before: datetime.date) -> QuerySet:
    """Residents who never had a case (they came to groups, activities, the
    canteen) and whom nothing touched since `before`: registered and last edited
    before it, no attendance, meal or appointment since, on no open roster entry
    or meal enrolment, and in no verification sample of a round not yet
    finalised (a legal hold: the evaluator is still calling). Residents with a
    case go by the closed cases' period instead. A merged duplicate goes with the
    record it was merged into."""
    start = _start_of(before)

    def linked(model, field: str = "resident", **filters) -> QuerySet:
        # Never a NULL in a NOT IN list: it would hold back everyone.
        return model.objects.filter(**filters, **{f"{field}__isnull": False}).values(f"{field}_id")

    open_rounds = ~Q(sample__evaluation__round__status=RoundStatus.FINALISED)
    kept = (
        Resident.objects.filter(created_at__lt=start, updated_at__lt=start, merged_into=None)
        .exclude(name=ANONYMISED)
        .exclude(pk__in=linked(Case, "client"))
        .exclude(pk__in=linked(Attendance, held_on__gte=before))
        .exclude(pk__in=linked(MealRecord, served_on__gte=before))
        .exclude(pk__in=linked(Appointment, "client", starts_at__gte=start))
        .exclude(pk__in=linked(RosterEntry, closed_on__isnull=True))
        .exclude(pk__in=linked(MealEnrolment).filter(Q(ended_on=None) | Q(ended_on__gte=before)))
        .exclude(pk__in=linked(SampleEntry).filter(open_rounds))
    )
    return Resident.objects.filter(Q(pk__in=kept) | Q(merged_into__in=kept))


def purge_residents_without_cases(*, before: datetime.date, dry_run: bool) -> dict[str, int]:
    """Anonymise the residents of `residents_without_cases` as a closed case's
    client is: the rows stay (attendance, meals, person-times, rollups, coverage
    are unchanged), the identity goes."""
    counts = anonymise(Case.objects.none(), residents_without_cases(before), dry_run=dry_run)
    return {key: counts[key] for key in counts if key not in CASE_COUNTS}


def purge_survey_contacts(*, before: datetime.date, dry_run: bool) -> dict[str, int]:
    responses = Response.objects.filter(
        survey__status=SurveyStatus.CLOSED, survey__closed_at__lt=_start_of(before)
    )
    return {
        "responses": _clear(responses, {"contact_name": "", "contact_phone": ""}, dry_run),
    }


def purge_activity_signups(*, before: datetime.date, dry_run: bool) -> dict[str, int]:
    """The name and phone of the sign-ups to activities that ended before
    `before`, matched or not, whether the activity was closed or not. The rows
    stay with their status and resident link: the confirmed and waiting counts
    of the activity pages, and an activity closed later from its list (by the
    rows and their links), count what they did."""
    signups = ResidentSignup.objects.filter(activity__ends_at__lt=_start_of(before))
    return {"signups": _clear(signups, SIGNUP_IDENTITY, dry_run)}


def purge_roster_entries(*, before: datetime.date, dry_run: bool) -> dict[str, int]:
    entries = RosterEntry.objects.filter(closed_on__lt=before)
    return {"entries": _clear(entries, ROSTER_IDENTITY, dry_run)}


def purge_access_logs(*, before: datetime.date, dry_run: bool) -> dict[str, int]:
    old = AccessLog.objects.filter(at__lt=_start_of(before))
    if dry_run:
        return {"deleted": old.count()}
    deleted, _ = old.delete()
    return {"deleted": deleted}


def purge_case_documents(*, before: datetime.date, dry_run: bool) -> dict[str, int]:
    """The documents of cases closed before `before`, deleted with their files
    (sooner than the case's text: privacy.policy)."""
    return {"documents": _delete_documents(expired_cases(before), dry_run)}


def purge_evaluation_evidence(*, before: datetime.date, dry_run: bool) -> dict[str, int]:
    """The evaluators' evidence files (and their rows) of rounds finalised before
    `before`. The scores, their notes and the sheets stay, so the totals, grades
    and ranks (evaluation.scoring) are what they were. A round not finalised
    (draft or open) is on hold: its evidence stays however old it is."""
    rounds = EvaluationRound.objects.filter(
        status=RoundStatus.FINALISED, finalised_at__lt=_start_of(before)
    )
    evidence = Evidence.objects.filter(score__evaluation__round__in=rounds.values("pk"))
    touched = evidence.order_by().values("score__evaluation__round").distinct().count()
    if dry_run:
        return {"rounds": touched, "files": evidence.count()}
    return {"rounds": touched, "files": _delete_files(evidence)}


def purge_rectification_evidence(*, before: datetime.date, dry_run: bool) -> dict[str, int]:
    """The files a station attached to a rectification 整改 (a photo of the
    cleared passage, a scanned register) once the officer accepted it (closed)
    before `before`: the file goes, the item stays with its description, the
    station's response, the decision and the dates. An open or submitted item
    keeps its file however old it is."""
    items = Rectification.objects.filter(
        status=RectificationStatus.CLOSED, closed_at__lt=_start_of(before)
    ).exclude(evidence="")
    if dry_run:
        return {"files": items.count()}
    held = list(items.only("pk", "evidence"))
    items.update(evidence="", evidence_name="", evidence_type="")
    return {"files": delete_files_on_commit(held, field="evidence")}


def register_all() -> None:
    register_purge_step("closed_cases", purge_closed_cases)
    register_purge_step("residents_without_cases", purge_residents_without_cases)
    register_purge_step("case_documents", purge_case_documents)
    register_purge_step("survey_contacts", purge_survey_contacts)
    register_purge_step("activity_signups", purge_activity_signups)
    register_purge_step("roster_entries", purge_roster_entries)
    register_purge_step("evaluation_evidence", purge_evaluation_evidence)
    register_purge_step("rectification_evidence", purge_rectification_evidence)
    register_purge_step("access_logs", purge_access_logs)
