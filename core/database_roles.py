"""The application's PostgreSQL role: it reads and writes rows, but owns no table and cannot erase the trails.

Migrations run as the owner role; the app servers connect as a role that gets only row privileges. On the
append-only trails (the patient audit trail and the security trail) it may only read and insert, so neither a
bug nor an intruder in the application can UPDATE, DELETE or TRUNCATE them – the triggers refuse UPDATE and
DELETE as a second line, and TRUNCATE, which no row trigger sees, needs a privilege the role never has.
"""

from django.apps import apps
from django.db import connection

APPEND_ONLY_MODELS = ["workflows.AuditEntry", "accounts.SecurityEvent"]


def append_only_tables():
    return {apps.get_model(label)._meta.db_table for label in APPEND_ONLY_MODELS}


def grant_statements(role):
    """SQL that gives ``role`` exactly the privileges the application needs on the current schema's tables."""
    quoted = connection.ops.quote_name(role)
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {quoted}",
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
    ]
    for table in sorted(append_only_tables()):
        statements.append(f"REVOKE UPDATE, DELETE, TRUNCATE ON {connection.ops.quote_name(table)} FROM {quoted}")
    return statements


def grant(role):
    if connection.vendor != "postgresql":
        raise RuntimeError("Database roles are a PostgreSQL set-up.")
    with connection.cursor() as cursor:
        for statement in grant_statements(role):
            cursor.execute(statement)
