"""`shegong scheduled COMMAND [ARGS…]`: run one of the scheduled commands (backup,
alerts, inspection_alerts, audit_prune, purge_personal_data) and record the run for
`check_live`. The
timers call this instead of the command itself."""

import argparse

from django.core.management.base import BaseCommand, CommandError

from shegong.golive.schedule import JOBS
from shegong.golive.services import scheduled_run


class Command(BaseCommand):
    help = "Run a scheduled command and record its run (for check_live)."

    def add_arguments(self, parser):
        parser.add_argument("job", choices=sorted(JOBS))
        # REMAINDER: the command's own options (--older-than-days …) pass through.
        parser.add_argument(
            "args", nargs=argparse.REMAINDER, help="the command's arguments; default the schedule's"
        )

    def handle(self, *args, job: str, **options):
        try:
            run = scheduled_run(command=job, args=args)
        except CommandError:
            raise
        except Exception as error:
            raise CommandError(f"{job} failed: {type(error).__name__}: {error}") from error
        self.stdout.write(run.detail.strip() or f"{job} done.")
