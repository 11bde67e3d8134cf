"""What the programmes' endpoints share."""

from __future__ import annotations

from shegong.org.models import Station


def valid_input(serializer_class, request, view, partial: bool = False) -> dict:
    serializer = serializer_class(
        data=request.data, context=view.get_serializer_context(), partial=partial
    )
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def station_of(user) -> Station:
    """The caller's own station, where the programmes' records are created (who
    may create them at all was decided by ScopedPermission before the body was read)."""
    return user.station
