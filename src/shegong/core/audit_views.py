"""The audit log viewer 审计日志 (web page, CSV/Excel export, read-only API).

City officers see every entry, station directors the entries of their station
(`AuditEntry.scope`); everyone else is refused (403). For officials, the values
of personal data they may not read elsewhere (residents, cases: their models'
scope hides them from the role) are reduced to the names of the changed fields.
"""

from __future__ import annotations

import json
from typing import Any

import django_filters
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.shortcuts import render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from shegong.core import audit
from shegong.core.api import ScopedReadOnlyViewSet
from shegong.core.exports import FORMATS, tabular_response
from shegong.core.filtersets import SearchFilterSet
from shegong.core.lists import Paginator
from shegong.core.models import AuditEntry
from shegong.core.roles import Role, scope_name
from shegong.core.scope import VIEW, may, restrict

PAGE_SIZE = 50


def may_view_audit_log(user) -> bool:
    # The roles the entries are hidden from (AuditEntry's Scope) get 403, not an
    # empty page.
    return may(user, VIEW, AuditEntry)


def _model_choices() -> list[tuple[str, str]]:
    return sorted(
        (model._meta.label_lower, str(model._meta.verbose_name))
        for model in audit.registered_models()
    )


class AuditEntryFilterSet(SearchFilterSet):
    search_fields = ("username", "object_repr", "object_id")
    user = django_filters.CharFilter(
        field_name="username", lookup_expr="iexact", label=gettext_lazy("User name")
    )
    model = django_filters.ChoiceFilter(
        field_name="object_type", choices=_model_choices, label=gettext_lazy("Record type")
    )
    since = django_filters.DateFilter(
        field_name="at__date", lookup_expr="gte", label=gettext_lazy("From")
    )
    until = django_filters.DateFilter(
        field_name="at__date", lookup_expr="lte", label=gettext_lazy("Until")
    )

    class Meta:
        model = AuditEntry
        fields = ["q", "user", "action", "model", "station", "object_id", "since", "until"]


def _values_hidden_from(viewer, object_type: str) -> bool:
    """Whether the viewer's role may not read records of this type at all: the
    entry then shows which fields changed, not their values."""
    if viewer.is_superuser or not object_type:
        return False
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return False
    return hasattr(model, "scope") and not may(viewer, VIEW, model)


