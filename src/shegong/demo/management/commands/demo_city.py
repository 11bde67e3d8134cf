"""`shegong demo_city`: load (or refresh) the Guangzhou demo city. Idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from tqdm import tqdm

from shegong.core import audit
from shegong.demo.city import DemoRefused, load_demo_city, refuse_in_production
from shegong.demo.clients import (
    DEFAULT_RESIDENTS_PER_STATION,
    DEFAULT_SHOWCASE_RESIDENTS,
    load_demo_clients,
)
from shegong.demo.contracts import load_demo_contracts
from shegong.demo.directory import load_demo_directory
from shegong.demo.evaluation import load_demo_evaluation
from shegong.demo.rosters import load_demo_rosters
from shegong.demo.surveys import load_demo_surveys
from shegong.demo.workforce import load_demo_workforce
from shegong.demo.year import SCALES, load_demo_year


class Command(BaseCommand):
    help = "Load the Guangzhou demo city (districts, streets, 188 stations, staff). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--residents-per-station",
            type=int,
            default=DEFAULT_RESIDENTS_PER_STATION,
            help="residents (with cases, observations, meals) generated per station",
        )
        parser.add_argument(
            "--showcase-residents",
            type=int,
            default=DEFAULT_SHOWCASE_RESIDENTS,
            help="residents at the stations named in the source article (沙园街, 黄埔街 …)",
        )

        parser.add_argument(
            "--scale",
            choices=[*sorted(SCALES), "none"],
            default="small",
            help="service records per station: small (quick) or city (~600 k events, "
            "~3 M person-times a year)",
        )

        parser.add_argument(
            "--years",
            type=int,
            default=1,
            help="years of service records, ending with this one (a plan for each year)",
        )

    def handle(self, *args, **options):
        try:
            refuse_in_production()
        except DemoRefused as refusal:
            raise CommandError(str(refusal)) from None
        # Thousands of generated rows: one summary entry in the audit log, not one each.
        with audit.bulk("bulk", "demo_city", scale=options["scale"]):
            self._load(**options)

    def _load(self, **options):
        translation.activate(settings.LANGUAGE_CODE)
        result = load_demo_city()
        if cycles := load_demo_contracts():
            self.stdout.write(
                f"Contracts: {cycles} full cycles (tender to renewal decision), one per district."
            )
        residents = load_demo_clients(
            options["residents_per_station"], options["showcase_residents"]
        )
        if residents:
            self.stdout.write(f"Registered {residents} demo residents with cases and alerts.")
        profiles, library_cases = load_demo_workforce()
        if profiles or library_cases:
            self.stdout.write(
                f"Added {profiles} staff profiles and {library_cases} excellent cases."
            )
        if partners := load_demo_directory():
            self.stdout.write(f"Added {partners} entries to the directory of services.")
        events = person_times = 0
        if options["scale"] != "none":
            events, person_times = load_demo_year(
                options["scale"],
                progress=lambda items: tqdm(items, desc="stations", unit="station", disable=None),
                years=options["years"],
            )
        if events:
            self.stdout.write(
                f"Recorded {events} service events ({person_times} person-times) this year."
            )
        if options["scale"] != "none" and (
            responses := load_demo_surveys(
                progress=lambda items: tqdm(items, desc="surveys", unit="station", disable=None)
            )
        ):
            self.stdout.write(f"Collected {responses} survey responses.")
        entries, visits = load_demo_rosters()
        if entries:
            self.stdout.write(
                f"Rosters: {entries} persons on this month's lists, {visits} home visits."
            )
        evaluation = load_demo_evaluation()
        self.stdout.write(
            f"Evaluation: {evaluation.rounds} rounds ({evaluation.sheets} station sheets), "
            f"{evaluation.inspections} new inspections, {evaluation.rectifications} new "
            "rectification items."
        )
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
