"""Agencies belong to a city's register: add Agency.city, filling existing rows
with the (single) city of the deployment."""

import django.db.models.deletion
from django.db import migrations, models


def fill_city(apps, schema_editor):
    Agency = apps.get_model("org", "Agency")
    City = apps.get_model("org", "City")
    city = City.objects.order_by("pk").first()
    if city is not None:
        Agency.objects.filter(city__isnull=True).update(city=city)


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="city",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="agencies",
                to="org.city",
                verbose_name="city",
            ),
        ),
        migrations.RunPython(fill_city, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="agency",
            name="city",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="agencies",
                to="org.city",
                verbose_name="city",
            ),
        ),
    ]
