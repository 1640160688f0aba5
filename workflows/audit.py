"""The patient-data audit trail: one append-only row per view or change, written in the same transaction.

Only step names and record kinds go into ``what`` – never the patient's name,
number or story – so the trail itself can be read by an auditor without
becoming a second copy of the health record.
"""

from .models import AuditEntry


def record(user, process, action, what):
    return AuditEntry.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        process=process,
        action=action,
        what=str(what)[:255],
    )
