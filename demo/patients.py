"""Demo logins for Min side: every demo patient can log in at TestID with their synthetic number, and one has given
her husband's number read access as next of kin. Everyone is fictional (synthetic numbers, month + 80)."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from patients import services, stages
from patients.models import NextOfKinGrant
from testid.clients import callback_uris, ensure_client
from workflows.models import CareProcess
from workflows.national_id import synthetic

from . import care

# (the patient who grants, next of kin's name, relation, birth date)
NEXT_OF_KIN = ("Kjell Aasen", "Eva Aasen", "Kone", datetime.date(1954, 3, 9))


def next_of_kin_pid():
    return synthetic(NEXT_OF_KIN[3], 100)


def _base_addresses():
    """Where make run serves: the TestID issuer's host, and the same port on localhost and 127.0.0.1."""
    issuer = urlsplit(settings.LKT_OIDC["issuer"])
    port = f":{issuer.port}" if issuer.port else ""
    return [f"{issuer.scheme}://{issuer.netloc}", f"http://127.0.0.1{port}", f"http://localhost{port}"]


@transaction.atomic
def ensure_patient_logins():
    """Register Min side at TestID, and the demo next of kin's access; returns (patients, next of kin) to print."""
    ensure_client(callback_uris(*_base_addresses()))
    patients = []
    by_name = {}
    for patient in care.PATIENTS:
        process = CareProcess.objects.filter(national_id=patient.national_id).first()
        if process is None:
            continue
        by_name[patient.name] = process
        patients.append((patient.name, patient.national_id, str(stages.describe(process))))
    kin = []
    granter, name, relation, _birth = NEXT_OF_KIN
    process = by_name.get(granter)
    if process is not None:
        pid = next_of_kin_pid()
        if not NextOfKinGrant.objects.active().filter(process=process, pid=pid).exists():
            citizen = services.ensure_citizen(process.national_id)
            services.grant_next_of_kin(process, citizen, pid, name, relation)
        kin.append((name, pid, f"{relation.lower()} til {granter}"))
    return patients, kin
