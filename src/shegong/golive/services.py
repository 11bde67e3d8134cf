"""Writes of going live: the first city and administrator, the record of a
scheduled run."""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core.roles import Role
from shegong.golive.models import ScheduledRun
from shegong.golive.schedule import JOBS
from shegong.org.models import City

# 统计用区划代码 of a city: 6 digits (440100) or the 12-digit form (440100000000).
CITY_CODE = re.compile(r"^\d{6}(\d{6})?$")


@dataclass(frozen=True)
class SetupResult:
    city: City
    city_created: bool
    administrator: User


@transaction.atomic
def city_setup(
    *,
    city_name: str,
    city_code: str,
    username: str,
    password: str,
    full_name: str = "",
    phone: str = "",
) -> SetupResult:
    """Create the city (or find it by code) and its first administrator, who runs
    /admin/ and the imports. Refuses a second run that would add another
    administrator by surprise, and any password the validators or the demo know."""
    city_name, city_code, username = city_name.strip(), city_code.strip(), username.strip()
    errors: dict[str, list[str]] = {}
    if not city_name:
        errors.setdefault("city_name", []).append(_("The city needs a name."))
    if not CITY_CODE.match(city_code):
        errors.setdefault("city_code", []).append(
            _("The city code is the 6- or 12-digit statistical division code, e.g. 440100.")
        )
    if not username:
        errors.setdefault("username", []).append(_("The administrator needs a user name."))
    elif User.objects.filter(username=username).exists():
        errors.setdefault("username", []).append(
            _("A user %(username)s exists already: the city is set up.") % {"username": username}
        )
    administrator = User(
        username=username, full_name=full_name.strip(), phone=phone.strip(), role=Role.ADMIN
    )
    try:
        validate_password(password, administrator)
    except ValidationError as error:
        errors.setdefault("password", []).extend(error.messages)
    if password == settings.DEMO_PASSWORD:
        errors.setdefault("password", []).append(_("This is the demo's published password."))
    city = City.objects.filter(code=city_code).first()
    if city is not None and city.name != city_name:
        errors.setdefault("city_code", []).append(
            _("City code %(code)s belongs to %(name)s.") % {"code": city_code, "name": city.name}
        )
    if errors:
        raise ValidationError(errors)
    created = city is None
    if created:
        city = City(name=city_name, code=city_code)
        city.full_clean()
        city.save()
    administrator.is_staff = administrator.is_superuser = True
    administrator.set_password(password)
    administrator.full_clean()
    administrator.save()
    return SetupResult(city=city, city_created=created, administrator=administrator)


def backup_path(now: datetime.datetime | None = None) -> Path:
    """Where the scheduled backup writes: one archive a day in BACKUP_DIR."""
    now = timezone.localtime(now)
    return Path(settings.BACKUP_DIR) / f"shegong-{now:%Y-%m-%d}.jsonl.gz"


def scheduled_run(*, command: str, args: list[str] | tuple[str, ...] = ()) -> ScheduledRun:
    """Run one of the scheduled commands and record how it went, success or not;
    a failure is re-raised after it is recorded so that the timer sees it too."""
    if command not in JOBS:
        raise ValueError(command)
    args = list(args) or list(JOBS[command].args)
    if command == "backup" and not args:
        path = backup_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        args = [str(path)]
    started = timezone.now()
    out = io.StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=out, verbosity=0)
    except BaseException as error:
        ScheduledRun.objects.create(
            command=command,
            started_at=started,
            finished_at=timezone.now(),
            succeeded=False,
            detail=f"{out.getvalue()}{type(error).__name__}: {error}"[-4000:],
        )
        raise
    return ScheduledRun.objects.create(
        command=command,
        started_at=started,
        finished_at=timezone.now(),
        succeeded=True,
        detail=out.getvalue()[-4000:],
    )
