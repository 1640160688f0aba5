from django.db import migrations


def load_catalogue(apps, schema_editor):
    from monitoring.catalogue import load

    load(apps.get_model("monitoring", "Parameter"))


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