def visible_changes(viewer, entry: AuditEntry) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for display; before/after None when hidden."""
    hidden = _values_hidden_from(viewer, entry.object_type)
    rows = []
    for name, change in (entry.changes or {}).items():
        if hidden:
            rows.append((name, None, None))
        elif isinstance(change, list) and len(change) == 2:
            rows.append((name, change[0], change[1]))
        else:
            rows.append((name, None, change))
    return rows


def visible_label(viewer, entry: AuditEntry) -> str:
    if _values_hidden_from(viewer, entry.object_type):
        return f"#{entry.object_id}" if entry.object_id else ""
    return entry.object_repr


def _changes_text(rows: list[tuple[str, Any, Any]]) -> str:
    return json.dumps(
        {name: [before, after] if before is not None else after for name, before, after in rows},
        ensure_ascii=False,
    )


# --- Display: verbose names, choice labels and object names ---------------------------


def _model(object_type: str):
    try:
        return apps.get_model(object_type) if object_type else None
    except (LookupError, ValueError):
        return None


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _related_names(viewer, wanted: dict[type, set]) -> dict[tuple[type, str], str]:
    """The names of the related objects the page's changes point at, one query
    per related model, read through the viewer's scope: what the viewer may not
    read stays a number."""
    names = {}
    for model, pks in wanted.items():
        queryset = model._default_manager.filter(pk__in=pks)
        if hasattr(model, "scope"):
            queryset = restrict(queryset, viewer, VIEW)
        for obj in queryset:
            names[(model, str(obj.pk))] = str(obj)
    return names


def _shown(field, value, names) -> str:
    if value is None or value == "":
        return "∅"
    if field is None:
        return str(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field.is_relation and field.related_model is not None:
        return names.get((field.related_model, str(value)), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def displayed_rows(viewer, entries) -> list[dict]:
    """Each entry as the page shows it: the role's and the record type's names,
    and each change as (field's verbose name, before, after) with choice labels
    and object names in place of codes and keys."""
    rows = [(entry, _model(entry.object_type), visible_changes(viewer, entry)) for entry in entries]
    wanted: dict[type, set] = {}
    for _entry, model, changes in rows:
        for name, before, after in changes:
            field = _field(model, name)
            if field is not None and field.is_relation and field.related_model is not None:
                for value in (before, after):
                    if value not in (None, "") and not isinstance(value, list | dict):
                        wanted.setdefault(field.related_model, set()).add(value)
    names = _related_names(viewer, wanted)
    roles = dict(Role.choices)
    shown = []
    for entry, model, changes in rows:
        displayed = []
        for name, before, after in changes:
            field = _field(model, name)
            # A field without a verbose name of its own (e.g. "created by") and a
            # note's name are looked up in the catalogue too.
            label = capfirst(_(str(field.verbose_name if field else name.replace("_", " "))))
            if before is None and after == audit.REDACTED:
                displayed.append((label, None, _("(changed)")))
            elif before is None and after is None:
                displayed.append((label, None, None))
            else:
                old = None if before is None else _shown(field, before, names)
                displayed.append((label, old, _shown(field, after, names)))
        shown.append(
            {
                "entry": entry,
                "label": visible_label(viewer, entry),
                "changes": displayed,
                "role": roles.get(entry.role, entry.role),
                "type": capfirst(model._meta.verbose_name) if model else entry.object_type,
            }
        )
    return shown


@login_required
def audit_log(request):
    if not may_view_audit_log(request.user):
        raise PermissionDenied(_("Only city officers and station directors read the audit log."))
    entries = restrict(AuditEntry.objects.all(), request.user, VIEW).select_related("station")
    filterset = AuditEntryFilterSet(request.GET, queryset=entries, request=request)
    entries = filterset.qs if filterset.is_valid() else entries.none()
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return _export(request.user, fmt, entries)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = displayed_rows(request.user, page)
    for field in filterset.form.fields.values():
        field.widget.attrs.setdefault("class", "form-control form-control-sm")
    return render(
        request,
        "core/audit_log.html",
        {"page": page, "rows": rows, "filter": filterset, "query": request.GET.urlencode()},
    )


def _export(viewer, fmt: str, entries):
    headers = [
        _("Time (UTC)"),
        _("User name"),
        _("Role"),
        _("IP address"),
        _("Action"),
        _("Record type"),
        _("Record"),
        _("Record label"),
        _("Station"),
        _("Changes"),
        _("Detail"),
    ]

    roles = dict(Role.choices)

    def rows():
        for entry in entries.iterator(chunk_size=2000):
            yield [
                entry.at.isoformat(),
                entry.username,
                str(roles.get(entry.role, entry.role)),
                entry.ip or "",
                entry.get_action_display(),
                entry.object_type,
                entry.object_id,
                visible_label(viewer, entry),
                entry.station.name if entry.station_id and entry.station else "",
                _changes_text(visible_changes(viewer, entry)),
                json.dumps(entry.detail or {}, ensure_ascii=False),
            ]

    return tabular_response(
        fmt, "audit-log", _("Audit log"), headers, rows(), scope=scope_name(viewer)
    )


# --- API (read-only) -------------------------------------------------------------------


class AuditEntrySerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display", read_only=True)
    object_repr = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "user",
            "username",
            "role",
            "ip",
            "action",
            "action_label",
            "object_type",
            "object_id",
            "object_repr",
            "station",
            "changes",
            "detail",
        ]
        read_only_fields = fields

    def _viewer(self):
        return self.context["request"].user

    def get_object_repr(self, entry) -> str:
        return visible_label(self._viewer(), entry)

    def get_changes(self, entry) -> dict:
        return json.loads(_changes_text(visible_changes(self._viewer(), entry)))


class AuditEntryViewSet(ScopedReadOnlyViewSet):
    """The audit log: city officers see every entry, directors their station's.
    Read-only: entries are written by the platform and never changed."""

    queryset = AuditEntry.objects.all()
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilterSet
    ordering_fields = ["at", "id"]
