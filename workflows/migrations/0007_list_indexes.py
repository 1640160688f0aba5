"""Indexes for the process app's lists at national scale (inbox, archive, process list, menu counts).

Viewflow's own tables get theirs here (Viewflow's models are not ours to change, and its migrations do not have
them): the process by creation (the process list, newest first), a user's tasks by status and creation (the inbox
and the menu badge) and a user's finished tasks by finishing time (the archive). Plain ``CREATE INDEX`` in the
migration's transaction: on 50,000 processes and 600,000 tasks it takes a few seconds, during which writes to the
two tables wait.
"""

from django.conf import settings
from django.db import migrations, models

VIEWFLOW_INDEXES = [
    ("lkt_process_created", "viewflow_process", "(created)", ""),
    ("lkt_task_owner_status_created", "viewflow_task", "(owner_id, status, created)", ""),
    ("lkt_task_owner_finished", "viewflow_task", "(owner_id, finished)", "WHERE finished IS NOT NULL"),
]


def create_viewflow_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for name, table, columns, where in VIEWFLOW_INDEXES:
        # Partial indexes (WHERE) work on PostgreSQL and SQLite alike.
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} {columns} {where}")


def drop_viewflow_indexes(apps, schema_editor):
    for name, _table, _columns, _where in VIEWFLOW_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_import_job"),
        ("workflows", "0006_one_open_process_per_person"),
        ("viewflow", "0015_task_scheduled"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="teammember",
            index=models.Index(
                condition=models.Q(("active", True)), fields=["user", "process"], name="team_active_by_user"
            ),
        ),
        migrations.RunPython(create_viewflow_indexes, drop_viewflow_indexes, elidable=False),
    ]
