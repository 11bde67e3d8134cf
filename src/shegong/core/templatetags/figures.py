"""One filter for every figure a page shows: `{{ n|figure }}` reads "12,345".

Registered as a template builtin (settings.TEMPLATES), so no `{% load %}`.
Only numbers are grouped (int, float, Decimal; not bool, not text). The
platform does not turn on USE_THOUSAND_SEPARATOR: that would group every int a
template prints, ids in URLs and form values (`/cases/1,234/`) and years
(`?year=2,026`) too; a figure is grouped where the template says it is one.

An int comes back as a `Figure`, an int that prints grouped, so that the filter
also works where Django wants a number, in the counter of a plural sentence:
`{% blocktranslate count counter=n|figure %}{{ counter }} response…`.
The separator and grouping are the locale's (core/formats: "," by 3 in Chinese
and English alike).
"""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


class Figure(int):
    """A count: compares and counts as an int, prints grouped by thousands."""

    def __str__(self) -> str:
        return str(number_format(int(self), use_l10n=True, force_grouping=True))


@register.filter(is_safe=True)
def figure(value, decimals=None):
    """A count or amount grouped by thousands; `|figure:1` with one decimal.
    None and anything not a number are returned unchanged."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    if decimals is not None:
        places = int(decimals)
        return number_format(
            round(Decimal(str(value)), places), places, use_l10n=True, force_grouping=True
        )
    if isinstance(value, int):
        return Figure(value)
    return number_format(value, use_l10n=True, force_grouping=True)
