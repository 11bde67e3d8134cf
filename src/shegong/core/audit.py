"""The audit log 审计日志: who changed what, when, from where.

One mechanism. A model is audited by one line, `register(Model, exclude=…,
redact=…)`, in the model's app's `AppConfig.ready()`; its pre_save/post_save/pre_delete/
post_delete/m2m_changed signals then write one `AuditEntry` (one INSERT) per
create, update and delete, whatever path saved it: web form, API, admin, service,
command. An update costs one extra SELECT (the row as it was) and writes only
the fields that changed; a save that changed nothing writes nothing.

Who did it comes from the request (`AuditContextMiddleware` keeps the request in
a context variable; the user is read when the entry is written, so DRF's token
authentication is seen too) or, outside a request, from `acting_as(...)` or the
management command's name ("system:<command>").

What is NOT seen by signals, by design (they are the bulk paths that must stay
fast): `QuerySet.update()`, `bulk_create()`, raw SQL and the importer's
executemany. Services that change records that way call `record(...)` or
`record_update(...)` themselves, or wrap the whole run in `bulk(...)`, which
counts the per-row changes into one summary entry (the demo generator).

The entries are append-only from the application (see `AuditEntry`); retention
and the limits of that guarantee are in docs/architecture.md "Audit".
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import sys
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from shegong.core.http import client_ip

# Shown instead of the value of a sensitive field (ID numbers, password hashes,
# confidential case text): the entry says that it changed, never what to.
REDACTED = "changed"
# Never worth an entry of their own: they change on every save.
ALWAYS_EXCLUDED = frozenset({"created_at", "updated_at", "version"})
REPR_LENGTH = 200

_request: ContextVar[Any] = ContextVar("audit_request", default=None)
_actor: ContextVar[tuple[Any, str] | None] = ContextVar("audit_actor", default=None)
_bulk: ContextVar[defaultdict | None] = ContextVar("audit_bulk", default=None)


@dataclass(frozen=True)
class Registration:
    model: type[models.Model]
    exclude: frozenset[str]
    redact: frozenset[str]
    label: Callable[[models.Model], str] | None
    station_path: str | None

    @property
    def fields(self) -> list[models.Field]:
        return [
            f
            for f in self.model._meta.concrete_fields
            if f.name not in self.exclude and not f.primary_key
        ]


_registry: dict[type[models.Model], Registration] = {}


def register(
    model: type[models.Model],
    *,
    exclude: Iterable[str] = (),
    redact: Iterable[str] = (),
    label: Callable[[models.Model], str] | None = None,
    station: str | None = None,
) -> None:
    """Audit every create, update and delete of `model`.

    `exclude`: fields never recorded; `redact`: fields recorded as "changed"
    without their values; `label`: the short text naming a row (default str());
    `station`: lookup to the row's station, by default the model's scope's."""
    if station is None:
        paths = model.scope.paths("station") if hasattr(model, "scope") else ()
        station = paths[0] if paths else None
    registration = Registration(
        model=model,
        exclude=ALWAYS_EXCLUDED | frozenset(exclude),
        redact=frozenset(redact),
        label=label,
        station_path=station,
    )
    _registry[model] = registration
    uid = f"audit:{model._meta.label}"
    pre_save.connect(_pre_save, sender=model, dispatch_uid=uid)
    post_save.connect(_post_save, sender=model, dispatch_uid=uid)
    pre_delete.connect(_pre_delete, sender=model, dispatch_uid=uid)
    post_delete.connect(_post_delete, sender=model, dispatch_uid=uid)
    for field in model._meta.local_many_to_many:
        m2m_changed.connect(
            _m2m_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}:{field.name}"
        )


def registered_models() -> list[type[models.Model]]:
    return list(_registry)


# --- Who and where -----------------------------------------------------------------


@contextlib.contextmanager
def request_context(request) -> Iterator[None]:
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


@contextlib.contextmanager
def acting_as(user: Any = None, label: str = "") -> Iterator[None]:
    """Attribute the entries written inside to `user` (or to `label` for the
    system), e.g. a command that imports a file for a named user."""
    token = _actor.set((user, label or (user.get_username() if user else "system")))
    try:
        yield
    finally:
        _actor.reset(token)


def _system_label() -> str:
    """'system:<command>' when running as `shegong <command>` / manage.py."""
    program = Path(sys.argv[0]).name if sys.argv else ""
    if program in {"shegong", "manage.py", "django-admin"} and len(sys.argv) > 1:
        return f"system:{sys.argv[1]}"
    return "system"


