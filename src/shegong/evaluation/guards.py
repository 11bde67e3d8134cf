"""The refusals the evaluation's writes share: the scope's action and the
optimistic lock (a stale version is an edit conflict). Who may act at all is
asked of the models' Scope through core.access."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.errors import EditConflict
from shegong.core.scope import can


def require_action(actor: User, action: str, obj) -> None:
    if not can(actor, action, obj):
        raise PermissionDenied(_("You may view this record but not change it."))


def check_version(obj, version: int | None) -> None:
    if version is not None and version != obj.version:
        raise EditConflict()


def bump(obj) -> None:
    obj.version = F("version") + 1


def locked(model, pk: int):
    return model.objects.select_for_update().get(pk=pk)
