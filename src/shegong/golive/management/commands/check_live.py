"""`shegong check_live`: what a live server is still missing (keys, hosts, HTTPS,
the city and its administrator, backups and the scheduled commands). Exits 1 when
anything is missing, so that it can gate a deployment."""

from django.core.management.base import BaseCommand, CommandError

from shegong.golive.checks import live_findings


class Command(BaseCommand):
    help = "Check a live server's configuration and print what is missing."

    def handle(self, *args, **options):
        findings = live_findings()
        for finding in findings:
            mark = self.style.SUCCESS("ok     ") if finding.ok else self.style.ERROR("MISSING")
            self.stdout.write(f"{mark} {finding.name:<18} {finding.message}")
        missing = [finding for finding in findings if not finding.ok]
        if missing:
            raise CommandError(f"{len(missing)} of {len(findings)} checks are missing.")
        self.stdout.write(self.style.SUCCESS(f"All {len(findings)} checks pass."))
