"""Who may see which care process on Min side: the citizens' rule, as strict as ``visible_to`` is for staff.

* A patient sees the processes registered with their own fødselsnummer (the ``pid`` ID-porten vouched for) – all of
  them, whatever the stage, since they are the patient's own.
* A next of kin sees a process only through an active grant from its patient for their own fødselsnummer, only
  while the patient's consent stands (granted, not withdrawn, not expired), and only Min plan and Mitt team.

Everything else – another patient's process, a revoked grant, a withdrawn consent – is not there (404). Every
answer comes from the database on each request, never from the session.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from workflows.models import CareProcess, Consent

from .models import NextOfKinGrant


def own_processes(citizen):
    if citizen is None:
        return CareProcess.objects.none()
    return CareProcess.objects.filter(national_id=citizen.pid)


def consent_stands():
    """A granted consent that is neither withdrawn nor expired, on an open or active process."""
    valid = Consent.objects.filter(process=OuterRef("pk"), granted=True, withdrawn_at__isnull=True).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate())
    )
    return Exists(valid) & ~Q(stage__in=[CareProcess.Stage.WITHDRAWN, CareProcess.Stage.REFUSED])


def granted_processes(citizen):
    if citizen is None:
        return CareProcess.objects.none()
    grants = NextOfKinGrant.objects.active().filter(pid=citizen.pid, process=OuterRef("pk"))
    return CareProcess.objects.filter(Exists(grants)).filter(consent_stands()).exclude(national_id=citizen.pid)


def may_give_grants(process):
    """Next of kin can be let in only while the patient's consent stands."""
    return CareProcess.objects.filter(pk=process.pk).filter(consent_stands()).exists()
