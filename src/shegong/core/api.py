"""API plumbing shared by every app: the scoped viewset, its permission and the
error handler. The rules themselves live in `core.scope`."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from shegong.core.access import ensure_visible
from shegong.core.scope import VIEW, restrict


def _drf_errors(errors: dict) -> dict:
    """Django's model errors under DRF's key for errors of no single field, so a
    constraint message lands where DRF's own validators put theirs."""
    errors = dict(errors)
    if NON_FIELD_ERRORS in errors:
        errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
    return errors


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key that accepts only objects the caller can see, so that an
    out-of-scope id reads as 'does not exist' and leaks nothing."""

    def get_queryset(self):
        request = self.context.get("request")
        return restrict(super().get_queryset(), getattr(request, "user", None), VIEW)


class CleanModelSerializer(serializers.ModelSerializer):
    """Runs the model's own validation (`full_clean`: field rules, unique and
    check constraints with their messages) before anything is saved."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        plain = {k: v for k, v in attrs.items() if not model._meta.get_field(k).many_to_many}
        if self.instance is not None:
            candidate = model(
                **{
                    f.attname: getattr(self.instance, f.attname)
                    for f in model._meta.concrete_fields
                }
            )
            for key, value in plain.items():
                setattr(candidate, key, value)
            # A saved row, not a new one: otherwise unique checks find the row
            # itself and every update of an existing record is refused.
            candidate._state.adding = False
            candidate._state.db = self.instance._state.db
        else:
            candidate = model(**plain)
        try:
            candidate.full_clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                _drf_errors(serializers.as_serializer_error(exc))
            ) from exc
        return attrs


class ScopedModelViewSet(viewsets.ModelViewSet):
    """A model viewset whose rows are always `Model.objects.visible_to(user)` and
    whose writes run in one transaction that re-checks scope after saving."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    # The scope action a write needs (core.permissions.scope_action); an extra
    # action sets it with `@action(..., scope_action="...")`.
    scope_action: str | None = None

    def get_queryset(self):
        return restrict(super().get_queryset(), self.request.user, VIEW)

    def perform_create(self, serializer):
        with transaction.atomic():
            ensure_visible(self.request.user, serializer.save())

    def perform_update(self, serializer):
        with transaction.atomic():
            ensure_visible(self.request.user, serializer.save())


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only by default; a subclass that mixes in writes or adds write
    actions gets the same permission check as `ScopedModelViewSet`."""

    scope_action: str | None = None

    def get_queryset(self):
        return restrict(super().get_queryset(), self.request.user, VIEW)


def exception_handler(exc, context):
    """DRF's handler, plus the Django errors a model layer raises, so that bad
    input is a 4xx with a readable message and never a 500."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = _drf_errors(exc.message_dict)
        else:
            detail = {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": _("The request body is too large.")},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, TooManyFieldsSent):
        return Response({"detail": _("Too many fields.")}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        # DRF takes the challenge from the first authentication class; session
        # authentication has none, so missing or bad credentials would read as
        # 403 "forbidden". Tell the caller to authenticate, with a token.
        exc.status_code = status.HTTP_401_UNAUTHORIZED
        exc.auth_header = TokenAuthentication.keyword
    return drf_exception_handler(exc, context)
