"""`core.lists.Paginator`: Django's pages exactly, without the COUNT query when
the first page holds every row."""

import pytest
from django.core import paginator as django_paginator

from shegong.core.lists import Paginator
from shegong.org.models import Station

NUMBERS = [None, "", "abc", "1", 1, "2", 2, 2.0, 1.5, "1.5", 0, -1, "99"]


@pytest.mark.parametrize("per_page,orphans", [(2, 0), (3, 0), (5, 0), (2, 1), (3, 1)])
def test_every_page_is_djangos(world, per_page, orphans):
    rows = Station.objects.order_by("pk")  # the test world's three stations
    for number in NUMBERS:
        ours = Paginator(rows, per_page, orphans=orphans).get_page(number)
        theirs = django_paginator.Paginator(rows, per_page, orphans=orphans).get_page(number)
        assert list(ours) == list(theirs), number
        assert ours.number == theirs.number, number
        assert ours.paginator.count == theirs.paginator.count == 3
        assert ours.has_next() == theirs.has_next(), number
        assert ours.start_index() == theirs.start_index(), number


def test_a_first_page_that_holds_every_row_is_one_query(world, django_assert_num_queries):
    rows = Station.objects.order_by("pk")
    with django_assert_num_queries(1):
        page = Paginator(rows, 25).get_page(None)
        assert [s.code for s in page] == ["haizhu-10", "haizhu-11", "yuexiu-02"]
        assert page.paginator.count == 3 and page.paginator.num_pages == 1
    # More rows than a page: the rows, then the count the page links need.
    with django_assert_num_queries(2):
        page = Paginator(rows, 2).get_page("1")
        assert [s.code for s in page] == ["haizhu-10", "haizhu-11"]
        assert page.has_next() and page.paginator.count == 3
    # Another page: Django's way, the count first.
    with django_assert_num_queries(2):
        assert [s.code for s in Paginator(rows, 2).get_page("2")] == ["yuexiu-02"]
