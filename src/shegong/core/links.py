"""Links and labels for many rows of one kind on one page (a week's calendar lists
about a hundred services): Django's `reverse()` and `get_FOO_display()` cost tens
of microseconds per row, as much as the rest of the row's work.

`detail_link(name)` reverses the URL once per process and URL prefix, for a pattern
whose one argument is a primary key, and then only puts each key in its place;
`choice_labels(field)` is a field's {value: label} in the current language, made
once per page instead of once per row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.urls import get_script_prefix, reverse

# A number that no other part of a URL holds.
_SENTINEL = 987654321987

_parts: dict[tuple[str, str], tuple[str, str]] = {}


def detail_link(name: str) -> Callable[[int], str]:
    """pk -> the path of URL `name` for that pk (as `reverse(name, args=[pk])`)."""
    key = (name, get_script_prefix())
    parts = _parts.get(key)
    if parts is None:
        head, found, tail = reverse(name, args=[_SENTINEL]).partition(str(_SENTINEL))
        if not found:
            raise ValueError(f"{name}: the key is not in the path")
        parts = _parts[key] = (head, tail)
    head, tail = parts
    return lambda pk: f"{head}{int(pk)}{tail}"


def choice_labels(field: models.Field) -> dict[Any, str]:
    """{value: label} of `field`'s choices, in the current language."""
    return {value: str(label) for value, label in field.flatchoices}
