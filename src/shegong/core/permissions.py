"""The API's default permission. Kept apart from `core.api` because DRF imports
it while its own modules are still loading."""

from rest_framework import permissions

from shegong.core.scope import CHANGE, can, may_create


class ScopedPermission(permissions.BasePermission):
    """Logged-in users only; writes need the role's change/create right.

    Reads of objects out of scope never reach here: the viewset's queryset does
    not contain them, so DRF answers 404.
    """

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        model = getattr(view, "queryset", None)
        model = model.model if model is not None else None
        if getattr(view, "action", None) == "create" and model is not None:
            return may_create(request.user, model)
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return can(request.user, CHANGE, obj)
