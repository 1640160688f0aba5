"""Tables that are only ever added to: the patient audit trail and the security trail.

Three layers refuse a change: the model (``save`` of an existing row, ``delete``), the queryset (``update``,
``delete``), and on PostgreSQL a row trigger installed by a migration (``trigger_operations``). The production
database role adds a fourth (see ``core.database_roles``).
"""

from django.core.exceptions import ValidationError
from django.db import migrations, models
from django.utils.translation import gettext_lazy as _


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise NotImplementedError(f"{self.model._meta.db_table} is append-only.")

    def delete(self):
        raise NotImplementedError(f"{self.model._meta.db_table} is append-only.")


class AppendOnlyModel(models.Model):
    trail_name = _("Loggen")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("%(trail)s kan ikke endres.") % {"trail": self.trail_name})
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("%(trail)s kan ikke slettes.") % {"trail": self.trail_name})


def trigger_operations(table, name=None):
    """Migration operations that make PostgreSQL refuse UPDATE and DELETE on ``table``, whoever connects."""
    function = name or f"{table}_append_only"
    create = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{table} is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {function} ON {table};
CREATE TRIGGER {function} BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}();
"""
    drop = f"""
DROP TRIGGER IF EXISTS {function} ON {table};
DROP FUNCTION IF EXISTS {function}();
"""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(create)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(drop)

    return [migrations.RunPython(forwards, backwards)]
