"""The directory of services 资源库: the organisations a case can be referred to,
on the platform (another station, a city special project) or off it (hospitals,
schools, 残联, legal aid, charities, residents' committees), with the services
they accept, who is eligible, the area they serve and whom to call.

Who keeps an entry: the station that registered it (its social workers and
director), or a district or city officer (entries of their district or city; they
also keep the entries of the stations below them). Who reads: every active
account reads the *active* entries (`Scope.public`), because a referral has to find
partners beyond its own station, and an entry holds an organisation's public
work contact, no personal data; inactive entries are read only within the
keeper's scope. See docs/referrals.md."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.clients.models import STATION_STAFF, STATION_STAFF_ONLY
from shegong.core.models import Domain, TimeStampedModel
from shegong.core.roles import Role
from shegong.core.scope import Scope, ScopedQuerySet

# Station staff keep their station's entries; district and city officers theirs.
KEEPERS = frozenset(
    {Role.SOCIAL_WORKER, Role.STATION_DIRECTOR, Role.DISTRICT_OFFICER, Role.CITY_OFFICER}
)

# A mainland mobile, a landline with its area code (and extension), a
# five-digit public service hotline (12345, 12348 legal aid...) or a 400/800 number.
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|1\d{4}|[48]00-?\d{3}-?\d{4})$")


def validate_phone(value: str) -> None:
    if value and not _PHONE.match(value):
        raise ValidationError(
            _(
                "Enter a mobile number (11 digits), a landline with its area code "
                "(e.g. 020-12345678) or a service hotline (e.g. 12348)."
            ),
            code="phone",
        )


def normalise_phone(value: str) -> str:
    return (value or "").strip().replace(" ", "")


class PartnerKind(models.TextChoices):
    STATION = "station", _("Station on the platform")
    SPECIAL_PROJECT = "special_project", _("City special project")
    HOSPITAL = "hospital", _("Hospital or health centre")
    SCHOOL = "school", _("School")
    DISABLED_PERSONS = "disabled_persons", _("Disabled Persons' Federation")
    LEGAL_AID = "legal_aid", _("Legal aid")
    CHARITY = "charity", _("Charity or social organisation")
    RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee")
    OTHER = "other", _("Other")


def domains_value(domains) -> str:
    """The stored form of a set of domains: ",elderly,family," (sorted, framed by
    commas), so that "accepts this domain" is one `contains` on both databases."""
    chosen = sorted({str(d) for d in domains or ()})
    return f",{','.join(chosen)}," if chosen else ""


class Partner(TimeStampedModel):
    """An organisation of the directory of services 资源库."""

    # The keeper: the city always; the district for district and station entries;
    # the station for a station's own entries (copied down by the service).
    city = models.ForeignKey(
        "org.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    district = models.ForeignKey(
        "org.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kept by district"),
    )
    station = models.ForeignKey(
        "org.Station",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kept by station"),
    )
    name = models.CharField(_("name"), max_length=100)
    # The name's pinyin keys (clients.pinyin), set by the services on every write.
    name_pinyin = models.CharField(max_length=120, blank=True, editable=False, db_index=True)
    name_initials = models.CharField(max_length=50, blank=True, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    platform_station = models.ForeignKey(
        "org.Station",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("station on the platform"),
    )
    # The statistical domains the organisation accepts referrals in.
    domains = models.CharField(_("domains accepted"), max_length=60, blank=True)
    services = models.CharField(
        _("services accepted"),
        max_length=300,
        blank=True,
        help_text=_("e.g. home nursing, rehabilitation aids, legal consultation"),
    )
    eligibility = models.TextField(_("eligibility"), blank=True)
    served_district = models.ForeignKey(
        "org.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district served"),
        help_text=_("Empty: the whole city."),
    )
    served_street = models.ForeignKey(
        "org.Street",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("street served"),
        help_text=_("Empty: the whole district."),
    )
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=24, blank=True, validators=[validate_phone])
    address = models.CharField(_("address"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        city="city",
        district="district",
        agency="station__agency",
        station="station",
        change_roles=KEEPERS,
        create_roles=KEEPERS,
        public=Q(active=True),
    )

    class Meta:
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory of services")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="station", platform_station__isnull=False)
                | (~Q(kind="station") & Q(platform_station__isnull=True)),
                name="partner_platform_station_iff_station",
                violation_error_message=_(
                    "A station on the platform names its station; other kinds name none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(station__isnull=True) | Q(district__isnull=False),
                name="partner_station_entry_has_district",
                violation_error_message=_("A station's entry belongs to its district."),
            ),
            models.CheckConstraint(
                condition=Q(served_street__isnull=True) | Q(served_district__isnull=False),
                name="partner_street_within_district",
                violation_error_message=_("A street served needs its district."),
            ),
        ]
        indexes = [models.Index(fields=["city", "active", "served_district"])]

    def __str__(self) -> str:
        return self.name

    @property
    def domain_list(self) -> list[str]:
        return [d for d in self.domains.split(",") if d]

    def get_domains_display(self) -> str:
        labels = dict(Domain.choices)
        return "、".join(str(labels.get(d, d)) for d in self.domain_list)

    def clean(self) -> None:
        super().clean()
        unknown = set(self.domain_list) - set(Domain.values)
        if unknown:
            raise ValidationError({"domains": _("Unknown domain: %s") % ", ".join(sorted(unknown))})
        if (
            self.served_street_id
            and self.served_district_id
            and self.served_street.district_id != self.served_district_id
        ):
            raise ValidationError(
                {"served_street": _("This street is not in the district served.")}
            )


# The actions of the receiving station on a referral on the platform (`ReferralTrack.scope`).
RECEIVE = "receive"
ANSWER = "answer"  # accept or decline
SERVE = "serve"  # start the service, complete it with an outcome


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_SERVICE = "in_service", _("In service")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A referral still under way: the sender follows it up, an overdue date alerts.
OPEN_REFERRAL_STATUSES = (
    ReferralStatus.SENT,
    ReferralStatus.RECEIVED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.IN_SERVICE,
)


class ReferralOutcome(models.TextChoices):
    NEEDS_MET = "needs_met", _("Needs met")
    PARTLY_MET = "partly_met", _("Needs partly met")
    NOT_MET = "not_met", _("Needs not met")
    CLIENT_DECLINED = "client_declined", _("Client declined the service")


class SharedPart(models.TextChoices):
    """The parts of the case a referral shares (the resident's name and contact,
    and the reason, are always shared: the partner must be able to reach them)."""

    ASSESSMENT = "assessment", _("Latest assessment (needs, strengths, risk)")
    PLAN = "plan", _("Latest service plan (goals)")
    REVIEW = "review", _("Latest review (progress)")


class ReferralTrack(TimeStampedModel):
    """转介跟踪: the workflow of one referral (`cases.Referral`, the record in the
    sending case's file). To a station on the platform (`to_station`), whose
    staff receive, answer and serve it and read only `shared_text`; or to an
    outside organisation of the directory (`partner` without a platform
    station), which the sender follows up (`follow_up_on`) and whose outcome
    the sender records. See docs/referrals.md."""

    referral = models.OneToOneField(
        "cases.Referral", on_delete=models.CASCADE, related_name="track", verbose_name=_("referral")
    )
    # Copied from the case: the counts by station and domain read no case.
    from_station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("from station")
    )
    domain = models.CharField(_("domain"), max_length=10, choices=Domain.choices)
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("partner")
    )
    # The partner's platform station, copied: the receiving side's scope.
    to_station = models.ForeignKey(
        "org.Station",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to station"),
    )
    consent = models.ForeignKey(
        "clients.Consent", on_delete=models.PROTECT, related_name="+", verbose_name=_("consent")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    shared_parts = models.CharField(_("shared parts"), max_length=60, blank=True)
    # What the receiving side reads: a copy made when sent (name, contact,
    # reason and the chosen parts), never the case itself.
    shared_text = models.TextField(_("shared with the partner"))
    sent_on = models.DateField(_("sent on"))
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    started_on = models.DateField(_("service started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ReferralOutcome.choices, blank=True
    )
    outcome_note = models.TextField(_("outcome note"), blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    # The receiving station's staff, all of them (the inbox is the station's):
    # nobody else reads a track through this scope. The sender reads and acts
    # through the case file (`cases.Referral`'s content scope and its acts);
    # officials read counts only (`referrals.stats`).
    scope = Scope(
        station="to_station",
        acts={RECEIVE: STATION_STAFF, ANSWER: STATION_STAFF, SERVE: STATION_STAFF},
        hidden_from=STATION_STAFF_ONLY,
        superuser_sees=False,
        superuser_acts=frozenset(),
    )

    class Meta:
        verbose_name = _("referral workflow")
        verbose_name_plural = _("referral workflows")
        ordering = ["-sent_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="referral_decline_has_reason",
                violation_error_message=_("A declined referral gives its reason."),
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | ~Q(outcome=""),
                name="referral_completed_has_outcome",
                violation_error_message=_("A completed referral records its outcome."),
            ),
        ]
        indexes = [models.Index(fields=["to_station", "status"])]

    def __str__(self) -> str:
        return f"{self.referral.case} → {self.partner}"

    @property
    def on_platform(self) -> bool:
        return self.to_station_id is not None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REFERRAL_STATUSES

    @property
    def shared_part_list(self) -> list[str]:
        return [p for p in self.shared_parts.split(",") if p]
