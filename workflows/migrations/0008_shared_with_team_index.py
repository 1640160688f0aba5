"""The index a team member's need-to-know is counted from (``CareProcess.Meta.indexes``, ``bench/README.md``).

Plain ``CREATE INDEX`` in the migration's transaction: on 50,000 processes it takes well under a second, during
which writes to the process table wait.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0007_list_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="careprocess",
            index=models.Index(
                condition=models.Q(("stage", "trukket"), _negated=True),
                fields=["process_ptr", "shared_until"],
                name="process_shared_with_team",
            ),
        ),
    ]
