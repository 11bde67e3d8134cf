"""`shegong rollups --check | --rebuild`: compare the summary tables with a recount
of the raw service records, or rebuild them from it."""

from django.core.management.base import BaseCommand, CommandError

from shegong.stats import rollups


class Command(BaseCommand):
    help = "Check the statistics rollups against the raw records (--check) or rebuild them."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--check", action="store_true", help="report drift, change nothing")
        group.add_argument("--rebuild", action="store_true", help="recompute every rollup")

    def handle(self, *args, **options):
        if options["rebuild"]:
            counts = rollups.rebuild()
            self.stdout.write(
                f"Rebuilt {counts['domain_month']} domain-month and "
                f"{counts['project_month']} project-month rows."
            )
            return
        found = rollups.drift()
        if not found:
            self.stdout.write("No drift: the rollups match the raw records.")
            return
        for d in found[:50]:
            self.stdout.write(f"{d.table} {d.key}: stored {d.stored}, raw {d.raw}")
        raise CommandError(f"{len(found)} rollup row(s) drift from the raw records.")
