"""What every page's template knows of the user beyond `user`: the sections of
their menu and home page (core.roles.SECTIONS), and the faint watermark of who is
looking and when (settings.PAGE_WATERMARK)."""

from django.conf import settings
from django.utils import timezone

from shegong.core.roles import sections_for


def sections(request) -> dict:
    return {"sections": sections_for(getattr(request, "user", None))}


def watermark(request) -> dict:
    """The user and the minute, laid faintly over every logged-in page (pages carry
    residents' personal data): a screenshot or a photo of the screen names who took
    it. A deployment turns it off with SHEGONG_PAGE_WATERMARK=0."""
    user = getattr(request, "user", None)
    if not settings.PAGE_WATERMARK or user is None or not user.is_authenticated:
        return {}
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    who = user.get_username()
    if getattr(user, "full_name", ""):
        who = f"{user.full_name} {who}"
    return {"page_watermark": f"{who} · {stamp}"}
