"""`shegong survey_templates`: create the built-in survey templates
(居民服务需求调查, 满意度调查) for every city. Idempotent."""

from django.core.management.base import BaseCommand

from shegong.org.models import City
from shegong.surveys.services import builtin_templates_ensure


class Command(BaseCommand):
    help = "Create the built-in needs and satisfaction survey templates for every city."

    def handle(self, *args, **options):
        for city in City.objects.order_by("pk"):
            templates = builtin_templates_ensure(city=city)
            titles = ", ".join(t.title for t in templates)
            self.stdout.write(f"{city}: {titles}")
