"""`make load`'s profile (bench/profile_summary.py): py-spy's sampled stacks summed
by view and by kind of work, from py-spy's raw format."""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "profile_summary", Path(__file__).resolve().parents[1] / "bench/profile_summary.py"
)
profile_summary = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(profile_summary)

REQUEST = ";".join(
    [
        'process 10:"gunicorn"',
        "SyncWorker.handle_request (gunicorn/workers/sync.py:184)",
        "WSGIHandler.__call__ (django/core/handlers/wsgi.py:124)",
        "SessionMiddleware.__call__ (django/contrib/sessions/middleware.py:20)",
    ]
)
VIEW = REQUEST + ";BaseHandler._get_response (django/core/handlers/base.py:197)"
DASHBOARD = (
    VIEW
    + ";reads_from_replica.<locals>.wrapped (shegong/core/replicas.py:80)"
    + ";dashboard (shegong/stats/views.py:46)"
)
HOME = VIEW + ";home (shegong/home/__init__.py:38)"
RAW = "\n".join(
    [
        # The dashboard: 6 samples in the ORM (2 of them under a template), 3 in the
        # driver, 1 in its own code.
        DASHBOARD + ";QuerySet.filter (django/db/models/query.py:1489) 4",
        DASHBOARD
        + ";Template.render (django/template/base.py:166)"
        + ";QuerySet.__iter__ (django/db/models/query.py:371) 2",
        DASHBOARD
        + ";QuerySet.__iter__ (django/db/models/query.py:371)"
        + ";Cursor.execute (psycopg/cursor.py:100) 3",
        DASHBOARD + ";_drill_query (shegong/stats/views.py:125) 1",
        # The home page: 4 samples in templates, 1 in a Jinja2 form.
        HOME + ";Template.render (django/template/base.py:166) 4",
        HOME + ";Template.render (jinja2/environment.py:1290) 1",
        # 3 in the middleware, 2 waiting for a connection outside any request.
        REQUEST + ";SessionStore.load (django/contrib/sessions/backends/db.py:50) 3",
        'process 10:"gunicorn";SyncWorker.accept (gunicorn/workers/sync.py:30) 2',
        "",
    ]
)


def test_samples_are_given_to_their_view_and_kind_of_work():
    assert profile_summary.classify(
        (DASHBOARD + ";QuerySet.filter (django/db/models/query.py:1489)").split(";")
    ) == ("stats/views.py dashboard", profile_summary.KINDS[1][0])
    assert profile_summary.classify(REQUEST.split(";")) == ("", profile_summary.OUTSIDE)


def test_the_summary_tables():
    text = profile_summary.summarise(RAW)
    assert text.startswith("20 samples of the gunicorn workers.")
    assert "| database driver (psycopg) | 15% |" in text
    assert "| ORM (queries built, compiled, rows made) | 30% |" in text
    assert "| templates | 25% |" in text
    assert "| view's own code | 5% |" in text
    assert "| middleware, session, user (outside the view) | 15% |" in text
    assert "| not in a request (gunicorn) | 10% |" in text
    # By view: the dashboard's 10 samples are 50 % of all, split 30/60/0/10.
    assert "| stats/views.py dashboard | 50.0% | 30% | 60% | 0% | 10% |" in text
    assert "| home/__init__.py home | 25.0% | 0% | 0% | 100% | 0% |" in text
    assert profile_summary.summarise("") == "No samples."
