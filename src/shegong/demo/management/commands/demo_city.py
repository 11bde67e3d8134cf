"""`shegong demo_city`: load (or refresh) the Guangzhou demo city. Idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from shegong.demo.city import load_demo_city


class Command(BaseCommand):
    help = "Load the Guangzhou demo city (districts, streets, 188 stations, staff). Idempotent."

    def handle(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)
        result = load_demo_city()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo city ready: {result.districts} districts, {result.stations} stations, "
                f"{result.users} staff accounts."
            )
        )
        self.stdout.write(f"Demo log-ins (password for all: {settings.DEMO_PASSWORD}):")
        for login in result.logins:
            self.stdout.write(f"  {login.username:<26} {login.role:<12} {login.where}")
        self.stdout.write("Every station has director-<code> and worker-<code>-1..3 accounts.")
