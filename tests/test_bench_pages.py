"""`shegong bench --only pages` asks every page of the day's mix as a logged-in
worker and gets each one (a page that answers anything but 200 would be left out
of the table): the benchmark does not rot as pages move."""

from shegong.demo import bench_pages
from tests.delivery_world import group, make_delivery
from tests.test_query_counts import add_notes, planned_case


def test_the_pages_benchmark_measures_every_page_of_the_day(world):
    d = make_delivery(world)
    add_notes(d, planned_case(d, d.residents[0]), 1)
    group(d, members=2)
    lines: list[str] = []
    rows = bench_pages.measure(lines.append, runs=2)
    assert [row["page"] for row in rows] == [
        "/healthz (no log-in)",
        "registration form",
        "home (work queues)",
        "caseload",
        "dashboard",
        "calendar",
        "outreach list",
        "case page",
        "group session form",
    ]
    assert lines[0] == "Pages of worker (2 requests each, in-process, CPU time):"
    # The baseline against itself, with its one query (SELECT 1).
    assert lines[3].startswith("| /healthz (no log-in) (`/healthz`) | ")
    assert "| 1.0× | 1 |" in lines[3]
    assert lines[-1].startswith("| group session form (`/services/groups/<id>/sessions/new/`) | ")
    assert len(lines) == 3 + len(rows)
