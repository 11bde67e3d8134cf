"""The optimistic lock the evaluation's writes share (a stale version is an edit
conflict). Who may act at all is asked of the models' Scope through
core.access.require."""

from __future__ import annotations

from django.db.models import F

from shegong.core.errors import EditConflict


def check_version(obj, version: int | None) -> None:
    if version is not None and version != obj.version:
        raise EditConflict()


def bump(obj) -> None:
    obj.version = F("version") + 1


def locked(model, pk: int):
    return model.objects.select_for_update().get(pk=pk)
