from django.db import migrations

SCHEMES = [
    ("service_civique", "Service Civique", "Service Civique"),
    ("vsi", "International solidarity volunteering (VSI)", "Volontariat de solidarité internationale (VSI)"),
    ("workcamp", "International work camp", "Chantier international"),
    ("esc", "European Solidarity Corps", "Corps européen de solidarité"),
]


def seed(apps, schema_editor):
    Scheme = apps.get_model("schemes", "Scheme")
    for code, en, fr in SCHEMES:
        Scheme.objects.update_or_create(code=code, defaults={"name_en": en, "name_fr": fr})


class Migration(migrations.Migration):
    dependencies = [("schemes", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
