"""Access helpers used by views, API viewsets, exports and commands.

They only combine `core.scope.restrict`; no rule lives here.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from shegong.core.scope import CHANGE, CREATE, VIEW, can, may, restrict


def get_visible_or_404(source: type[models.Model] | models.QuerySet, user: Any, **lookup: Any):
    """The object if `user` may see it; 404 otherwise, exactly as if it did not exist."""
    queryset = source._default_manager.all() if isinstance(source, type) else source
    try:
        return restrict(queryset, user, VIEW).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such record.")) from None


def require_change(user: Any, obj: models.Model, action: str = CHANGE) -> None:
    """403 for an insider who may read `obj` but not change it (or not perform
    the scope's named `action` on it). Call it before reading the request's
    input, so that the refusal does not depend on what was sent."""
    if not can(user, action, obj):
        raise PermissionDenied(_("You may view this record but not change it."))


def require_create(user: Any, model: type[models.Model]) -> None:
    """403 for a user whose role may not create `model` rows, before any input
    is read (the new row's place is re-checked by `ensure_visible`)."""
    if not may(user, CREATE, model):
        raise PermissionDenied(_("Your role cannot do this."))


def ensure_visible(user: Any, obj: models.Model) -> None:
    """Call inside the write's transaction, after saving: the saved object must
    still be within the user's scope, or the whole write is refused and rolled
    back. Nobody moves a record into a station they cannot see."""
    if not can(user, VIEW, obj):
        raise PermissionDenied(_("The result would be outside your scope."))
