"""Writes of the programmes around the station: meal programme, volunteers,
party members, community organisations and governance projects."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.cases.alerts import evaluate_meal_absence
from shegong.clients import identity
from shegong.clients.models import Resident
from shegong.community.models import (
    CommunityOrganisation,
    DeliberationMeeting,
    GovernanceProject,
    MealEnrolment,
    MealKind,
    MealRecord,
    PartyMember,
    PartyOrganisation,
    SignupStatus,
    Volunteer,
    VolunteerSignup,
    VolunteerTeam,
)
from shegong.core.access import ensure_visible, require, require_at
from shegong.core.scope import CHANGE, CREATE
from shegong.org.models import Station
from shegong.plans.models import PlanProject
from shegong.stats.rollups import meals_refresh


# The programmes' records are kept by the station's own staff (each model's
# scope says so); officials and other stations read them at most.
def staff_only() -> str:
    """The refusal in the active language (the request's, not the one at import)."""
    return _("Only the station's own staff can do this.")


@transaction.atomic
def meal_enrol(*, actor: User, resident: Resident, started_on: datetime.date) -> MealEnrolment:
    ensure_visible(actor, resident)
    require_at(actor, CREATE, MealEnrolment, resident.station, staff_only())
    enrolment = MealEnrolment(
        station_id=resident.station_id, resident=resident, started_on=started_on
    )
    enrolment.full_clean()
    enrolment.save()
    return enrolment


@transaction.atomic
def meal_roll_call(
    *,
    actor: User,
    station: Station,
    served_on: datetime.date,
    present: Mapping[int, str],
    absent: Collection[int] = (),
) -> dict[str, int]:
    """The day's roll call of the canteen in one write: `present` maps each elder
    who ate (resident id) to dine-in or delivery; the elders in `absent` did not
    eat (their entry of the day is removed). An elder in neither keeps the day's
    entry as it is: the roll call was opened before a colleague recorded them, or
    before they were enrolled, and it must not undo what it never showed. The
    canteen-absence alert rule runs afterwards. Returns how many elders ate that
    day after the call (`present`, kept entries included) and what changed."""
    ensure_visible(actor, station)
    require_at(actor, CREATE, MealRecord, station, staff_only())
    if served_on > timezone.localdate():
        raise ValidationError({"served_on": _("The date cannot be in the future.")})
    absent = set(absent)
    if absent & set(present):
        raise ValidationError(_("An elder cannot be both present and absent."))
    enrolled = set(
        MealEnrolment.objects.filter(station=station, started_on__lte=served_on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=served_on))
        .values_list("resident_id", flat=True)
    )
    unknown = (set(present) | absent) - enrolled
    if unknown:
        raise ValidationError(
            _("%(n)s of the elders are not enrolled in the meal programme on that day.")
            % {"n": len(unknown)}
        )
    bad_kind = {kind for kind in present.values() if kind not in MealKind.values}
    if bad_kind:
        raise ValidationError(_("Unknown meal kind."))
    existing = {
        r.resident_id: r
        for r in MealRecord.objects.select_for_update().filter(station=station, served_on=served_on)
    }
    removed = (
        MealRecord.objects.filter(
            station=station, served_on=served_on, resident_id__in=absent
        ).delete()[0]
        if absent & set(existing)
        else 0
    )
    kept = len(set(existing) - set(present) - absent)
    updated = 0
    new = []
    # A new meal counts at the elder's service point, where it is one of this station's.
    points = dict(
        Resident.objects.filter(
            pk__in=set(present) - set(existing), point__station=station
        ).values_list("pk", "point_id")
    )
    for resident_id, kind in present.items():
        record = existing.get(resident_id)
        if record is None:
            new.append(
                MealRecord(
                    station=station,
                    resident_id=resident_id,
                    point_id=points.get(resident_id),
                    served_on=served_on,
                    kind=kind,
                    recorded_by=actor,
                )
            )
        elif record.kind != kind:
            record.kind = kind
            record.save(update_fields=["kind", "updated_at"])
            updated += 1
    MealRecord.objects.bulk_create(new)
    meals_refresh(station_id=station.pk, year=served_on.year, month=served_on.month)
    evaluate_meal_absence(station.pk, served_on)
    return {
        "present": len(present) + kept,
        "created": len(new),
        "updated": updated,
        "removed": removed,
    }


