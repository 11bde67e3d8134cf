"""Unbound forms rendered once per process, for the form pages opened many times a
day (the registration form is the cheapest page of a social worker's day, and half
of its time was building and rendering the 13 fields).

An unbound form's HTML depends on what the form is built from (a station's
communities and service points, from core.cached), the language, today's date
(dates offered as the initial value) and the URL prefix, and on nothing of the
request: no values, no errors, no CSRF token (the page puts that outside the
form). `blank_form` keeps the HTML under all of these, with the generation of the
core.cached group the form reads, so a renamed community or a new service point
shows on the next page in every process. The HTML is kept in the process (a new
deployment starts new processes, so a changed form never comes from an old
cache); a bound form is always built and rendered as usual."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from django import forms
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from shegong.core.cached import generation

# Forms kept per process: a few per station and language in a city of 188 stations.
LIMIT = 2048

_rendered: dict[tuple, str] = {}


def blank_form(
    key: tuple[Hashable, ...], build: Callable[[], forms.Form], *, group: str
) -> SafeString:
    """The HTML of the unbound form that `build()` makes, for `key` (what the form
    is built from, e.g. its name and the station), rendered once while `group`,
    the language and the day stay the same."""
    full = (
        *key,
        translation.get_language(),
        timezone.localdate(),
        get_script_prefix(),
        group,
        generation(group),
    )
    html = _rendered.get(full)
    if html is None:
        html = str(build())
        if len(_rendered) >= LIMIT:
            _rendered.clear()
        _rendered[full] = html
    return mark_safe(html)  # noqa: S308 - rendered by the form renderer, which escapes
