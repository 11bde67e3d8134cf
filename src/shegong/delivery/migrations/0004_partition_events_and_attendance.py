"""The attendance gets its event's date (`held_on`, copied from the event), and on
PostgreSQL the service events and the attendance become tables partitioned by
year of `held_on` (core/partitioning.py). A partitioned table's primary key must
hold the partition key, so no foreign key can point at an event's id alone: the
tables pointing at events lose their database-level foreign key constraint there,
and the application keeps the integrity (docs/decisions.md). SQLite keeps plain
tables and every constraint."""

from django.db import migrations, models

from shegong.core import partitioning

POINTING_AT_EVENTS = (
    "delivery_attendance",
    "delivery_eventvolunteer",
    "delivery_serviceevent_workers",
    "delivery_serviceevent_party_members",
    "community_volunteersignup",
)


def partition(apps, schema_editor):
    partitioning.convert(
        schema_editor, "delivery_serviceevent", "held_on", drop_inbound=POINTING_AT_EVENTS
    )
    partitioning.convert(schema_editor, "delivery_attendance", "held_on")


class Migration(migrations.Migration):
    dependencies = [
        ("delivery", "0003_event_and_group_point"),
        # its sign-ups point at events: their constraint must exist to be dropped
        ("community", "0003_volunteer_signup"),
    ]

    operations = [
        migrations.AddField(
            model_name="attendance",
            name="held_on",
            field=models.DateField(null=True, editable=False, verbose_name="date"),
        ),
        migrations.RunSQL(
            "UPDATE delivery_attendance SET held_on = (SELECT e.held_on FROM "
            "delivery_serviceevent e WHERE e.id = delivery_attendance.event_id)",
            migrations.RunSQL.noop,
            elidable=False,
        ),
        migrations.AlterField(
            model_name="attendance",
            name="held_on",
            field=models.DateField(editable=False, verbose_name="date"),
        ),
        # Partitioned tables are not turned back into plain ones.
        migrations.RunPython(partition, migrations.RunPython.noop, elidable=False),
    ]