def resident_merge_meals(*, keep: Resident, duplicate: Resident) -> None:
    """The meal programme's part of `clients.services.resident_merge`, inside its
    transaction and after its checks: where both records have an open enrolment
    at the station, the duplicate's is ended (one open enrolment per elder); a
    meal of the duplicate on a day `keep` also ate is dropped (one person eats
    once), and the months it touched are recounted."""
    today = timezone.localdate()
    for enrolment in MealEnrolment.objects.filter(resident=duplicate, ended_on__isnull=True):
        if MealEnrolment.objects.filter(
            resident=keep, station=enrolment.station_id, ended_on__isnull=True
        ).exists():
            enrolment.ended_on = max(today, enrolment.started_on)
            enrolment.save(update_fields=["ended_on", "updated_at"])
    same_day_meals = MealRecord.objects.filter(
        resident=duplicate,
        served_on__in=MealRecord.objects.filter(resident=keep).values("served_on"),
    )
    meal_months = {(m.station_id, m.served_on.year, m.served_on.month) for m in same_day_meals}
    same_day_meals.delete()
    for station_id, year, month in meal_months:
        meals_refresh(station_id=station_id, year=year, month=month)


# --- Volunteers --------------------------------------------------------------------


def _clean_phone(phone: str) -> str:
    if not phone:
        return ""
    try:
        return identity.validate_mobile(phone)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from None


def _check_consent(consent_on: datetime.date | None, registered_on: datetime.date) -> None:
    """PIPL: a volunteer's personal data is kept with their consent, given no later
    than the day they are registered."""
    if consent_on is None:
        raise ValidationError(
            {"consent_on": _("Record the date the volunteer gave consent to registration.")}
        )
    if consent_on > timezone.localdate():
        raise ValidationError({"consent_on": _("The date cannot be in the future.")})
    if consent_on > registered_on:
        raise ValidationError(
            {"consent_on": _("Consent must be given on or before the day of registration.")}
        )


def _check_party_member(
    station_id: int, party_member: PartyMember | None, volunteer: Volunteer | None = None
) -> None:
    if party_member is None:
        return
    if party_member.station_id != station_id:
        raise ValidationError(
            {
                "party_member": _("%(name)s is not a party member of this station.")
                % {"name": party_member.name}
            }
        )
    taken = Volunteer.objects.filter(party_member=party_member)
    if volunteer is not None:
        taken = taken.exclude(pk=volunteer.pk)
    if taken.exists():
        raise ValidationError(
            {
                "party_member": _("%(name)s is already linked to another volunteer.")
                % {"name": party_member.name}
            }
        )


@transaction.atomic
def volunteer_register(
    *,
    actor: User,
    station: Station,
    name: str,
    consent_on: datetime.date | None,
    registered_on: datetime.date | None = None,
    phone: str = "",
    skills: str = "",
    is_party_member: bool = False,
    party_member: PartyMember | None = None,
) -> Volunteer:
    """义工登记, with the date of consent. Linking a party member record flags the
    volunteer as a party member."""
    ensure_visible(actor, station)
    require_at(actor, CREATE, Volunteer, station, staff_only())
    volunteer = volunteer_check(
        station=station,
        name=name,
        consent_on=consent_on,
        registered_on=registered_on,
        phone=phone,
        skills=skills,
        is_party_member=is_party_member,
        party_member=party_member,
    )
    volunteer.save()
    ensure_visible(actor, volunteer)
    return volunteer


VOLUNTEER_EDITABLE_FIELDS = frozenset(
    {"name", "phone", "skills", "is_party_member", "party_member", "consent_on", "is_active"}
)