def current_actor() -> tuple[Any, str, str | None]:
    """(user, label, IP) of whoever is acting now: a command's override, the
    request's user, or the system."""
    override = _actor.get()
    request = _request.get()
    ip = client_ip(request) if request is not None else None
    if override is not None:
        user, label = override
        return user, label, ip
    if request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user, user.get_username(), ip
        return None, "", ip
    return None, _system_label(), None


# --- Writing -----------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, FieldFile):  # its name: a file without a URL has one too
        return value.name
    return str(value)


def record(
    action: str,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    object_repr: str = "",
    station_id: int | None = None,
    changes: dict | None = None,
    detail: dict | None = None,
    user: Any = None,
    username: str = "",
):
    """Write one entry. The actor and IP come from the current request or command
    unless `user`/`username` are given (log-in failures name who was tried)."""
    from shegong.core.models import AuditEntry

    actor, label, ip = current_actor()
    if user is not None or username:
        actor, label = user, username or user.get_username()
    if obj is not None:
        registration = _registry.get(type(obj))
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or _label(registration, obj)
        if station_id is None and registration is not None:
            station_id = _station_id(registration, obj)
    return AuditEntry.objects.create(
        user=actor if actor is not None and getattr(actor, "pk", None) else None,
        username=(label or "")[:150],
        role=getattr(actor, "role", "") or ("admin" if getattr(actor, "is_superuser", 0) else ""),
        ip=ip,
        action=action,
        object_type=object_type,
        object_id="" if object_id in (None, "") else str(object_id),
        object_repr=(object_repr or "")[:REPR_LENGTH],
        station_id=station_id,
        changes=changes or {},
        detail=detail or {},
    )


def _label(registration: Registration | None, obj: models.Model) -> str:
    try:
        if registration is not None and registration.label is not None:
            return str(registration.label(obj))[:REPR_LENGTH]
        return str(obj)[:REPR_LENGTH]
    except Exception:  # a label must never break the write it describes
        return f"{obj._meta.model_name} #{obj.pk}"


def _station_id(registration: Registration, obj: models.Model) -> int | None:
    path = registration.station_path
    if not path:
        return None
    if path == "self":
        return obj.pk
    *hops, last = path.split("__")
    target: Any = obj
    try:
        for hop in hops:
            target = getattr(target, hop)
            if target is None:
                return None
        return getattr(target, f"{last}_id")
    except Exception:  # a parent already deleted in a cascade, a broken link
        return None


def _snapshot(registration: Registration, values: dict[str, Any]) -> dict[str, Any]:
    """A row's non-empty fields as [before, after] pairs for a create (before
    None); the caller flips them for a delete."""
    out = {}
    for field in registration.fields:
        value = values.get(field.attname)
        if value in (None, ""):
            continue
        if field.name in registration.redact:
            out[field.name] = REDACTED
        else:
            out[field.name] = [None, _jsonable(value)]
    return out


