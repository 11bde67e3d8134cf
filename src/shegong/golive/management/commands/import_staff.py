"""`shegong import_staff FILE --user U --base-url URL`: create and update staff
accounts from a sheet (golive.staff_import); prints each new account's one-time
activation link, once."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from shegong.accounts.models import User
from shegong.golive import staff_import

SHOWN_ERRORS = 30


class Command(BaseCommand):
    help = (
        "Import staff accounts (.xlsx, one row per account) as U, all or nothing; new "
        "accounts get no password but a one-time activation link, printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="the importing administrator")
        parser.add_argument(
            "--base-url",
            default="",
            help="the site's address for the links, e.g. https://shegong.example.gov.cn",
        )
        parser.add_argument(
            "--deactivate-leavers",
            action="store_true",
            help="deactivate the accounts of your scope the sheet no longer lists",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            actor = User.objects.get(username=options["user"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"no active user {options['user']!r}") from None
        with path.open("rb") as handle:
            try:
                result = staff_import.staff_import(
                    actor=actor, file=handle, deactivate_leavers=options["deactivate_leavers"]
                )
            except PermissionDenied as error:
                raise CommandError(str(error)) from None
        if not result.ok:
            for error in result.errors[:SHOWN_ERRORS]:
                where = f"row {error.row}" if error.row is not None else "file"
                column = f" [{error.column}]" if error.column else ""
                self.stderr.write(f"{where}{column}: {error.message}")
            if result.error_count > SHOWN_ERRORS:
                self.stderr.write(f"… and {result.error_count - SHOWN_ERRORS} more.")
            raise CommandError(f"{result.error_count} problem(s); nothing was loaded.")
        self.stdout.write(
            f"{result.rows} rows: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
        base = options["base_url"].rstrip("/")
        if result.activations:
            self.stdout.write(
                "Activation links (shown once; each works once, for "
                f"{staff_import.ACTIVATION_DAYS} days):"
            )
            for activation in result.activations:
                link = base + reverse("golive:activate", args=[activation.token])
                self.stdout.write(f"  {activation.username}\t{activation.full_name}\t{link}")
        if result.leavers:
            verb = "deactivated" if options["deactivate_leavers"] else "no longer listed"
            self.stdout.write(
                f"{len(result.leavers)} account(s) {verb}: " + ", ".join(result.leavers)
            )
            if not options["deactivate_leavers"]:
                self.stdout.write("Run again with --deactivate-leavers to deactivate them.")
