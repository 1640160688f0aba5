"""load_demo gives each demo patient a synthetic number that works at TestID, and prints how to log in."""

import io
import re

import pytest
from django.core.management import call_command

from demo import care as care_demo
from demo.patients import next_of_kin_pid
from workflows.models import CareProcess

pytestmark = pytest.mark.django_db


def test_load_demo_prints_patient_and_next_of_kin_logins_that_work(settings, citizen_client):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    printed = out.getvalue()
    assert "/min-side/" in printed and "Logg inn med ID-porten" in printed
    for patient in care_demo.PATIENTS:
        assert re.search(rf"pasient\s+{patient.national_id}\s+{patient.name}", printed), patient.name
    kin = next_of_kin_pid()
    assert re.search(rf"pårørende\s+{kin}\s+Eva Aasen", printed)

    active = next(p for p in care_demo.PATIENTS if p.until == care_demo.ACTIVE)
    process = CareProcess.objects.get(national_id=active.national_id)
    patient = citizen_client(active.national_id)
    assert "Gå med stokk" in patient.get(f"/min-side/{process.pk}/plan/").content.decode()
    spouse = citizen_client(kin)
    assert spouse.get(f"/min-side/{process.pk}/team/").status_code == 200
    assert spouse.get(f"/min-side/{process.pk}/meldinger/").status_code == 404
    # Running it again adds no second grant.
    call_command("load_demo", stdout=io.StringIO())
    assert process.next_of_kin_grants.count() == 1
