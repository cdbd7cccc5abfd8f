import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    """Copy each placement's scheme and volunteer gender, as new placements do."""
    Placement = apps.get_model("placements", "Placement")
    Mission = apps.get_model("missions", "Mission")
    Volunteer = apps.get_model("volunteers", "Volunteer")
    Placement.objects.update(
        scheme_id=Subquery(Mission.objects.filter(pk=OuterRef("mission_id")).values("scheme_id")[:1]),
        gender=Subquery(Volunteer.objects.filter(pk=OuterRef("volunteer_id")).values("gender")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0002_placement_termination_reason_placement_tutor_email_and_more"),
        ("missions", "0001_initial"),
        ("schemes", "0002_seed_schemes"),
        ("volunteers", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="placement",
            name="scheme",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="schemes.scheme", verbose_name="scheme",
            ),
        ),
        migrations.AddField(
            model_name="placement",
            name="gender",
            field=models.CharField(default="", max_length=1, verbose_name="gender"),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="placement",
            name="scheme",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="schemes.scheme", verbose_name="scheme",
            ),
        ),
    ]
