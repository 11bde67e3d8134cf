"""Scoped access through the web pages: every role of the standard world, and
anonymous, against the station page, the directory, the home page and the
directory exports (conftest: A and B in 海珠, C in 越秀; everyone else at A)."""

import csv
import io

import pytest

from shegong.org.models import Station
from tests.helpers import xlsx_table

# Codes of the world's stations.
A, B, C = "haizhu-10", "haizhu-11", "yuexiu-02"

# The stations each person may see, in code order.
VISIBLE = {
    "admin": [A, B, C],
    "city": [A, B, C],
    "district": [A, B],
    "agency": [A],
    "director": [A],
    "worker": [A],
    "evaluator": [A],
    "other_district": [C],
    "other_agency": [B, C],
    "director_b": [B],
    "worker_c": [C],
}

EXPORT_HEADERS = ("编号", "社工站", "区", "街道/镇", "社工机构", "地址", "电话")


def _station(world, key: str) -> Station:
    return {"a": world.station_a, "b": world.station_b, "c": world.station_c}[key]


# --- Station page ------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "station", "expected"),
    [
        ("admin", "a", 200),
        ("admin", "b", 200),
        ("admin", "c", 200),
        ("city", "a", 200),
        ("city", "b", 200),
        ("city", "c", 200),
        ("district", "a", 200),
        ("district", "b", 200),
        ("district", "c", 404),
        ("agency", "a", 200),
        ("agency", "b", 404),
        ("agency", "c", 404),
        ("director", "a", 200),
        ("director", "b", 404),
        ("director", "c", 404),
        ("worker", "a", 200),
        ("worker", "b", 404),
        ("worker", "c", 404),
        ("evaluator", "a", 200),
        ("evaluator", "b", 404),
        ("evaluator", "c", 404),
        ("other_district", "a", 404),
        ("other_district", "b", 404),
        ("other_district", "c", 200),
        ("other_agency", "a", 404),
        ("other_agency", "b", 200),
        ("other_agency", "c", 200),
        ("director_b", "a", 404),
        ("director_b", "b", 200),
        ("director_b", "c", 404),
        ("worker_c", "a", 404),
        ("worker_c", "b", 404),
        ("worker_c", "c", 200),
    ],
)
def test_station_page_status_per_role(world, client, person, station, expected):
    client.force_login(world[person])
    response = client.get(f"/org/stations/{_station(world, station).pk}/")
    assert response.status_code == expected


@pytest.mark.parametrize("station", ["a", "b", "c"])
def test_station_page_sends_anonymous_to_login(world, client, station):
    pk = _station(world, station).pk
    response = client.get(f"/org/stations/{pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/org/stations/{pk}/"


def test_station_page_shows_the_station(world, client):
    client.force_login(world["district"])
    response = client.get(f"/org/stations/{world.station_b.pk}/")
    assert response.context["station"] == world.station_b
    assert "南石头街社工站" in response.content.decode()


def test_hidden_station_page_is_the_same_404_as_a_missing_one(world, client):
    client.force_login(world["worker"])
    hidden = client.get(f"/org/stations/{world.station_c.pk}/")
    missing = client.get("/org/stations/999999/")
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert [t.name for t in hidden.templates] == [t.name for t in missing.templates]
    assert "北京街社工站" not in hidden.content.decode()


def test_station_page_lists_contracts_for_director_but_not_for_worker(world, client):
    client.force_login(world["director"])
    director_view = client.get(f"/org/stations/{world.station_a.pk}/")
    client.force_login(world["worker"])
    worker_view = client.get(f"/org/stations/{world.station_a.pk}/")
    assert [c.code for c in director_view.context["contracts"]] == ["GZ-2025-A"]
    assert list(worker_view.context["contracts"]) == []
    assert "GZ-2025-A" not in worker_view.content.decode()


# --- Directory ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "count", "codes"),
    [
        ("admin", 3, [A, B, C]),
        ("city", 3, [A, B, C]),
        ("district", 2, [A, B]),
        ("agency", 1, [A]),
        ("director", 1, [A]),
        ("worker", 1, [A]),
        ("evaluator", 1, [A]),
        ("other_district", 1, [C]),
        ("other_agency", 2, [B, C]),
        ("director_b", 1, [B]),
        ("worker_c", 1, [C]),
    ],
)
def test_directory_lists_exactly_the_visible_stations(world, client, person, count, codes):
    client.force_login(world[person])
    response = client.get("/org/")
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == count
    assert [s.code for s in page.object_list] == codes


