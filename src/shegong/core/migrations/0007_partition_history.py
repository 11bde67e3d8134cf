"""On PostgreSQL the audit entries and the access log become tables partitioned by
year of `at` (core/partitioning.py, docs/decisions.md); nothing on SQLite. And
the register of the years detached for archiving (`shegong partitions --detach`)."""

import django.utils.timezone
from django.db import migrations, models

from shegong.core import partitioning


def partition(apps, schema_editor):
    partitioning.convert(schema_editor, "core_auditentry", "at")
    partitioning.convert(schema_editor, "core_accesslog", "at")


class Migration(migrations.Migration):
    dependencies = [("core", "0006_job_owner_optional")]

    operations = [
        # Partitioned tables are not turned back into plain ones: going back leaves
        # them partitioned, which the models do not see.
        migrations.RunPython(partition, migrations.RunPython.noop, elidable=False),
        migrations.CreateModel(
            name="ArchivedPartition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("table", models.CharField(max_length=63, verbose_name="table")),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                ("rows", models.PositiveBigIntegerField(default=0, verbose_name="rows")),
                (
                    "detached_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="detached"
                    ),
                ),
            ],
            options={
                "verbose_name": "archived partition",
                "verbose_name_plural": "archived partitions",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("table", "year"), name="archived_partition_once"
                    )
                ],
            },
        ),
    ]
