"""Reads of cases, alerts and observations, always through the user's scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone

from shegong.cases.models import (
    ASSIGN,
    OPEN_STATUSES,
    WORK,
    Alert,
    AlertStatus,
    Assessment,
    Case,
    CaseEvent,
    CaseNote,
    CaseReview,
    CaseStatus,
    LibraryCase,
    LibraryStatus,
    Observation,
    Referral,
    ServicePlan,
)
from shegong.clients.services import is_priority_client, log_sensitive_read
from shegong.core.lists import head
from shegong.core.models import AccessLog
from shegong.core.scope import can, restrict

# An open case with no note for this long is listed as needing action.
STALE_AFTER_DAYS = 30


def cases_visible_to(user: Any) -> QuerySet[Case]:
    return Case.objects.visible_to(user).select_related("client", "station")


def with_work(cases: QuerySet[Case], user: Any) -> QuerySet[Case]:
    """`cases`, each marked `user_may_work`: whether `user` may work on its file
    (the scope's WORK), asked in the same query, so that a list of cases or a
    case page asks no query of its own for it."""
    workable = restrict(Case.objects.filter(pk=OuterRef("pk")), user, WORK)
    return cases.annotate(user_may_work=Exists(workable))


def may_work(user: Any, case: Case) -> bool:
    """Whether `user` may work on the file of `case` (read its content, take its
    steps): read from `with_work`'s mark when the case was read with it."""
    marked = getattr(case, "user_may_work", None)
    return can(user, WORK, case) if marked is None else marked


def caseload(user: Any) -> QuerySet[Case]:
    """个案负荷: the open cases the user is assigned to."""
    return cases_visible_to(user).filter(workers=user, status__in=OPEN_STATUSES)


def _needing_action(today: datetime.date) -> Q:
    """An open case waits for a step: assessment, plan, an overdue review, or
    contact after a long silence."""
    stale = today - datetime.timedelta(days=STALE_AFTER_DAYS)
    return (
        Q(status__in=[CaseStatus.INTAKE, CaseStatus.ASSESSED])
        | Q(review_due_on__lt=today)
        | Q(last_contact_on__lt=stale)
        | Q(last_contact_on__isnull=True, opened_on__lt=stale)
    )


def _review_due(today: datetime.date) -> Q:
    """The plan review falls in the coming week or is overdue."""
    return Q(review_due_on__lte=today + datetime.timedelta(days=REVIEW_WITHIN_DAYS))


def cases_needing_action(user: Any, today: datetime.date | None = None) -> QuerySet[Case]:
    """The user's open cases that wait for a step (`_needing_action`)."""
    return caseload(user).filter(_needing_action(today or timezone.localdate()))


def open_alerts(user: Any) -> QuerySet[Alert]:
    return (
        Alert.objects.visible_to(user)
        .exclude(status=AlertStatus.RESOLVED)
        .select_related("resident", "case", "assigned_to")
        .order_by("status", "-created_at")
    )


def my_open_alerts(user: Any) -> QuerySet[Alert]:
    """The open alerts assigned to the user (their home page's queue)."""
    return open_alerts(user).filter(assigned_to=user)


# A case whose review falls within this many days is listed as due.
REVIEW_WITHIN_DAYS = 7


def reviews_due(user: Any, today: datetime.date | None = None) -> QuerySet[Case]:
    """The user's open cases whose plan review falls in the coming week or is
    overdue, soonest first."""
    due = _review_due(today or timezone.localdate())
    return caseload(user).filter(due).order_by("review_due_on", "pk")


@dataclass
class CaseloadQueues:
    """A worker's caseload as their home page shows it."""

    count: int
    reviews_due: list[Case]
    needing_action: list[Case]


def caseload_queues(user: Any, today: datetime.date, limit: int) -> CaseloadQueues:
    """The open cases in the user's caseload, counted, with the first `limit` of
    `reviews_due` and of `cases_needing_action`, in one read: each case comes
    marked with both rules, evaluated by the database (a caseload is tens of
    cases, not thousands)."""
    rows = list(
        caseload(user)
        .annotate(
            is_review_due=ExpressionWrapper(_review_due(today), output_field=BooleanField()),
            is_needing_action=ExpressionWrapper(
                _needing_action(today), output_field=BooleanField()
            ),
        )
        .select_related(None)
        .select_related("client")
        .only("pk", "number", "status", "review_due_on", "opened_on", "client__name")
    )
    due = sorted((c for c in rows if c.is_review_due), key=lambda c: (c.review_due_on, c.pk))
    return CaseloadQueues(
        count=len(rows),
        reviews_due=due[:limit],
        needing_action=[c for c in rows if c.is_needing_action][:limit],
    )


def cases_to_assign(user: Any) -> QuerySet[Case]:
    """Open cases without an assigned worker that the user may assign (the
    scope's ASSIGN act: the station's director), oldest first."""
    return (
        Case.objects.visible_to(user, ASSIGN)
        .filter(status__in=OPEN_STATUSES, workers__isnull=True)
        .select_related("client")
        .order_by("opened_on", "pk")
    )


def open_caseloads(user: Any, station_id: int) -> dict[int, int]:
    """{worker id: open cases assigned} at the station, in one query."""
    rows = (
        Case.objects.visible_to(user)
        .filter(station_id=station_id, status__in=OPEN_STATUSES, workers__isnull=False)
        .values("workers")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["workers"]: r["n"] for r in rows}


def open_alerts_by_worker(user: Any) -> dict[int | None, int]:
    """{assigned worker id (None: nobody): open alerts} in the user's scope."""
    rows = (
        Alert.objects.visible_to(user)
        .exclude(status=AlertStatus.RESOLVED)
        .values("assigned_to")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["assigned_to"]: r["n"] for r in rows}


def observations_of(user: Any, resident) -> QuerySet[Observation]:
    return Observation.objects.visible_to(user).filter(resident=resident).select_related("author")


@dataclass
class CaseFile:
    """The content of a case, for someone allowed to read it."""

    case: Case
    assessments: list[Assessment]
    plans: list[ServicePlan]
    notes: list[CaseNote]
    reviews: list[CaseReview]
    referrals: list[Referral]
    events: list[CaseEvent]
    # How many notes and history events the case has: more than listed when the
    # file was opened with `latest` (the case page shows the latest ones).
    notes_total: int = 0
    events_total: int = 0


@transaction.atomic
def case_file_open(
    user: Any, case: Case, ip: str | None = None, latest: int | None = None
) -> CaseFile | None:
    """The case file if `user` may read it (else None). Reading a priority
    client's file is written to the access log. With `latest`, only the latest
    that many notes and history events are read (a case of some years has
    hundreds); their totals are counted only when there are more."""
    if not may_work(user, case):
        return None
    if is_priority_client(case.client):
        log_sensitive_read(
            user=user,
            action=AccessLog.Action.READ_CASE_FILE,
            station_id=case.station_id,
            obj=case,
            label=case.number,
            ip=ip,
        )

    def content(model, *related):
        rows = model.objects.visible_under(user, "case", case)
        return list(rows.select_related("author", *related))

    def newest(rows) -> tuple[list, int]:
        if latest is None:
            rows = list(rows)
            return rows, len(rows)
        return head(rows, latest)

    notes, notes_total = newest(
        CaseNote.objects.visible_under(user, "case", case).select_related("author")
    )
    events, events_total = newest(
        CaseEvent.objects.visible_under(user, "case", case).select_related("actor")
    )
    return CaseFile(
        case=case,
        assessments=content(Assessment),
        plans=content(ServicePlan),
        notes=notes,
        reviews=content(CaseReview),
        # The workflow of each referral (referrals.ReferralTrack), for its status.
        referrals=content(Referral, "to_station", "track"),
        events=events,
        notes_total=notes_total,
        events_total=events_total,
    )


# --- Excellent-case library ------------------------------------------------------


def library_visible_to(user: Any) -> QuerySet[LibraryCase]:
    """Published entries for everyone; unpublished ones for the nominating
    station's director and city officers (the model's scope)."""
    return LibraryCase.objects.visible_to(user).select_related("station")


def library_published(user: Any) -> QuerySet[LibraryCase]:
    return library_visible_to(user).filter(status=LibraryStatus.PUBLISHED)


def library_queue(user: Any) -> QuerySet[LibraryCase]:
    """Nominations waiting for a city officer, oldest first."""
    return library_visible_to(user).filter(status=LibraryStatus.NOMINATED).order_by("updated_at")


def library_own_station(user: Any) -> QuerySet[LibraryCase]:
    """The director's station's entries that are not (yet) published."""
    return (
        library_visible_to(user)
        .filter(station_id=user.station_id)
        .exclude(status=LibraryStatus.PUBLISHED)
        .order_by("-updated_at")
    )


def library_returned(user: Any) -> QuerySet[LibraryCase]:
    """The director's station's entries returned by the city for changes."""
    return library_own_station(user).filter(status=LibraryStatus.RETURNED)


def library_years(user: Any) -> list[int]:
    return list(library_published(user).order_by("-year").values_list("year", flat=True).distinct())