@pytest.mark.parametrize(
    ("person", "districts"),
    [
        # In code order: 越秀 440104 before 海珠 440105.
        ("admin", [("越秀区", 1), ("海珠区", 2)]),
        ("city", [("越秀区", 1), ("海珠区", 2)]),
        ("district", [("海珠区", 2)]),
        ("agency", [("海珠区", 1)]),
        ("worker", [("海珠区", 1)]),
        ("other_district", [("越秀区", 1)]),
        # Agency B runs B in 海珠 and C in 越秀: each district counts only its one.
        ("other_agency", [("越秀区", 1), ("海珠区", 1)]),
    ],
)
def test_directory_district_counts_are_of_visible_stations(world, client, person, districts):
    client.force_login(world[person])
    response = client.get("/org/")
    assert [(d.name, d.station_count) for d in response.context["districts"]] == districts


def test_directory_sends_anonymous_to_login(world, client):
    response = client.get("/org/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/org/"


def test_directory_search_stays_inside_the_scope(world, client):
    client.force_login(world["district"])
    # 北京街 is station C's street, in the other district.
    response = client.get("/org/", {"q": "北京街"})
    assert response.context["page"].paginator.count == 0
    assert "北京街社工站" not in response.content.decode()


# --- Home page ---------------------------------------------------------------


def test_home_page_directory_counts_are_the_administrator_s(world, client):
    # The other roles' homes are work queues (tests/test_home.py), scoped there.
    client.force_login(world["admin"])
    assert client.get("/").context["summary"].stations == 3
    client.force_login(world["city"])
    assert "summary" not in client.get("/").context


@pytest.mark.parametrize(("person", "codes"), [("evaluator", [A]), ("director", [])])
def test_home_page_sheets_are_the_evaluator_s_assigned_stations(world, client, person, codes):
    client.force_login(world[person])
    sheets = client.get("/").context.get("sheets") or []
    assert [s.station.code for s in sheets] == codes


def test_home_page_sends_anonymous_to_login(world, client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


# --- Exports -----------------------------------------------------------------


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _xlsx_rows(response) -> list[tuple]:
    return xlsx_table(response)


@pytest.mark.parametrize(("person", "codes"), list(VISIBLE.items()))
def test_csv_export_has_exactly_the_visible_stations(world, client, person, codes):
    client.force_login(world[person])
    response = client.get("/org/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv_rows(response)
    assert tuple(rows[0]) == EXPORT_HEADERS
    assert [row[0] for row in rows[1:]] == codes


@pytest.mark.parametrize(("person", "codes"), list(VISIBLE.items()))
def test_xlsx_export_has_exactly_the_visible_stations(world, client, person, codes):
    client.force_login(world[person])
    response = client.get("/org/export.xlsx")
    assert response.status_code == 200
    rows = _xlsx_rows(response)
    assert rows[0] == EXPORT_HEADERS
    assert [row[0] for row in rows[1:]] == codes


def test_xlsx_export_row_holds_the_station(world, client):
    client.force_login(world["director"])
    rows = _xlsx_rows(client.get("/org/export.xlsx"))
    assert rows[1] == (
        A,
        "沙园街社工站",
        "海珠区",
        "沙园街",
        "广州市同心社会工作服务中心",
        None,
        None,
    )


def test_export_follows_the_directory_filter(world, client):
    client.force_login(world["city"])
    rows = _csv_rows(client.get("/org/export.csv", {"district": world.other_district.pk}))
    assert [row[0] for row in rows[1:]] == [C]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_sends_anonymous_to_login(world, client, fmt):
    response = client.get(f"/org/export.{fmt}")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/org/export.{fmt}"


def test_export_of_an_unknown_format_is_404(world, client):
    client.force_login(world["city"])
    assert client.get("/org/export.pdf").status_code == 404


@pytest.fixture
def formula_station(world) -> Station:
    return Station.objects.create(
        street=world.street_a,
        agency=world.agency_a,
        name="=1+2",
        code="haizhu-12",
        address='=HYPERLINK("http://evil.example","点我")',
        phone="+8620123",
    )


def test_csv_export_neutralises_formulas(world, client, formula_station):
    client.force_login(world["city"])
    rows = _csv_rows(client.get("/org/export.csv"))
    row = next(r for r in rows if r[0] == "haizhu-12")
    assert row[1] == "'=1+2"
    assert row[5] == '\'=HYPERLINK("http://evil.example","点我")'
    assert row[6] == "'+8620123"


def test_xlsx_export_neutralises_formulas(world, client, formula_station):
    client.force_login(world["city"])
    rows = _xlsx_rows(client.get("/org/export.xlsx"))
    row = next(r for r in rows if r[0] == "haizhu-12")
    assert row[1] == "'=1+2"
    assert row[5] == '\'=HYPERLINK("http://evil.example","点我")'
    assert row[6] == "'+8620123"
