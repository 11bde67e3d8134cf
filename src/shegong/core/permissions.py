"""The API's default permission. Kept apart from `core.api` because DRF imports
it while its own modules are still loading."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from shegong.core.scope import CHANGE, CREATE, can, may


def scope_action(view) -> str:
    """The scope action a write through `view` needs: the one its `@action`
    declares (`scope_action="decide"`), else change for a write on one record
    (update, partial update, delete, a detail action) and create for a write on
    the collection (create, a list action)."""
    declared = getattr(view, "scope_action", None)
    if declared:
        return declared
    return CHANGE if getattr(view, "detail", False) else CREATE


def scoped_model(view):
    """The model whose scope decides the writes through `view`: its queryset's
    model, or the `scope_model` it names; None when it has neither."""
    model = getattr(view, "scope_model", None)
    if model is None:
        queryset = getattr(view, "queryset", None)
        model = queryset.model if queryset is not None else None
    return model if model is not None and hasattr(model, "scope") else None


class ScopedPermission(permissions.BasePermission):
    """Logged-in users only; writes need the role's right for the write's scope
    action, checked before the request body is read: a user who may see the
    record but not do this gets 403 whatever they send (an outsider 404, since
    the viewset's queryset does not contain the record; only a user who may act
    and sends bad input gets 400).
    """

    message = _("You may view this record but not change it.")

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if hasattr(view, "action_map") and view.action is None:
            # A method the viewset does not route: DRF answers 405.
            return True
        model = scoped_model(view)
        if model is None:
            # Fails closed: a write through a view that names no scoped model is
            # refused. A view whose writes are checked another way says so with
            # its own permission_classes.
            self.message = _("Your role cannot do this.")
            return False
        if getattr(view, "detail", False):
            # Checked on the record itself (has_object_permission).
            return True
        self.message = _("Your role cannot do this.")
        return may(request.user, scope_action(view), model)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return can(request.user, scope_action(view), obj)