def volunteer_check(
    *,
    station: Station,
    name: str,
    consent_on: datetime.date | None,
    registered_on: datetime.date | None = None,
    phone: str = "",
    skills: str = "",
    is_party_member: bool = False,
    party_member: PartyMember | None = None,
) -> Volunteer:
    """The registration's rules without the permission (dates, consent, phone,
    the party member record): the unsaved, validated volunteer. The import of the
    previous system's records (golive.records_import) shares it."""
    registered_on = registered_on or timezone.localdate()
    if registered_on > timezone.localdate():
        raise ValidationError({"registered_on": _("The date cannot be in the future.")})
    _check_consent(consent_on, registered_on)
    _check_party_member(station.pk, party_member)
    volunteer = Volunteer(
        station=station,
        name=name.strip(),
        phone=_clean_phone(phone),
        skills=skills.strip(),
        is_party_member=is_party_member or party_member is not None,
        party_member=party_member,
        registered_on=registered_on,
        consent_on=consent_on,
    )
    volunteer.full_clean()
    return volunteer


@transaction.atomic
def volunteer_update(*, actor: User, volunteer: Volunteer, **changes: Any) -> Volunteer:
    """Change a volunteer's details; `is_active=False` takes them off the lists
    of people who can help at a service, keeping their record of service."""
    unknown = set(changes) - VOLUNTEER_EDITABLE_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    ensure_visible(actor, volunteer)
    require(actor, CHANGE, volunteer, staff_only())
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if "phone" in changes:
        changes["phone"] = _clean_phone(changes["phone"] or "")
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
    if "consent_on" in changes:
        _check_consent(changes["consent_on"], volunteer.registered_on)
    if "party_member" in changes:
        _check_party_member(volunteer.station_id, changes["party_member"], volunteer)
    for key, value in changes.items():
        setattr(volunteer, key, value)
    if volunteer.party_member_id is not None:
        # A linked party member record is the proof of membership: the flag follows.
        volunteer.is_party_member = True
    volunteer.full_clean()
    volunteer.save()
    ensure_visible(actor, volunteer)
    return volunteer


def _check_team_members(station_id: int, members: Sequence[Volunteer]) -> None:
    for volunteer in members:
        if volunteer.station_id != station_id:
            raise ValidationError(
                {
                    "members": _("%(name)s is not a volunteer of this station.")
                    % {"name": volunteer.name}
                }
            )


@transaction.atomic
def team_create(
    *, actor: User, station: Station, name: str, members: Sequence[Volunteer] = ()
) -> VolunteerTeam:
    ensure_visible(actor, station)
    require_at(actor, CREATE, VolunteerTeam, station, staff_only())
    members = list(members)
    _check_team_members(station.pk, members)
    team = VolunteerTeam(station=station, name=name.strip())
    team.full_clean()
    team.save()
    team.members.set(members)
    ensure_visible(actor, team)
    return team


@transaction.atomic
def team_set_members(
    *, actor: User, team: VolunteerTeam, members: Sequence[Volunteer]
) -> VolunteerTeam:
    """The team's members become exactly `members`."""
    ensure_visible(actor, team)
    require(actor, CHANGE, team, staff_only())
    members = list(members)
    _check_team_members(team.station_id, members)
    team.members.set(members)
    return team


# --- Party organisations and members -----------------------------------------------


@transaction.atomic
def party_organisation_create(
    *, actor: User, station: Station, name: str, kind: str
) -> PartyOrganisation:
    ensure_visible(actor, station)
    require_at(actor, CREATE, PartyOrganisation, station, staff_only())
    organisation = PartyOrganisation(station=station, name=name.strip(), kind=kind)
    organisation.full_clean()
    organisation.save()
    ensure_visible(actor, organisation)
    return organisation


