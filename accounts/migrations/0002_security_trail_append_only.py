"""On PostgreSQL the security trail refuses UPDATE and DELETE at the database, whoever connects."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION accounts_security_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'accounts_securityevent is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS accounts_security_event_append_only ON accounts_securityevent;
CREATE TRIGGER accounts_security_event_append_only BEFORE UPDATE OR DELETE ON accounts_securityevent
    FOR EACH ROW EXECUTE FUNCTION accounts_security_event_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS accounts_security_event_append_only ON accounts_securityevent;
DROP FUNCTION IF EXISTS accounts_security_event_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_enrolment_grants_and_security_trail")]

    operations = [migrations.RunPython(forwards, backwards)]
