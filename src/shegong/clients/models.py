"""Residents (居民), households (家庭), consent and client classification
(重点/一般服务对象) at a station."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.core.documents import DocumentKind, document_storage
from shegong.core.models import Domain, TimeStampedModel
from shegong.core.roles import Role
from shegong.core.scope import STAFF_WORK, Scope, ScopedQuerySet

# Personal data of residents stays with the station that serves them: officials,
# agencies and evaluators see counts (from statistics), not people.
STATION_STAFF_ONLY = frozenset(
    {Role.AGENCY_MANAGER, Role.DISTRICT_OFFICER, Role.CITY_OFFICER, Role.EVALUATOR}
)
STATION_STAFF = frozenset({Role.SOCIAL_WORKER, Role.STATION_DIRECTOR})
MINOR_AGE = 18
# PIPL art. 28 and 31: all personal data of a child under 14 is sensitive and needs
# a parent's or guardian's consent.
GUARDIAN_CONSENT_AGE = 14


def age_on(birth_date: datetime.date | None, day: datetime.date) -> int | None:
    if birth_date is None:
        return None
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def check_point_of_station(record: models.Model) -> None:
    """A record's service point must be one of its station's (residents, events)."""
    point = getattr(record, "point", None)
    if (
        point is not None
        and record.station_id is not None
        and point.station_id != record.station_id
    ):
        raise ValidationError(
            {"point": _("The service point %(point)s is not of this station.") % {"point": point}}
        )


def _resident_scope(path: str = "", **acts: frozenset[str]) -> Scope:
    prefix = f"{path}__" if path else ""
    return Scope(
        station=f"{prefix}station",
        change_roles=STATION_STAFF,
        create_roles=STATION_STAFF,
        acts=acts,
        hidden_from=STATION_STAFF_ONLY,
        superuser_acts=STAFF_WORK,
    )


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class Household(TimeStampedModel):
    """家庭: residents living together, registered at one station."""

    station = models.ForeignKey(
        "org.Station",
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("station"),
    )
    name = models.CharField(_("household name"), max_length=50)
    address = models.CharField(_("address"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = _resident_scope()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Resident(TimeStampedModel):
    """居民: a person known to a station; a client (服务对象) once classified."""

    station = models.ForeignKey(
        "org.Station",
        on_delete=models.PROTECT,
        related_name="residents",
        verbose_name=_("station"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("household"),
    )
    household_role = models.CharField(_("relation in household"), max_length=20, blank=True)
    community = models.ForeignKey(
        "org.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("community"),
    )
    # 社工点: defaulted from the community's point by the services.
    point = models.ForeignKey(
        "org.ServicePoint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("service point"),
    )
    name = models.CharField(_("name"), max_length=50)
    # Written with the name by the services (clients.pinyin): searched and sorted on.
    name_pinyin = models.CharField(
        _("name in pinyin"), max_length=120, blank=True, db_index=True, editable=False
    )
    name_initials = models.CharField(
        _("initials of the name"), max_length=50, blank=True, db_index=True, editable=False
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    # The ID number itself is never stored in clear (see clients.identity).
    id_number_encrypted = models.TextField(_("ID number (encrypted)"), blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, blank=True, editable=False)
    phone = models.CharField(_("mobile phone"), max_length=11, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_records",
        verbose_name=_("merged into"),
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # Optimistic locking: a save based on an old version is refused, not applied.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    # Folding a duplicate record into another moves every app's records of the
    # person: the station director's decision, not every worker's.
    scope = _resident_scope(merge=frozenset({Role.STATION_DIRECTOR}))

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["station", "name", "birth_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "id_number_hash"],
                condition=Q(merged_into__isnull=True) & ~Q(id_number_hash=""),
                name="resident_unique_id_number_at_station",
                violation_error_message=_(
                    "A resident with this ID number is already registered at the station."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def age(self) -> int | None:
        return age_on(self.birth_date, timezone.localdate())

    @property
    def is_minor(self) -> bool:
        return self.age is not None and self.age < MINOR_AGE

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    def clean(self) -> None:
        check_point_of_station(self)


class LawfulBasis(models.TextChoices):
    CONSENT = "consent", _("Consent of the person (or guardian)")
    STATUTORY_DUTY = "statutory_duty", _("Statutory duty of the station")


class Consent(TimeStampedModel):
    """知情同意: what the resident (or guardian) agreed to, and on what basis."""

    class GivenBy(models.TextChoices):
        SELF = "self", _("The resident")
        GUARDIAN = "guardian", _("Parent or guardian")

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="consents", verbose_name=_("resident")
    )
    recorded_on = models.DateField(_("date"))
    lawful_basis = models.CharField(
        _("lawful basis"), max_length=20, choices=LawfulBasis.choices, default=LawfulBasis.CONSENT
    )
    covers_record = models.BooleanField(_("keep a record"), default=True)
    covers_referral_sharing = models.BooleanField(_("share with referral partners"), default=False)
    given_by = models.CharField(
        _("given by"), max_length=10, choices=GivenBy.choices, default=GivenBy.SELF
    )
    guardian_name = models.CharField(_("guardian's name"), max_length=50, blank=True)
    guardian_relation = models.CharField(_("guardian's relation"), max_length=20, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = ScopedQuerySet.as_manager()
    scope = _resident_scope("resident")

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-recorded_on", "-pk"]

    def is_in_force(self, on: datetime.date) -> bool:
        return self.recorded_on <= on and (self.withdrawn_on is None or self.withdrawn_on > on)


class ClientCategory(models.TextChoices):
    PRIORITY = "priority", _("Priority client")
    GENERAL = "general", _("General client")


class PriorityKind(models.TextChoices):
    HARDSHIP_FAMILY = "hardship_family", _("Family in hardship")
    DISABILITY_FAMILY = "disability_family", _("Family with disability")
    HARDSHIP_ELDER = "hardship_elder", _("Elder in hardship")
    HARDSHIP_YOUTH = "hardship_youth", _("Youth in hardship")


# Which priority kinds belong to which basic domain.
PRIORITY_KIND_DOMAIN = {
    PriorityKind.HARDSHIP_FAMILY: Domain.FAMILY,
    PriorityKind.DISABILITY_FAMILY: Domain.FAMILY,
    PriorityKind.HARDSHIP_ELDER: Domain.ELDERLY,
    PriorityKind.HARDSHIP_YOUTH: Domain.YOUTH,
}
BASIC_DOMAINS = (Domain.FAMILY, Domain.ELDERLY, Domain.YOUTH)
BASIC_DOMAIN_CHOICES = [(d.value, d.label) for d in BASIC_DOMAINS]


class ClientStatus(TimeStampedModel):
    """A resident's classification in one basic domain at one station, over a period,
    so that "how many priority elders did we serve in March" has an answer."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="statuses", verbose_name=_("resident")
    )
    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    domain = models.CharField(_("domain"), max_length=10, choices=BASIC_DOMAIN_CHOICES)
    category = models.CharField(_("category"), max_length=10, choices=ClientCategory.choices)
    priority_kind = models.CharField(
        _("priority kind"), max_length=20, choices=PriorityKind.choices, blank=True
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = _resident_scope()

    class Meta:
        verbose_name = _("client classification")
        verbose_name_plural = _("client classifications")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "station", "domain"],
                condition=Q(ended_on__isnull=True),
                name="client_status_one_open_per_domain",
                violation_error_message=_(
                    "This client already has an open classification in that domain."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(category="priority") & ~Q(priority_kind="")
                    | Q(category="general", priority_kind="")
                ),
                name="client_status_priority_kind_iff_priority",
                violation_error_message=_(
                    "A priority client needs a priority kind; a general client has none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="client_status_ends_after_start",
                violation_error_message=_("A classification cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident} · {self.get_domain_display()} · {self.get_category_display()}"


class Tag(models.TextChoices):
    LIVING_ALONE = "living_alone", _("Living alone")
    DEPENDENT = "dependent", _("Loss of self-care")
    DISABLED = "disabled", _("Disability")
    LOW_INCOME = "low_income", _("Minimum living allowance")
    LEFT_BEHIND_CHILD = "left_behind_child", _("Left-behind child")
    MIGRANT_CHILD = "migrant_child", _("Migrant child")
    EMPTY_NEST = "empty_nest", _("Empty-nest elder")
    SPECIAL_HARDSHIP = "special_hardship", _("Extreme poverty support")


class ResidentTag(TimeStampedModel):
    """A dated tag on a resident (独居, 失能, 残障, 低保, 留守/流动儿童 …)."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="tags", verbose_name=_("resident")
    )
    tag = models.CharField(_("tag"), max_length=20, choices=Tag.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = _resident_scope("resident")

    class Meta:
        verbose_name = _("resident tag")
        verbose_name_plural = _("resident tags")
        ordering = ["tag"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "tag"],
                condition=Q(ended_on__isnull=True),
                name="resident_tag_one_open",
                violation_error_message=_("The resident already has this tag."),
            )
        ]


# --- A resident's own documents (文件附件) -------------------------------------------

# The scope actions of deleting a resident's document: its uploader (among the
# station's staff) or the station director (DELETE_ANY_RESIDENT_DOCUMENT: any).
DELETE_RESIDENT_DOCUMENT = "delete_document"
DELETE_ANY_RESIDENT_DOCUMENT = "delete_any_document"


def resident_document_path(instance: ResidentDocument, filename: str) -> str:
    # The stored name is ours, never the uploader's: no path tricks, no HTML names.
    return f"clients/documents/{instance.resident.station_id}/{instance.stored_name}"


class ResidentDocument(TimeStampedModel):
    """A file about the resident that belongs to no case: the consent form signed
    at registration, a copy of an ID or of a hardship certificate (低保证, 残疾证).
    Read and downloaded by the staff of the resident's station, who serve the
    person (as they read the resident's record); officials, evaluators, the street
    office and superusers read none of it (404). Stored as a case's documents are
    (core.documents: outside the web root, sent only as an attachment), every
    download written to the access log and the audit log; deleted by its
    uploader or the station director."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="documents", verbose_name=_("resident")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("description"), max_length=200, blank=True)
    file = models.FileField(
        _("file"), upload_to=resident_document_path, storage=document_storage, max_length=200
    )
    stored_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(_("size"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        station="resident__station",
        create_roles=STATION_STAFF,
        acts={
            DELETE_RESIDENT_DOCUMENT: STATION_STAFF,
            DELETE_ANY_RESIDENT_DOCUMENT: frozenset({Role.STATION_DIRECTOR}),
        },
        hidden_from=STATION_STAFF_ONLY,
        # A person's papers are not the administrators' to read.
        superuser_sees=False,
    )

    class Meta:
        verbose_name = _("resident document")
        verbose_name_plural = _("resident documents")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name
