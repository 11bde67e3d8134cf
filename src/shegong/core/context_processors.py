"""What every page's template knows of the user beyond `user`: the sections of
their menu and home page (core.roles.SECTIONS)."""

from shegong.core.roles import sections_for


def sections(request) -> dict:
    return {"sections": sections_for(getattr(request, "user", None))}
