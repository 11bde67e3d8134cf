"""Access helpers used by services, views, API viewsets, exports and commands.

They only combine `core.scope.restrict`; no rule lives here. Whoever acts asks
one of two questions: `require(user, action, obj)` on a saved record, or
`require_at(user, action, Model, station)` before the record exists. Both
answer 404 for what the user cannot see and 403 for what they see but may not
do; the action is one the model's `Scope` declares (change, create, or a named
act such as "assign" or "decide").
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from shegong.core.scope import VIEW, can, can_at, restrict


def get_visible_or_404(source: type[models.Model] | models.QuerySet, user: Any, **lookup: Any):
    """The object if `user` may see it; 404 otherwise, exactly as if it did not exist."""
    queryset = source._default_manager.all() if isinstance(source, type) else source
    try:
        return restrict(queryset, user, VIEW).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such record.")) from None


def require(user: Any, action: str, obj: models.Model, message: str | None = None) -> None:
    """Refuse unless `user` may perform `action` on the saved `obj`: 404 when the
    record is outside their scope (as if it did not exist), 403 when they may
    read it but not do this. Call it before reading the request's input, so that
    the refusal does not depend on what was sent."""
    if can(user, action, obj):
        return
    if action == VIEW or not can(user, VIEW, obj):
        raise Http404(_("No such record."))
    raise PermissionDenied(message or _("You may view this record but not change it."))


def require_at(
    user: Any,
    action: str,
    model: type[models.Model],
    station: models.Model | None,
    message: str | None = None,
) -> None:
    """Refuse unless `user` may perform `action` on a new `model` row placed at
    `station` (`core.scope.can_at`): 403 with `message` (or a generic one).
    The saved row is re-checked by `ensure_visible` inside the transaction."""
    if not can_at(user, action, model, station):
        raise PermissionDenied(message or _("Your role cannot do this."))


def ensure_visible(user: Any, obj: models.Model) -> None:
    """Call inside the write's transaction, after saving: the saved object must
    still be within the user's scope, or the whole write is refused and rolled
    back. Nobody moves a record into a station they cannot see."""
    # The row's own columns as saved; related objects read before the write are
    # asked again (`loaded=False`), in case they changed meanwhile.
    if not can(user, VIEW, obj, loaded=False):
        raise PermissionDenied(_("The result would be outside your scope."))
