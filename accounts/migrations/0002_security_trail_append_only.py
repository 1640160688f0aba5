"""On PostgreSQL the security trail refuses UPDATE and DELETE at the database, whoever connects."""

from django.db import migrations

from core.append_only import trigger_operations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_enrolment_grants_and_security_trail")]

    operations = trigger_operations("accounts_securityevent")
