"""Writes on residents and clients. Every function validates, saves inside one
transaction and re-checks that the result is within the actor's scope."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.cases.models import OPEN_STATUSES
from shegong.clients import identity, pinyin
from shegong.clients.models import (
    GUARDIAN_CONSENT_AGE,
    PRIORITY_KIND_DOMAIN,
    ClientCategory,
    ClientStatus,
    Consent,
    Household,
    LawfulBasis,
    Resident,
    ResidentTag,
    age_on,
)
from shegong.core import audit
from shegong.core.access import ensure_visible, require, require_at
from shegong.core.errors import EditConflict
from shegong.core.models import AccessLog
from shegong.core.scope import CHANGE, CREATE
from shegong.delivery import counting
from shegong.org.models import Station
from shegong.org.selectors import point_of_community
from shegong.stats.rollups import clients_served_refresh


class DuplicateResident(ValidationError):
    """Registering someone already on file: the existing records are attached."""

    def __init__(self, matches: list[Resident]):
        super().__init__(_("This person is already registered at the station."), code="duplicate")
        self.matches = matches


# Residents and their records are kept by their station's own workers and director
# (the resident scope's change and create roles).
def staff_only() -> str:
    """The refusal in the active language (the request's, not the one at import)."""
    return _("Only the station's own staff can register its residents.")


def find_duplicates(
    *,
    station: Station,
    id_number: str = "",
    name: str = "",
    birth_date: datetime.date | None = None,
    phone: str = "",
    exclude_pk: int | None = None,
) -> list[Resident]:
    """Residents of the station who may be the same person: the same ID number, or
    the same name and birth date, or the same name and phone, or a name read the
    same (same pinyin) and the same birth date. Elders often have neither ID card
    nor phone at hand, so name and birth date alone are enough to warn."""
    condition = Q()
    if id_number:
        condition |= Q(id_number_hash__in=identity.lookup_hashes(id_number))
    name = name.strip()
    if name and birth_date:
        condition |= Q(name=name, birth_date=birth_date)
        full, _initials = pinyin.name_keys(name)
        if full:
            condition |= Q(name_pinyin=full, birth_date=birth_date)
    if name and phone:
        condition |= Q(name=name, phone=phone)
    if not condition:
        return []
    queryset = Resident.objects.filter(condition, station=station, merged_into__isnull=True)
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    return list(queryset.order_by("pk")[:5])


def _clean_identity(fields: dict[str, Any], stored_id_number: str = "") -> dict[str, Any]:
    """Validate and normalise ID number and phone; raise one error with every problem.
    The birth date is checked against the new ID number, else `stored_id_number`."""
    errors: dict[str, list[str]] = {}
    id_number = fields.pop("id_number", None)
    if id_number is not None:
        id_number = identity.normalise_id_number(id_number)
        if id_number:
            try:
                id_number = identity.validate_id_number(id_number)
            except ValidationError as error:
                errors["id_number"] = error.messages
    phone = fields.get("phone")
    if phone:
        try:
            fields["phone"] = identity.validate_mobile(phone)
        except ValidationError as error:
            errors["phone"] = error.messages
    birth_date = fields.get("birth_date")
    if birth_date and birth_date > timezone.localdate():
        errors["birth_date"] = [_("The date cannot be in the future.")]
    checked = id_number if id_number is not None else stored_id_number
    if checked and "id_number" not in errors and "birth_date" not in errors and birth_date:
        born = identity.id_birth_date(checked)
        if born != birth_date:
            errors["birth_date"] = [_("The birth date does not match the ID number.")]
    if errors:
        raise ValidationError(errors)
    if id_number is not None:
        fields["id_number_encrypted"] = identity.encrypt(id_number)
        fields["id_number_hash"] = identity.lookup_hash(id_number)
        fields["id_number_masked"] = identity.mask_id_number(id_number)
    return fields


def resident_check(
    *,
    station: Station,
    name: str,
    gender: str,
    birth_date: datetime.date,
    id_number: str = "",
    phone: str = "",
    address: str = "",
    household: Household | None = None,
    household_role: str = "",
    community=None,
    point=None,
    allow_similar: bool = False,
    created_by: User | None = None,
    exclude_pk: int | None = None,
) -> Resident:
    """The registration's rules without the permission: validate and normalise the
    ID number and phone, search the station for the same person, and return the
    unsaved, validated resident (the ID number encrypted, hashed and masked).

    An ID-number match is always refused; a match by name and birth date, name
    and phone, or pinyin and birth date (find_duplicates) is refused unless the
    worker confirms (allow_similar) that it is someone else (`DuplicateResident`
    carries the matches). The name's pinyin keys are filled for the search. The
    registration below and the import of the previous system's records
    (golive.records_import) share it.
    """
    fields = _clean_identity({"id_number": id_number, "phone": phone, "birth_date": birth_date})
    matches = find_duplicates(
        station=station,
        id_number=identity.normalise_id_number(id_number),
        name=name,
        birth_date=birth_date,
        phone=fields.get("phone", ""),
        exclude_pk=exclude_pk,
    )
    id_hash = fields.get("id_number_hash")
    if matches and (
        not allow_similar or any(m.id_number_hash == id_hash and id_hash for m in matches)
    ):
        raise DuplicateResident(matches)
    resident = Resident(
        station=station,
        name=name.strip(),
        gender=gender,
        address=address,
        household=household,
        household_role=household_role,
        community=community,
        # A resident of a community with a service point belongs to it unless told.
        point=point or point_of_community(station.pk, getattr(community, "pk", None)),
        created_by=created_by,
        **fields,
    )
    pinyin.fill(resident)
    resident.full_clean(validate_constraints=exclude_pk is None)
    return resident


@transaction.atomic
def resident_register(
    *,
    actor: User,
    station: Station,
    name: str,
    gender: str,
    birth_date: datetime.date,
    id_number: str = "",
    phone: str = "",
    address: str = "",
    household: Household | None = None,
    household_role: str = "",
    community=None,
    point=None,
    allow_similar: bool = False,
) -> Resident:
    """Register a resident, after searching for the same person at the station
    (`resident_check`)."""
    require_at(actor, CREATE, Resident, station, staff_only())
    resident = resident_check(
        station=station,
        name=name,
        gender=gender,
        birth_date=birth_date,
        id_number=id_number,
        phone=phone,
        address=address,
        household=household,
        household_role=household_role,
        community=community,
        point=point,
        allow_similar=allow_similar,
        created_by=actor,
    )
    resident.save()
    ensure_visible(actor, resident)
    return resident


EDITABLE_FIELDS = {
    "name",
    "gender",
    "birth_date",
    "phone",
    "address",
    "household",
    "household_role",
    "community",
    "point",
    "id_number",
}


@transaction.atomic
def resident_update(*, actor: User, resident: Resident, version: int, **changes: Any) -> Resident:
    """Apply `changes` if nobody saved the resident since `version` was read."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    ensure_visible(actor, resident)
    require(actor, CHANGE, resident, staff_only())
    # A new birth date must agree with the ID number on file.
    stored = identity.decrypt(resident.id_number_encrypted) if "birth_date" in changes else ""
    if "birth_date" not in changes:
        changes["birth_date"] = resident.birth_date
    changes = _clean_identity(changes, stored_id_number=stored)
    if "id_number_hash" in changes and changes["id_number_hash"]:
        clash = find_duplicates(
            station=resident.station,
            id_number=identity.decrypt(changes["id_number_encrypted"]),
            exclude_pk=resident.pk,
        )
        if clash:
            raise DuplicateResident(clash)
    if "community" in changes and changes.get("point") is None:
        # A move to a community with a service point moves the resident to it.
        moved_to = point_of_community(
            resident.station_id, getattr(changes["community"], "pk", None)
        )
        if moved_to is not None:
            changes["point"] = moved_to
    before = audit.snapshot(resident)
    if "name" in changes:
        changes["name"] = changes["name"].strip()
        changes["name_pinyin"], changes["name_initials"] = pinyin.name_keys(changes["name"])
    for key, value in changes.items():
        setattr(resident, key, value)
    resident.full_clean()
    # The version check and the write are one UPDATE: no window for a lost update.
    updated = Resident.objects.filter(pk=resident.pk, version=version).update(
        **{key: getattr(resident, key) for key in changes},
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if updated == 0:
        raise EditConflict()
    resident.refresh_from_db()
    # QuerySet.update() sends no signals: the audit entry is written here.
    audit.record_update(resident, before)
    return resident


# The apps above clients that keep records of residents (the meal programme,
# service delivery) fold their own rows into the kept record: each registers its
# merge service here in its AppConfig.ready(), and resident_merge calls them in
# its transaction, after its checks.
MERGE_STEPS: list[Callable[..., None]] = []


def register_merge_step(step: Callable[..., None]) -> None:
    """Add `step(*, keep, duplicate)` to every resident merge (once)."""
    if step not in MERGE_STEPS:
        MERGE_STEPS.append(step)


@transaction.atomic
def resident_merge(*, actor: User, keep: Resident, duplicate: Resident) -> Resident:
    """Fold `duplicate` into `keep`: every record pointing at the duplicate (cases,
    consents, classifications, observations, services…) now points at `keep`; the
    duplicate stays as a tombstone with `merged_into` set, for the record."""
    ensure_visible(actor, keep)
    require(actor, "merge", keep, _("Only the station director merges duplicate records."))
    ensure_visible(actor, duplicate)
    if keep.pk == duplicate.pk:
        raise ValidationError(_("A record cannot be merged into itself."))
    if keep.station_id != duplicate.station_id:
        raise ValidationError(_("Only records of the same station can be merged."))
    if keep.is_merged or duplicate.is_merged:
        raise ValidationError(_("One of these records was already merged."))
    today = timezone.localdate()
    # Where both have an open classification or tag of the same kind, keep's stays
    # open and the duplicate's is ended, so the one-open-per-kind rules hold.
    for status in ClientStatus.objects.filter(resident=duplicate, ended_on__isnull=True):
        if ClientStatus.objects.filter(
            resident=keep, station=status.station, domain=status.domain, ended_on__isnull=True
        ).exists():
            status.ended_on = max(today, status.started_on)
            status.save(update_fields=["ended_on", "updated_at"])
    for tag in ResidentTag.objects.filter(resident=duplicate, ended_on__isnull=True):
        if ResidentTag.objects.filter(resident=keep, tag=tag.tag, ended_on__isnull=True).exists():
            tag.ended_on = max(today, tag.started_on)
            tag.save(update_fields=["ended_on", "updated_at"])
    # Each app folds its own records (one meal or attendance of the same person
    # counts once) before the rows below are pointed at `keep`.
    for step in MERGE_STEPS:
        step(keep=keep, duplicate=duplicate)
    for relation in Resident._meta.related_objects:
        if relation.related_model is Resident:
            continue  # merged_records: tombstones keep pointing where they were
        if relation.one_to_many or relation.one_to_one:
            relation.related_model._base_manager.filter(**{relation.field.name: duplicate}).update(
                **{relation.field.name: keep}
            )
        elif relation.many_to_many:
            through = relation.through
            source = [f for f in through._meta.fields if f.related_model is Resident][0]
            other = [f for f in through._meta.fields if f.is_relation and f is not source][0]
            # Where both were members (of the same group), one membership is enough.
            through._base_manager.filter(
                **{source.name: duplicate},
                **{
                    f"{other.attname}__in": through._base_manager.filter(
                        **{source.name: keep}
                    ).values(other.attname)
                },
            ).delete()
            through._base_manager.filter(**{source.name: duplicate}).update(**{source.name: keep})
    # Fill gaps on the kept record from the duplicate.
    for field in (
        "phone",
        "address",
        "household_id",
        "community_id",
        "point_id",
        "id_number_encrypted",
        "id_number_hash",
        "id_number_masked",
    ):
        if not getattr(keep, field) and getattr(duplicate, field):
            setattr(keep, field, getattr(duplicate, field))
    duplicate.merged_into = keep
    # The tombstone gives up its ID hash so that the unique rule stays meaningful.
    duplicate.id_number_hash = ""
    duplicate.save(update_fields=["merged_into", "id_number_hash", "updated_at"])
    clients_served_refresh(resident_ids=[keep.pk, duplicate.pk])
    keep.version += 1
    keep.save()
    return keep


@transaction.atomic
def consent_record(
    *,
    actor: User,
    resident: Resident,
    recorded_on: datetime.date,
    lawful_basis: str = LawfulBasis.CONSENT,
    covers_record: bool = True,
    covers_referral_sharing: bool = False,
    given_by: str = Consent.GivenBy.SELF,
    guardian_name: str = "",
    guardian_relation: str = "",
) -> Consent:
    ensure_visible(actor, resident)
    require_at(actor, CREATE, Consent, resident.station, staff_only())
    consent = consent_check(
        resident=resident,
        recorded_on=recorded_on,
        lawful_basis=lawful_basis,
        covers_record=covers_record,
        covers_referral_sharing=covers_referral_sharing,
        given_by=given_by,
        guardian_name=guardian_name,
        guardian_relation=guardian_relation,
        recorded_by=actor,
    )
    consent.save()
    return consent


def consent_check(
    *,
    resident: Resident,
    recorded_on: datetime.date,
    recorded_by: User,
    lawful_basis: str = LawfulBasis.CONSENT,
    covers_record: bool = True,
    covers_referral_sharing: bool = False,
    given_by: str = Consent.GivenBy.SELF,
    guardian_name: str = "",
    guardian_relation: str = "",
) -> Consent:
    """The consent's rules without the permission (a child under 14 needs a
    named guardian; no date in the future): the unsaved, validated consent."""
    age = age_on(resident.birth_date, recorded_on)
    if (
        lawful_basis == LawfulBasis.CONSENT
        and age is not None
        and age < GUARDIAN_CONSENT_AGE
        and (given_by != Consent.GivenBy.GUARDIAN or not guardian_name.strip())
    ):
        raise ValidationError(
            {
                "guardian_name": _(
                    "A child under 14 needs a parent's or guardian's consent, "
                    "with the guardian named."
                )
            }
        )
    if recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": _("The date cannot be in the future.")})
    consent = Consent(
        resident=resident,
        recorded_on=recorded_on,
        lawful_basis=lawful_basis,
        covers_record=covers_record,
        covers_referral_sharing=covers_referral_sharing,
        given_by=given_by,
        guardian_name=guardian_name.strip(),
        guardian_relation=guardian_relation.strip(),
        recorded_by=recorded_by,
    )
    consent.full_clean()
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent, withdrawn_on: datetime.date) -> Consent:
    """The resident (or guardian) withdraws a consent (PIPL art. 15): from that day
    it covers nothing — no sharing with referral partners — and what is kept is
    kept on a statutory basis only. Past processing stays lawful: nothing is
    deleted (a deletion is the resident's request, privacy.requests)."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    ensure_visible(actor, consent)
    require(actor, CHANGE, consent, staff_only())
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent was withdrawn already."))
    if consent.lawful_basis != LawfulBasis.CONSENT:
        raise ValidationError(
            _("Only a consent can be withdrawn; a statutory basis does not rest on it.")
        )
    if withdrawn_on > timezone.localdate():
        raise ValidationError({"withdrawn_on": _("The date cannot be in the future.")})
    if withdrawn_on < consent.recorded_on:
        raise ValidationError(
            {"withdrawn_on": _("A consent cannot be withdrawn before it was given.")}
        )
    consent.withdrawn_on = withdrawn_on
    consent.full_clean()
    consent.save(update_fields=["withdrawn_on", "updated_at"])
    return consent


def consent_state(
    resident: Resident, on: datetime.date, consents: list[Consent] | None = None
) -> dict[str, bool]:
    """What the consents on file say on `on`: whether one is in force, whether
    one was withdrawn and none given since (kept on the statutory basis only),
    and whether a guardian's consent for a child now 14 or older waits for the
    young person's own (PIPL art. 31). `consents`: the resident's consents when
    the caller has read them already (the resident page lists them)."""
    consents = list(resident.consents.all()) if consents is None else consents
    in_force = [c for c in consents if c.is_in_force(on)]
    withdrawn = any(c.withdrawn_on is not None and c.withdrawn_on <= on for c in consents)
    age = age_on(resident.birth_date, on)
    renew = (
        bool(in_force)
        and age is not None
        and age >= GUARDIAN_CONSENT_AGE
        and all(
            c.lawful_basis == LawfulBasis.CONSENT and c.given_by == Consent.GivenBy.GUARDIAN
            for c in in_force
        )
    )
    return {
        "in_force": bool(in_force),
        "statutory_only": withdrawn and not in_force,
        "renew_at_14": renew,
    }


def has_sharing_consent(resident: Resident, on: datetime.date) -> bool:
    return any(c.covers_referral_sharing and c.is_in_force(on) for c in resident.consents.all())


def classification_check(*, domain: str, category: str, priority_kind: str) -> None:
    """A priority client's kind must belong to the domain classified."""
    if category == ClientCategory.PRIORITY and PRIORITY_KIND_DOMAIN.get(priority_kind) != domain:
        raise ValidationError(
            {"priority_kind": _("This priority kind does not belong to that domain.")}
        )


@transaction.atomic
def client_classify(
    *,
    actor: User,
    resident: Resident,
    domain: str,
    category: str,
    started_on: datetime.date,
    priority_kind: str = "",
) -> ClientStatus:
    """Classify the resident in a basic domain from `started_on`, ending any
    earlier open classification in that domain the day before."""
    ensure_visible(actor, resident)
    require_at(actor, CREATE, ClientStatus, resident.station, staff_only())
    classification_check(domain=domain, category=category, priority_kind=priority_kind)
    current = (
        ClientStatus.objects.select_for_update()
        .filter(resident=resident, station=resident.station, domain=domain, ended_on__isnull=True)
        .first()
    )
    if current is not None:
        if started_on <= current.started_on:
            raise ValidationError(
                {"started_on": _("The new classification must start after the current one.")}
            )
        current.ended_on = started_on - datetime.timedelta(days=1)
        current.save(update_fields=["ended_on", "updated_at"])
    status = ClientStatus(
        resident=resident,
        station=resident.station,
        domain=domain,
        category=category,
        priority_kind=priority_kind if category == ClientCategory.PRIORITY else "",
        started_on=started_on,
    )
    status.full_clean()
    status.save()
    # Who counts as a priority client served depends on the dates classified.
    clients_served_refresh(resident_ids=[resident.pk], station_id=resident.station_id)
    return status


@transaction.atomic
def client_status_end(*, actor: User, status: ClientStatus, ended_on: datetime.date) -> None:
    ensure_visible(actor, status)
    require(actor, CHANGE, status, staff_only())
    status.ended_on = ended_on
    status.full_clean()
    status.save(update_fields=["ended_on", "updated_at"])
    clients_served_refresh(resident_ids=[status.resident_id], station_id=status.station_id)


@transaction.atomic
def tag_add(*, actor: User, resident: Resident, tag: str, started_on: datetime.date) -> ResidentTag:
    ensure_visible(actor, resident)
    require_at(actor, CREATE, ResidentTag, resident.station, staff_only())
    item = ResidentTag(resident=resident, tag=tag, started_on=started_on)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def tag_end(*, actor: User, item: ResidentTag, ended_on: datetime.date) -> None:
    ensure_visible(actor, item)
    require(actor, CHANGE, item, staff_only())
    item.ended_on = ended_on
    item.full_clean()
    item.save(update_fields=["ended_on", "updated_at"])


@transaction.atomic
def household_create(*, actor: User, station: Station, name: str, address: str = "") -> Household:
    require_at(actor, CREATE, Household, station, staff_only())
    household = Household(station=station, name=name.strip(), address=address)
    household.full_clean()
    household.save()
    ensure_visible(actor, household)
    return household


def is_priority_client(resident: Resident, on: datetime.date | None = None) -> bool:
    on = on or timezone.localdate()
    return resident.statuses.filter(counting.priority_on(on)).exists()


def log_sensitive_read(
    *, user: User, action: str, station_id: int, obj, label: str = "", ip: str | None = None
) -> None:
    AccessLog.objects.create(
        user=user,
        role=user.role,
        ip=ip,
        action=action,
        station_id=station_id,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        object_label=label[:100],
    )


@transaction.atomic
def resident_reveal_id_number(*, actor: User, resident: Resident, ip: str | None) -> str:
    """The full ID number, for a worker assigned to one of the resident's open
    cases; every reveal is written to the access log."""
    ensure_visible(actor, resident)
    assigned = resident.cases.filter(status__in=OPEN_STATUSES, workers=actor).exists()
    if not assigned:
        raise PermissionDenied(
            _("Only a worker assigned to an open case of this resident can see the full ID.")
        )
    log_sensitive_read(
        user=actor,
        action=AccessLog.Action.REVEAL_ID_NUMBER,
        station_id=resident.station_id,
        obj=resident,
        label=resident.name,
        ip=ip,
    )
    return identity.decrypt(resident.id_number_encrypted)
