"""The main menu, rendered once per process for each role, set of flags and language.

The menu depends on nothing but the user's role (its sections, core.roles.SECTIONS,
and the actions its scope allows), the superuser and staff flags, the language and the
URL prefix, all fixed while the process runs (a new deployment restarts it): no data,
so nothing to invalidate. It was a tenth of the cheapest logged-in page's time."""

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import translation

from shegong.core.roles import sections_for

register = template.Library()

_rendered: dict[tuple, str] = {}


@register.simple_tag(takes_context=True)
def main_menu(context) -> str:
    user = context["user"]
    key = (
        user.role,
        user.is_superuser,
        user.is_staff,
        user.is_active,
        translation.get_language(),
        get_script_prefix(),
    )
    html = _rendered.get(key)
    if html is None:
        html = render_to_string("core/_menu.html", {"user": user, "sections": sections_for(user)})
        _rendered[key] = html
    return html
