"""The roster coverage report as a background job (core.export_jobs): the same
workbook as the page's direct download, for its owner only."""

import pytest

from shegong.core.models import Job
from tests.helpers import xlsx_table
from tests.test_rosters_pages import project  # noqa: F401  (shared world)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_coverage_report_as_a_job_is_the_direct_export(world, project, client, login):  # noqa: F811
    login(world["district"])
    direct = xlsx_table(client.get("/rosters/coverage/?level=station&format=xlsx"))
    started = client.post("/rosters/coverage/job/?level=station")
    job = Job.objects.get()
    assert started.status_code == 302 and started.url == f"/jobs/{job.pk}/"
    assert (job.status, job.done) == ("done", 2)
    stored = client.get(f"/jobs/{job.pk}/file/")
    assert xlsx_table(stored) == direct
    assert [direct[1][i] for i in (0, 1, 2, 5, 6)] == ["沙园街社工站", "合计", 4, 1, 75.0]
    login(world["city"])
    assert client.get(f"/jobs/{job.pk}/file/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/").status_code == 404


def test_a_bad_coverage_query_starts_no_job(world, project, client, login):  # noqa: F811
    login(world["district"])
    assert client.post("/rosters/coverage/job/?level=planet").status_code == 400
    assert client.post("/rosters/coverage/job/?month=2026-13").status_code == 400
    assert Job.objects.count() == 0
