"""Settings for the test suite: the real settings, with fast password hashing.

The database is whatever DATABASE_URL names (SQLite by default, PostgreSQL in CI).
"""

from shegong.settings import *  # noqa: F403
from shegong.settings import PASSWORD_HASHERS

# Hashing is slow by design; tests only need it to work. Production uses argon2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
# A tight lock-out so that tests of it stay short.
AXES_FAILURE_LIMIT = 3
# Persistent connections would outlive the live-server thread of the browser tests
# and keep PostgreSQL from dropping the test database at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Jobs run at once, inside the request that starts them (core.jobs).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Tests that set the clock to an hour of today (tests/volunteer_world.at) move it up
# to a day from the real time, and Django checks a session's expiry against that
# clock: with the 12-hour cookie a test run in the small hours of Beijing's day
# (16:00-24:00 UTC) found its worker logged out. The platform's own session lifetime
# (core.sessions, on the real clock) is what its tests test.
SESSION_COOKIE_AGE = 3 * 24 * 3600
