"""The demo surveys: every station gets a needs survey and two versions of a
satisfaction survey with responses; satisfaction lands around 85–90 % city-wide;
a re-run writes nothing."""

from __future__ import annotations

import time
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from shegong.org.models import Station
from shegong.surveys import selectors
from shegong.surveys.models import Response, Survey


def test_demo_surveys_for_forty_stations(db):
    # The whole city (188 stations, 13,160 responses) takes ~30 s: `make run` does it.
    call_command(
        "demo_city", residents_per_station=0, showcase_residents=0, scale="none", stdout=StringIO()
    )
    from shegong.demo.surveys import load_demo_surveys

    stations = Station.objects.filter(
        pk__in=list(Station.objects.order_by("pk").values_list("pk", flat=True)[:40])
    )
    started = time.perf_counter()
    written = load_demo_surveys(list(stations.select_related("street__district")))
    elapsed = time.perf_counter() - started
    print(f"demo surveys: {written} responses in {elapsed:.1f} s")
    assert written == 40 * (30 + 20 + 20) == Response.objects.count()
    assert Survey.objects.filter(is_template=False).count() == 40 * 3
    assert Survey.objects.filter(is_template=False, status="published").count() == 40 * 2
    year = timezone.localdate().year
    now = selectors.satisfaction_rate(stations_queryset=stations, year=year)
    before = selectors.satisfaction_rate(stations_queryset=stations, year=year - 1)
    print(f"satisfaction {year - 1}: {before['rate']} %, {year}: {now['rate']} %")
    assert 83 <= before["rate"] <= 91 and 84 <= now["rate"] <= 93
    assert now["responses"] == before["responses"] == 40 * 20
    by_station = selectors.satisfaction_rate_by_station(stations_queryset=stations, year=year)
    assert len({r["rate"] for r in by_station.values()}) > 10  # stations differ
    # Idempotent.
    assert load_demo_surveys(list(stations)) == 0
    assert Response.objects.count() == written
