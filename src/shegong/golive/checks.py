"""The configuration check of a live server (`shegong check_live`): everything a
city's operator must have done, each item either in order or saying what is
missing. Reads settings and the database; writes nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.roles import Role
from shegong.golive.models import ScheduledRun
from shegong.golive.schedule import JOBS
from shegong.org.models import City

# The development defaults in settings.py: never good enough for a live server.
DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
DEV_FIELD_KEY = "dev-only-field-key"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "testserver", "::1", "[::1]"})
# Accounts the demo always creates; one of them answering the demo password
# means the demo was loaded here.
DEMO_USERNAMES = ("admin", "city", "district-haizhu")


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    message: str


def _key_finding(name: str, value: str, dev_value: str, minimum: int) -> Finding:
    if not value or value == dev_value:
        return Finding(
            name, False, _("%(name)s is not set: the development key is in use.") % {"name": name}
        )
    if len(value) < minimum:
        return Finding(
            name,
            False,
            _("%(name)s is too short (%(length)d characters, at least %(minimum)d).")
            % {"name": name, "length": len(value), "minimum": minimum},
        )
    return Finding(name, True, _("%(name)s is set.") % {"name": name})


def _settings_findings() -> list[Finding]:
    findings = [
        Finding(
            "SHEGONG_ENV",
            bool(getattr(settings, "PRODUCTION", False)),
            _("The production profile is on.")
            if getattr(settings, "PRODUCTION", False)
            else _("SHEGONG_ENV is not production."),
        ),
        Finding(
            "DEBUG",
            not settings.DEBUG,
            _("DEBUG is off.") if not settings.DEBUG else _("DEBUG is on: turn it off."),
        ),
        _key_finding("SECRET_KEY", settings.SECRET_KEY, DEV_SECRET_KEY, 50),
        _key_finding("SHEGONG_FIELD_KEY", settings.FIELD_ENCRYPTION_KEY, DEV_FIELD_KEY, 32),
    ]
    if settings.FIELD_ENCRYPTION_KEY and settings.FIELD_ENCRYPTION_KEY == settings.SECRET_KEY:
        findings.append(
            Finding("SHEGONG_FIELD_KEY", False, _("SHEGONG_FIELD_KEY must differ from SECRET_KEY."))
        )
    hosts = [host for host in settings.ALLOWED_HOSTS if host]
    public = [host for host in hosts if host not in LOCAL_HOSTS]
    if "*" in hosts:
        findings.append(Finding("ALLOWED_HOSTS", False, _("ALLOWED_HOSTS accepts any host (*).")))
    elif not public:
        findings.append(
            Finding("ALLOWED_HOSTS", False, _("ALLOWED_HOSTS names no public host name."))
        )
    else:
        findings.append(
            Finding("ALLOWED_HOSTS", True, _("Serving %(hosts)s.") % {"hosts": ", ".join(public)})
        )
    https = {
        "SECURE_SSL_REDIRECT": getattr(settings, "SECURE_SSL_REDIRECT", False),
        "SESSION_COOKIE_SECURE": getattr(settings, "SESSION_COOKIE_SECURE", False),
        "CSRF_COOKIE_SECURE": getattr(settings, "CSRF_COOKIE_SECURE", False),
        "SECURE_HSTS_SECONDS": getattr(settings, "SECURE_HSTS_SECONDS", 0),
    }
    # SECURE_SSL_REDIRECT may be off when the proxy redirects; the cookies and HSTS may not.
    off = [name for name, value in https.items() if not value and name != "SECURE_SSL_REDIRECT"]
    findings.append(
        Finding("HTTPS", False, _("HTTPS is not enforced: %(off)s.") % {"off": ", ".join(off)})
        if off
        else Finding("HTTPS", True, _("HTTPS only: secure cookies and HSTS."))
    )
    findings.append(
        Finding("DATABASE_URL", True, _("PostgreSQL."))
        if connection.vendor == "postgresql"
        else Finding("DATABASE_URL", False, _("The database is not PostgreSQL: set DATABASE_URL."))
    )
    return findings


def _data_findings() -> list[Finding]:
    findings = []
    cities = list(City.objects.values_list("name", flat=True))
    findings.append(
        Finding("city", True, _("City: %(names)s.") % {"names": ", ".join(cities)})
        if cities
        else Finding("city", False, _("No city yet: run `shegong setup_city`."))
    )
    administrators = User.objects.filter(role=Role.ADMIN, is_active=True, is_superuser=True)
    findings.append(
        Finding(
            "administrator",
            True,
            _("%(count)d active administrator(s).") % {"count": administrators.count()},
        )
        if administrators.exists()
        else Finding(
            "administrator", False, _("No active administrator: run `shegong setup_city`.")
        )
    )
    demo = [
        user.username
        for user in User.objects.filter(username__in=DEMO_USERNAMES, is_active=True)
        if check_password(settings.DEMO_PASSWORD, user.password)
    ]
    findings.append(
        Finding(
            "demo",
            False,
            _("Demo accounts with the published password: %(names)s.") % {"names": ", ".join(demo)},
        )
        if demo
        else Finding("demo", True, _("No demo account."))
    )
    return findings


def _schedule_findings(now: datetime.datetime) -> list[Finding]:
    findings = []
    for job in JOBS.values():
        latest = ScheduledRun.objects.filter(command=job.command).order_by("-finished_at").first()
        last_good = (
            ScheduledRun.objects.filter(command=job.command, succeeded=True)
            .order_by("-finished_at")
            .first()
        )
        if last_good is None:
            message = _("%(command)s has never run (`shegong scheduled %(command)s`).")
            findings.append(Finding(job.command, False, message % {"command": job.command}))
            continue
        when = timezone.localtime(last_good.finished_at).strftime("%Y-%m-%d %H:%M")
        if now - last_good.finished_at > job.max_age:
            message = _("%(command)s last succeeded at %(when)s: the timer is not running.")
            findings.append(
                Finding(job.command, False, message % {"command": job.command, "when": when})
            )
        elif latest is not None and not latest.succeeded:
            message = _("%(command)s failed at its last run; it last succeeded at %(when)s.")
            findings.append(
                Finding(job.command, False, message % {"command": job.command, "when": when})
            )
        else:
            message = _("%(command)s ran at %(when)s.")
            findings.append(
                Finding(job.command, True, message % {"command": job.command, "when": when})
            )
    return findings


def _backup_file_finding(now: datetime.datetime) -> Finding:
    directory = Path(settings.BACKUP_DIR)
    archives = sorted(directory.glob("shegong-*.jsonl.gz"), key=lambda p: p.stat().st_mtime)
    if not archives:
        message = _("No backup archive in %(directory)s.")
        return Finding("backup file", False, message % {"directory": directory})
    newest = archives[-1]
    written = datetime.datetime.fromtimestamp(newest.stat().st_mtime, tz=datetime.UTC)
    if now - written > JOBS["backup"].max_age:
        message = _("The newest backup, %(file)s, is older than a day.")
        return Finding("backup file", False, message % {"file": newest})
    message = _("Backup %(file)s (%(size).1f MB).")
    return Finding(
        "backup file", True, message % {"file": newest, "size": newest.stat().st_size / 1e6}
    )


def live_findings(now: datetime.datetime | None = None) -> list[Finding]:
    now = now or timezone.now()
    return [
        *_settings_findings(),
        *_data_findings(),
        *_schedule_findings(now),
        _backup_file_finding(now),
    ]