def _row(instance: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _count_bulk(counts: defaultdict, model: type[models.Model], action: str) -> None:
    counts[model._meta.label_lower][action] += 1


# --- Signal receivers ---------------------------------------------------------------


def _pre_save(sender, instance, raw=False, using=None, update_fields=None, **kwargs):
    if raw or _bulk.get() is not None or instance.pk is None:
        return
    registration = _registry[sender]
    fields = registration.fields
    if update_fields is not None:
        fields = [f for f in fields if f.name in update_fields or f.attname in update_fields]
    if not fields:
        instance._audit_before = {}
        return
    before = (
        sender._base_manager.using(using)
        .filter(pk=instance.pk)
        .values(*[f.attname for f in fields])
        .first()
    )
    instance._audit_before = before  # None: a new row with a preset key


def _post_save(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    counts = _bulk.get()
    registration = _registry[sender]
    before = instance.__dict__.pop("_audit_before", None)
    notes = instance.__dict__.pop("_audit_notes", {})
    if created or before is None:
        if counts is not None:
            _count_bulk(counts, sender, "create")
            return
        instance._audit_created = True
        changes = _snapshot(registration, _row(instance))
        changes.update({name: [None, after] for name, (_before, after) in notes.items()})
        record("create", obj=instance, changes=changes)
        return
    if counts is not None:
        _count_bulk(counts, sender, "update")
        return
    changes = {name: [old, new] for name, (old, new) in notes.items() if old != new}
    for field in registration.fields:
        if field.attname not in before:
            continue
        old, new = before[field.attname], getattr(instance, field.attname)
        if old == new:
            continue
        if field.name in registration.redact:
            changes[field.name] = REDACTED
        else:
            changes[field.name] = [_jsonable(old), _jsonable(new)]
    if changes:
        record("update", obj=instance, changes=changes)


def _pre_delete(sender, instance, **kwargs):
    if _bulk.get() is not None:
        return
    registration = _registry[sender]
    # While the row and its parents still exist.
    instance._audit_deleting = (
        _station_id(registration, instance),
        _label(registration, instance),
        instance.pk,
    )


def _post_delete(sender, instance, origin=None, **kwargs):
    counts = _bulk.get()
    if counts is not None:
        _count_bulk(counts, sender, "delete")
        return
    # A row deleted because its registered parent was (a cascade) is counted in
    # the parent's entry, which Django writes after its children's.
    if (
        isinstance(origin, models.Model)
        and origin is not instance
        and type(origin) in _registry
        and not getattr(origin, "_audit_deleted", False)
    ):
        cascade = origin.__dict__.setdefault("_audit_cascade", Counter())
        cascade[sender._meta.label_lower] += 1
        return
    registration = _registry[sender]
    station_id, label, pk = instance.__dict__.pop("_audit_deleting", (None, "", instance.pk))
    snapshot = {
        name: (pair if pair == REDACTED else [pair[1], None])
        for name, pair in _snapshot(registration, _row(instance)).items()
    }
    cascade = instance.__dict__.pop("_audit_cascade", None)
    instance._audit_deleted = True
    record(
        "delete",
        object_type=sender._meta.label_lower,
        object_id=pk,
        object_repr=label,
        station_id=station_id,
        changes=snapshot,
        detail={"cascade": dict(cascade)} if cascade else None,
    )


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if reverse or type(instance) not in _registry:
        return
    counts = _bulk.get()
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if counts is not None:
        _count_bulk(counts, type(instance), "update")
        return
    # The links set while creating the row are part of its creation.
    if getattr(instance, "_audit_created", False):
        return
    field = next(
        (f for f in type(instance)._meta.local_many_to_many if f.remote_field.through is sender),
        None,
    )
    if field is None or (action != "post_clear" and not pk_set):
        return
    what = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    change = True if action == "post_clear" else sorted(_jsonable(pk) for pk in pk_set)
    record("update", obj=instance, changes={field.name: {what: change}})


# --- Explicit entries for paths that bypass the signals ------------------------------


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The audited fields of `instance` as they are now, for `record_update`."""
    registration = _registry[type(instance)]
    return {f.attname: getattr(instance, f.attname) for f in registration.fields}


def note(instance: models.Model, **changes: tuple[Any, Any]) -> None:
    """Add (before, after) pairs to the entry that the next save of `instance`
    writes: changes to rows written in bulk along with it (e.g. an event's
    attendance), so that one change stays one entry."""
    notes = instance.__dict__.setdefault("_audit_notes", {})
    for name, (before, after) in changes.items():
        notes[name] = (_jsonable(before), _jsonable(after))


def record_update(instance: models.Model, before: dict[str, Any]) -> None:
    """One update entry for a change written with QuerySet.update() (e.g. an
    optimistic-locking UPDATE … WHERE version = n)."""
    if _bulk.get() is not None:
        _count_bulk(_bulk.get(), type(instance), "update")
        return
    instance._audit_before = before
    _post_save(type(instance), instance, created=False)


@contextlib.contextmanager
def bulk(action: str, label: str, **detail: Any) -> Iterator[defaultdict]:
    """Count the per-row changes made inside into ONE summary entry, written when
    the block succeeds (e.g. the demo generator: thousands of rows, one entry)."""
    counts: defaultdict = defaultdict(Counter)
    token = _bulk.set(counts)
    try:
        yield counts
    finally:
        _bulk.reset(token)
    record(
        action,
        object_repr=label,
        detail={**detail, "counts": {k: dict(v) for k, v in sorted(counts.items())}},
    )


# --- Log-in, log-out ---------------------------------------------------------------


def _on_login(sender, request, user, **kwargs):
    with request_context(request):
        record("login", user=user, station_id=getattr(user, "station_id", None))


def _on_logout(sender, request, user, **kwargs):
    if user is None:
        return
    with request_context(request):
        record(
            "logout",
            user=user,
            station_id=getattr(user, "station_id", None),
            detail=getattr(request, "audit_logout_reason", None),
        )


def _on_login_failed(sender, credentials, request=None, **kwargs):
    from django.contrib.auth import get_user_model

    username_field = get_user_model().USERNAME_FIELD
    tried = str(credentials.get(username_field) or credentials.get("username") or "")[:150]
    with request_context(request) if request is not None else contextlib.nullcontext():
        # Who was tried, never whether that account exists (the entry reads the
        # same for an unknown name); the viewer shows the name as typed.
        record("login_failed", username=tried or "?")


def connect_auth_signals() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="audit:login")
    user_logged_out.connect(_on_logout, dispatch_uid="audit:logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="audit:login_failed")