@transaction.atomic
def party_member_add(
    *,
    actor: User,
    organisation: PartyOrganisation,
    name: str,
    is_representative: bool = False,
) -> PartyMember:
    """A party member (or party representative 党代表) of the organisation."""
    ensure_visible(actor, organisation)
    require_at(actor, CREATE, PartyMember, organisation.station, staff_only())
    member = PartyMember(
        station_id=organisation.station_id,
        organisation=organisation,
        name=name.strip(),
        is_representative=is_representative,
    )
    member.full_clean()
    member.save()
    ensure_visible(actor, member)
    return member


# --- Community organisations -------------------------------------------------------


def _check_not_future(field: str, day: datetime.date | None) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


@transaction.atomic
def community_organisation_create(
    *,
    actor: User,
    station: Station,
    name: str,
    founded_on: datetime.date,
    field: str = "",
    member_count: int = 0,
    status: str = CommunityOrganisation.Status.INCUBATING,
) -> CommunityOrganisation:
    """A community organisation (社区组织) incubated by the station."""
    ensure_visible(actor, station)
    require_at(actor, CREATE, CommunityOrganisation, station, staff_only())
    _check_not_future("founded_on", founded_on)
    organisation = CommunityOrganisation(
        station=station,
        name=name.strip(),
        field=field.strip(),
        founded_on=founded_on,
        member_count=member_count,
        status=status,
    )
    organisation.full_clean()
    organisation.save()
    ensure_visible(actor, organisation)
    return organisation


ORGANISATION_EDITABLE_FIELDS = frozenset({"name", "field", "founded_on", "member_count", "status"})


@transaction.atomic
def community_organisation_update(
    *, actor: User, organisation: CommunityOrganisation, **changes: Any
) -> CommunityOrganisation:
    unknown = set(changes) - ORGANISATION_EDITABLE_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    ensure_visible(actor, organisation)
    require(actor, CHANGE, organisation, staff_only())
    _check_not_future("founded_on", changes.get("founded_on"))
    organisation = CommunityOrganisation.objects.select_for_update().get(pk=organisation.pk)
    for key, value in changes.items():
        setattr(organisation, key, value.strip() if key in ("name", "field") else value)
    organisation.full_clean()
    organisation.save()
    ensure_visible(actor, organisation)
    return organisation


# --- Governance projects -----------------------------------------------------------

Stage = GovernanceProject.Stage
# The stages a project goes through, in order. A project may be suspended at
# any open stage and resumed at any open stage; a completed project is final.
STAGE_ORDER = [Stage.PROPOSED, Stage.DELIBERATION, Stage.IMPLEMENTATION, Stage.COMPLETED]
OPEN_STAGES = frozenset({Stage.PROPOSED, Stage.DELIBERATION, Stage.IMPLEMENTATION})


def allowed_next_stages(current: str) -> list[str]:
    """The stages a project at `current` may move to."""
    if current == Stage.SUSPENDED:
        return [s for s in STAGE_ORDER if s in OPEN_STAGES]
    if current not in OPEN_STAGES:
        return []
    return [STAGE_ORDER[STAGE_ORDER.index(current) + 1], Stage.SUSPENDED]


@transaction.atomic
def governance_project_create(
    *,
    actor: User,
    station: Station,
    title: str,
    started_on: datetime.date,
    category: str = "",
) -> GovernanceProject:
    """A community governance project (社区专案), e.g. 旧楼加装电梯; starts proposed."""
    ensure_visible(actor, station)
    require_at(actor, CREATE, GovernanceProject, station, staff_only())
    _check_not_future("started_on", started_on)
    project = GovernanceProject(
        station=station,
        title=title.strip(),
        category=category.strip(),
        started_on=started_on,
        stage=Stage.PROPOSED,
    )
    project.full_clean()
    project.save()
    ensure_visible(actor, project)
    return project


