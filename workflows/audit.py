"""The patient-data audit trail: one append-only row per view or change, written in the same transaction.

Only step names and record kinds go into ``what`` – never the patient's name,
number or story – so the trail itself can be read by an auditor without
becoming a second copy of the health record.
"""

from core.digits import parse_id

from .models import AuditEntry, CareProcess


def _user(user):
    return user if user is not None and user.is_authenticated else None


def record(user, process, action, what):
    return AuditEntry.objects.create(user=_user(user), process=process, action=action, what=str(what)[:255])


def record_listed(user, process_pks, what):
    """A list that showed these patients: one row per patient, so each one's «who has seen me» is complete."""
    entries = [
        AuditEntry(user=_user(user), process_id=pk, action=AuditEntry.Action.LIST, what=str(what)[:255])
        for pk in dict.fromkeys(process_pks)
    ]
    if entries:
        AuditEntry.objects.bulk_create(entries)


def record_denied(user, process_pk, what):
    """A refused attempt to reach a process: on the process's own trail when it exists, and always by number."""
    number = parse_id(str(process_pk))
    exists = number is not None and CareProcess.objects.filter(pk=number).exists()
    return AuditEntry.objects.create(
        user=_user(user),
        process_id=number if exists else None,
        requested_process_id=number,
        action=AuditEntry.Action.DENIED,
        what=str(what)[:255],
    )
