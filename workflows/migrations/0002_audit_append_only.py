"""On PostgreSQL the audit table refuses UPDATE and DELETE at the database, whoever connects."""

from django.db import migrations

from core.append_only import trigger_operations


class Migration(migrations.Migration):
    dependencies = [("workflows", "0001_initial")]

    operations = trigger_operations("workflows_auditentry", name="workflows_audit_append_only")
