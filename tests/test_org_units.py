"""The unit a user is anchored at (org.units) comes from the cache, not from a
join on every request, and follows every change at once: the header shows the
station's new name on the next page."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def _header(page: str) -> str:
    start = page.index("navbar-text")
    return page[start : page.index("<", start + 20)]


def test_the_header_shows_the_station_as_it_is_now(world, login):
    worker = login(world["worker"])
    station = world.station_a
    assert station.name in _header(worker.get("/residents/new/").content.decode())

    station.name = "沙园街新家综"
    station.save()
    assert "沙园街新家综" in _header(worker.get("/residents/new/").content.decode())


def test_a_request_reads_the_user_alone_and_the_unit_from_the_cache(world, login):
    worker = login(world["district"])
    worker.get("/residents/new/")
    with CaptureQueriesContext(connection) as queries:
        page = worker.get("/").content.decode()
    user_reads = [q["sql"] for q in queries if 'FROM "accounts_user"' in q["sql"]]
    assert len(user_reads) == 1
    assert "JOIN" not in user_reads[0].split("WHERE")[0]
    assert not [q["sql"] for q in queries if 'FROM "org_district"' in q["sql"].split("WHERE")[0]]
    assert world.district.name in _header(page)
