"""What going live needs to remember: when each scheduled command last ran, the
organisation units and previous-system records imported, activation links."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.core.roles import Role
from shegong.core.scope import Scope, ScopedQuerySet, station_scope

# Operational records of going live: no station, district or city owns them, so
# they are read by administrators (superusers) alone, and written by the services.
ADMINISTRATORS_ONLY = Scope()


class ScheduledRun(models.Model):
    """One run of a scheduled command (`shegong scheduled <command>`): the
    configuration check reads the latest to tell whether the timers work."""

    command = models.CharField(_("command"), max_length=40, db_index=True)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    succeeded = models.BooleanField(_("succeeded"))
    detail = models.TextField(_("detail"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ADMINISTRATORS_ONLY

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-finished_at"]
        indexes = [models.Index(fields=["command", "-finished_at"], name="scheduledrun_latest")]

    def __str__(self) -> str:
        return f"{self.command} {self.finished_at:%Y-%m-%d %H:%M}"


class OrgUnitKind(models.TextChoices):
    DISTRICT = "district", _("district")
    STREET = "street", _("street or town")
    COMMUNITY = "community", _("community")
    AGENCY = "agency", _("agency")
    STATION = "station", _("station")
    SERVICE_POINT = "service_point", _("service point")
    SPECIAL_PROJECT = "special_project", _("special project")
    CONTRACT = "contract", _("purchase-of-service contract")


class OrgUnitRecord(models.Model):
    """The organisation import's register of one unit of the tree: the code it is
    known by in the city's workbook (streets and communities have no code of
    their own in `org`) and, once it disappeared from a workbook and the import
    was confirmed, the day it was deactivated. Nothing is ever deleted."""

    kind = models.CharField(_("kind"), max_length=20, choices=OrgUnitKind.choices)
    object_id = models.BigIntegerField(_("object"))
    code = models.CharField(_("code"), max_length=40)
    deactivated_on = models.DateField(_("deactivated on"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ADMINISTRATORS_ONLY

    class Meta:
        verbose_name = _("organisation unit record")
        verbose_name_plural = _("organisation unit records")
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="orgunitrecord_unique_code"),
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="orgunitrecord_unique_object"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.code}"


class ActivationToken(models.Model):
    """A one-time link that lets an imported account set its first password. Only
    the token's hash is stored; the link is shown once, to the importing person."""

    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        related_name="activation_tokens",
        verbose_name=_("user"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = ADMINISTRATORS_ONLY

    class Meta:
        verbose_name = _("activation link")
        verbose_name_plural = _("activation links")

    def __str__(self) -> str:
        return f"{self.user} {self.expires_at:%Y-%m-%d}"


class MigratedKind(models.TextChoices):
    HOUSEHOLD = "household", _("household")
    RESIDENT = "resident", _("resident")
    VOLUNTEER = "volunteer", _("volunteer")
    CASE = "case", _("case")


# The import of the previous system's records is the officials' and the
# administrators' one-off act of going live, within their scope: a district officer
# loads the stations of the district. The station's own staff keep the records
# afterwards; what is imported is not shown to the officials (the residents' scope).
MIGRATION_ROLES = frozenset({Role.DISTRICT_OFFICER, Role.CITY_OFFICER})


class MigratedRecord(models.Model):
    """The records import's register: the code one record had in the city's
    previous system, at its station, and the record it became here, so that
    importing the same file again finds every row's record instead of adding it
    twice. Its Scope declares who may import the records of a station."""

    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MigratedKind.choices)
    code = models.CharField(_("code in the previous system"), max_length=40)
    object_id = models.BigIntegerField(_("object"))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope = station_scope(
        change_roles=MIGRATION_ROLES,
        create_roles=MIGRATION_ROLES,
        hidden_from=frozenset(
            {Role.SOCIAL_WORKER, Role.STATION_DIRECTOR, Role.AGENCY_MANAGER, Role.EVALUATOR}
        ),
    )

    class Meta:
        verbose_name = _("migrated record")
        verbose_name_plural = _("migrated records")
        constraints = [
            models.UniqueConstraint(
                fields=["station", "kind", "code"], name="migratedrecord_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.code}"
