"""core.links: a detail link made once per URL name gives what reverse() gives, for
any key and under a URL prefix; choice labels follow the language."""

from __future__ import annotations

import pytest
from django.urls import reverse, set_script_prefix
from django.utils import translation

from shegong.agenda.models import Appointment
from shegong.core.links import choice_labels, detail_link

NAMES = ["delivery:event-detail", "agenda:planned-detail", "agenda:appointment-detail"]


@pytest.mark.parametrize("name", NAMES)
def test_a_detail_link_is_the_reversed_url(name):
    link = detail_link(name)
    for pk in (1, 7, 42, 987654321987, 10**15):
        assert link(pk) == reverse(name, args=[pk])
    assert detail_link("delivery:event-detail")(5) == "/services/5/"


def test_a_detail_link_follows_the_url_prefix():
    try:
        set_script_prefix("/shegong/")
        assert detail_link("delivery:event-detail")(5) == "/shegong/services/5/"
    finally:
        set_script_prefix("/")
    assert detail_link("delivery:event-detail")(5) == "/services/5/"


def test_a_name_whose_url_takes_no_key_is_refused():
    with pytest.raises(Exception):  # noqa: B017, PT011 - NoReverseMatch or ValueError
        detail_link("core:health")


def test_choice_labels_are_in_the_current_language():
    field = Appointment._meta.get_field("status")
    value = field.choices[0][0]
    with translation.override("en"):
        english = choice_labels(field)[value]
    with translation.override("zh-hans"):
        chinese = choice_labels(field)[value]
    assert (english, chinese) == ("Booked", "已预约")
