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
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from shegong.core import audit
from shegong.core.api import ScopedReadOnlyViewSet
from shegong.core.exports import FORMATS, tabular_response
from shegong.core.filtersets import SearchFilterSet
from shegong.core.models import AuditEntry
from shegong.core.roles import scope_name
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
    rows = [
        {
            "entry": entry,
            "label": visible_label(request.user, entry),
            "changes": visible_changes(request.user, entry),
        }
        for entry in page
    ]
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

    def rows():
        for entry in entries.iterator(chunk_size=2000):
            yield [
                entry.at.isoformat(),
                entry.username,
                entry.role,
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
