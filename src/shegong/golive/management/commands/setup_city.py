"""`shegong setup_city`: the first start of a live server. Creates the city and its
first administrator, asked for on the terminal or read from the environment
(SHEGONG_CITY_NAME, SHEGONG_CITY_CODE, SHEGONG_ADMIN_USERNAME,
SHEGONG_ADMIN_PASSWORD, SHEGONG_ADMIN_NAME, SHEGONG_ADMIN_PHONE) with --noinput."""

from __future__ import annotations

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shegong.golive.services import city_setup

FIELDS = (
    # (option, environment variable, prompt)
    ("city_name", "SHEGONG_CITY_NAME", "City name (e.g. 广州市)"),
    ("city_code", "SHEGONG_CITY_CODE", "City statistical division code (e.g. 440100)"),
    ("username", "SHEGONG_ADMIN_USERNAME", "Administrator user name"),
    ("full_name", "SHEGONG_ADMIN_NAME", "Administrator full name"),
    ("phone", "SHEGONG_ADMIN_PHONE", "Administrator mobile"),
)


class Command(BaseCommand):
    help = (
        "Create the city and its first administrator on a new server (interactive, or "
        "from SHEGONG_CITY_* / SHEGONG_ADMIN_* with --noinput), then run check_live."
    )

    def add_arguments(self, parser):
        for option, variable, prompt in FIELDS:
            parser.add_argument(
                f"--{option.replace('_', '-')}", dest=option, help=f"{prompt}; or ${variable}"
            )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="ask nothing: read what is not given from the environment "
            "(password from $SHEGONG_ADMIN_PASSWORD)",
        )

    def handle(self, *args, interactive: bool, **options):
        values = {}
        for option, variable, prompt in FIELDS:
            value = options[option] or os.environ.get(variable, "")
            if not value and interactive:
                value = input(f"{prompt}: ").strip()
            values[option] = value
        password = os.environ.get("SHEGONG_ADMIN_PASSWORD", "")
        if not password and interactive:
            password = getpass.getpass("Administrator password: ")
            if getpass.getpass("Password (again): ") != password:
                raise CommandError("The two passwords differ; nothing was created.")
        try:
            result = city_setup(password=password, **values)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.stderr.write(f"{field}: {message}")
            raise CommandError("Nothing was created.") from None
        verb = "Created" if result.city_created else "Found"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {result.city.name} ({result.city.code}); administrator "
                f"{result.administrator.username} created."
            )
        )
        self.stdout.write(
            "Next: import the organisation and staff, then `shegong check_live` "
            '(README, "Running in production").'
        )