@transaction.atomic
def governance_stage_set(
    *,
    actor: User,
    project: GovernanceProject,
    stage: str,
    outcome: str = "",
    outcome_count: int | None = None,
) -> GovernanceProject:
    """Move the project to its next stage (or suspend / resume it). Completing
    needs the outcome: what was achieved, and the units delivered (e.g. lifts
    installed)."""
    ensure_visible(actor, project)
    require(actor, CHANGE, project, staff_only())
    # Two workers moving the same project at once: the second sees the first's stage.
    project = GovernanceProject.objects.select_for_update().get(pk=project.pk)
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Unknown stage.")})
    if stage not in allowed_next_stages(project.stage):
        raise ValidationError(
            {
                "stage": _("A project at stage “%(current)s” cannot move to “%(stage)s”.")
                % {"current": Stage(project.stage).label, "stage": Stage(stage).label}
            }
        )
    if stage == Stage.COMPLETED:
        outcome = (outcome or "").strip()
        if not outcome:
            raise ValidationError({"outcome": _("Describe the outcome to complete the project.")})
        project.outcome = outcome
        if outcome_count is not None:
            project.outcome_count = outcome_count
    project.stage = stage
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def deliberation_meeting_record(
    *,
    actor: User,
    project: GovernanceProject,
    held_on: datetime.date,
    attendees: int,
    decisions: str,
    party_members_present: int = 0,
) -> DeliberationMeeting:
    """A residents' deliberation meeting (居民议事) of the project, with its attendance
    and decisions."""
    ensure_visible(actor, project)
    require_at(actor, CREATE, DeliberationMeeting, project.station, staff_only())
    _check_not_future("held_on", held_on)
    if held_on < project.started_on:
        raise ValidationError(
            {
                "held_on": _("The meeting cannot be before the project started (%(date)s).")
                % {"date": project.started_on.isoformat()}
            }
        )
    if attendees is None or attendees < 1:
        raise ValidationError({"attendees": _("A meeting has at least one attendee.")})
    if party_members_present < 0 or party_members_present > attendees:
        raise ValidationError(
            {
                "party_members_present": _(
                    "Party members present are counted among the attendees: "
                    "between 0 and the number of attendees."
                )
            }
        )
    decisions = (decisions or "").strip()
    if not decisions:
        raise ValidationError({"decisions": _("Record what the meeting decided.")})
    meeting = DeliberationMeeting(
        project=project,
        held_on=held_on,
        attendees=attendees,
        party_members_present=party_members_present,
        decisions=decisions,
    )
    meeting.full_clean()
    meeting.save()
    ensure_visible(actor, meeting)
    return meeting


@transaction.atomic
def volunteer_sign_up(
    *,
    actor: User,
    volunteer: Volunteer,
    project: PlanProject,
    activity_on: datetime.date,
    activity_title: str,
) -> VolunteerSignup:
    """报名: put an active volunteer down for an upcoming activity of the plan."""
    ensure_visible(actor, volunteer)
    ensure_visible(actor, project)
    require_at(actor, CREATE, VolunteerSignup, volunteer.station, staff_only())
    if project.plan.station_id != volunteer.station_id:
        raise ValidationError({"project": _("Choose a project of the station's plan.")})
    if not volunteer.is_active:
        raise ValidationError(
            _("%(name)s is no longer an active volunteer.") % {"name": volunteer.name}
        )
    if activity_on < timezone.localdate():
        raise ValidationError({"activity_on": _("Sign-ups are for activities still to come.")})
    if activity_on.year != project.plan.year:
        raise ValidationError(
            {
                "activity_on": _("The date is outside the plan year %(year)s.")
                % {"year": project.plan.year}
            }
        )
    signup = VolunteerSignup(
        station_id=volunteer.station_id,
        volunteer=volunteer,
        project=project,
        activity_on=activity_on,
        activity_title=activity_title.strip(),
    )
    signup.full_clean()
    signup.save()
    return signup


@transaction.atomic
def volunteer_signup_cancel(*, actor: User, signup: VolunteerSignup) -> VolunteerSignup:
    ensure_visible(actor, signup)
    require(actor, CHANGE, signup, staff_only())
    if signup.status != SignupStatus.SIGNED_UP:
        raise ValidationError(_("Only an open sign-up can be cancelled."))
    signup.status = SignupStatus.CANCELLED
    signup.save(update_fields=["status", "updated_at"])
    return signup
