"""One date format throughout (Y-m-d) and figures grouped by thousands, in
Chinese and in English (shegong.core.formats over Django's locale formats)."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from tests.helpers import register_resident


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_dates_and_figures_render_alike_in_both_languages(language):
    template = Template("{% load humanize %}{{ n|intcomma }}|{{ big|intcomma }}|{{ d }}|{{ t }}")
    moment = timezone.make_aware(datetime.datetime(2026, 3, 8, 14, 5))
    context = Context({"n": 12345, "big": 1234567, "d": datetime.date(2026, 3, 8), "t": moment})
    with translation.override(language):
        assert template.render(context) == "12,345|1,234,567|2026-03-08|2026-03-08 14:05"


def test_a_page_shows_the_birth_date_in_the_one_format(world, login):
    resident = register_resident(world, "陈秀英", born=datetime.date(1946, 3, 8))
    html = login(world["worker"]).get(f"/residents/{resident.pk}/").content.decode()
    assert "1946-03-08" in html and "1946年3月8日" not in html


def test_ids_in_pages_are_never_grouped():
    with translation.override("zh-hans"):
        assert Template("{{ pk }}").render(Context({"pk": 4474})) == "4474"
