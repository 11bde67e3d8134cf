"""Shared model pieces: statistical domains, the timestamp base, the access log,
the audit log."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.core.roles import Role
from shegong.core.scope import Scope, ScopedQuerySet


class Domain(models.TextChoices):
    """The four statistical domains every person-time belongs to (docs/domain.md "Person-times")."""

    FAMILY = "family", _("Family")
    ELDERLY = "elderly", _("Elderly")
    YOUTH = "youth", _("Youth")
    FEATURED = "featured", _("Featured")


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        """`full_clean` without a query per foreign key whose row the service
        already holds: a related object read from the database (or saved) and
        attached to this one exists, so Django's check that it does
        (`ForeignKey.validate`, one SELECT each) is skipped for it. Keys with
        `limit_choices_to` or validators are still checked, and the database's
        foreign-key constraint stays the last word."""
        return super().clean_fields(exclude=set(exclude or ()) | loaded_relations(self))


def loaded_relations(instance: models.Model) -> set[str]:
    """The names of `instance`'s foreign keys whose related row is attached,
    persisted and the one the key points to."""
    names = set()
    cache = instance._state.fields_cache
    for field in instance._meta.concrete_fields:
        if not field.many_to_one or field.name not in cache:
            continue
        if field.remote_field.limit_choices_to or field.validators:
            continue
        related = cache[field.name]
        if related is None or related._state.adding:
            continue
        if getattr(related, field.target_field.attname) == getattr(instance, field.attname):
            names.add(field.name)
    return names


class AccessLog(models.Model):
    """A read of sensitive personal data: a priority client's case file, a revealed
    ID number. Written by the application, never edited; directors review their
    station's entries, city officers the whole city's."""

    class Action(models.TextChoices):
        READ_CASE_FILE = "read_case_file", _("Read a case file")
        REVEAL_ID_NUMBER = "reveal_id_number", _("Revealed an ID number")
        READ_ROSTER_PERSON = "read_roster_person", _("Opened a roster person's page")
        EXPORT_SUBJECT_DATA = "export_subject", _("Exported a person's data on request")
        EXPORT_PERSONAL = "export_personal", _("Exported personal data")
        REVEAL_PHONE = "reveal_phone", _("Revealed a sampled client's phone number")
        DOWNLOAD_DOCUMENT = "download_document", _("Downloaded a case document")
        DOWNLOAD_RESIDENT_DOCUMENT = "download_resident", _("Downloaded a resident's document")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    station = models.ForeignKey(
        "org.Station", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    object_type = models.CharField(_("record type"), max_length=30)
    object_id = models.PositiveBigIntegerField(_("record"))
    object_label = models.CharField(_("record label"), max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(
        city="station__street__district__city",
        station="station",
        hidden_from=frozenset(
            {Role.SOCIAL_WORKER, Role.AGENCY_MANAGER, Role.DISTRICT_OFFICER, Role.EVALUATOR}
        ),
    )

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.object_label}"


class AppendOnlyError(Exception):
    """Audit entries are written once and never changed or deleted by the application."""


class AuditQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit entries cannot be deleted")

    def prune(self) -> int:
        """Delete these entries in one statement. Only `shegong audit_prune` calls
        this, after checking the retention period."""
        return self._raw_delete(self.db)


class AuditEntry(models.Model):
    """One change or security event (core.audit). Append-only: the model refuses
    updates and deletes, the admin is read-only, the API has no writes."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Log-in failed")
        LOGOUT = "logout", _("Logged out")
        ACCESS_DENIED = "access_denied", _("Access refused")
        EXPORT = "export", _("Exported")
        IMPORT = "import", _("Imported")
        BULK = "bulk", _("Bulk change")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # No database constraint and no cascade: deleting a user or a station must
    # neither be blocked by its history nor rewrite it.
    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("record type"), max_length=100, blank=True)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    object_repr = models.CharField(_("record label"), max_length=200, blank=True)
    station = models.ForeignKey(
        "org.Station",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("station"),
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    detail = models.JSONField(_("detail"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditQuerySet.as_manager()
    scope = Scope(
        station="station",
        everything_roles=frozenset({Role.CITY_OFFICER}),
        # Read by city officers and station directors only (and superusers); a
        # system administrator's account without superuser status reads none.
        hidden_from=frozenset(
            {
                Role.SOCIAL_WORKER,
                Role.AGENCY_MANAGER,
                Role.DISTRICT_OFFICER,
                Role.EVALUATOR,
                Role.ADMIN,
            }
        ),
    )

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["station", "at"]),
            models.Index(fields=["user", "at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be deleted")


class Job(models.Model):
    """A piece of work run in the background (a web import...): who started it,
    how far it has got and what came of it. Its kinds are registered by the
    domain apps (core.jobs); the queue that runs it is django-tasks."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=40)
    # Empty for a run of the system (a scheduled command): administrators see those.
    owner = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    station = models.ForeignKey(
        "org.Station",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("station"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    params = models.JSONField(_("parameters"), default=dict, encoder=DjangoJSONEncoder)
    # The starter's language: the worker writes the result's messages in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True, encoder=DjangoJSONEncoder)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope = Scope(owner="owner", unowned_to_superusers=True, acts={"retry": frozenset(Role)})

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "kind", "-created_at"], name="job_owner_kind")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ArchivedPartition(models.Model):
    """A year of a partitioned history table detached for archiving on PostgreSQL
    (`shegong partitions --detach`, core/partitioning.py). Its statistics stay in
    the rollups, which the drift check and the rebuild then leave alone."""

    table = models.CharField(_("table"), max_length=63)
    year = models.PositiveSmallIntegerField(_("year"))
    rows = models.PositiveBigIntegerField(_("rows"), default=0)
    detached_at = models.DateTimeField(_("detached"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    # Operations' own register: administrators only (an empty scope).
    scope = Scope()

    class Meta:
        verbose_name = _("archived partition")
        verbose_name_plural = _("archived partitions")
        constraints = [
            models.UniqueConstraint(fields=["table", "year"], name="archived_partition_once")
        ]

    def __str__(self) -> str:
        return f"{self.table} {self.year}"
