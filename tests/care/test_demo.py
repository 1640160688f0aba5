"""load_demo leaves fictional care processes at each step of the flow, consistent with the UI, once; only in DEBUG."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from viewflow.workflow.status import STATUS

from core.dates import add_months
from demo import care as care_demo
from demo.content import USERS, load_demo
from workflows.models import AuditEntry, CareProcess, PlanVersion

pytestmark = pytest.mark.django_db


def open_nodes(process):
    return {task.flow_task.name for task in process.task_set.exclude(status__in=[STATUS.DONE, STATUS.CANCELED])}


@pytest.mark.slow
def test_load_demo_adds_processes_at_their_steps_once(settings, client_for, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)
    assert "Demoinnholdet er på plass." in out.getvalue()
    assert mail.outbox == []  # the demo tasks e-mail nobody
    audit_entries = AuditEntry.objects.count()
    load_demo()
    assert CareProcess.objects.count() == len(care_demo.PATIENTS)
    assert AuditEntry.objects.count() == audit_entries

    User = get_user_model()
    processes = {}
    for patient in care_demo.PATIENTS:
        process = CareProcess.objects.get(national_id=patient.national_id)
        processes[patient.name] = process
        stage, nodes = care_demo.EXPECTED[patient.until]
        assert (process.patient_name, process.stage, open_nodes(process)) == (patient.name, stage, nodes)
        assert process.national_id[2] in "89"  # synthetic: month + 80
        assert process.coordinator.username == patient.coordinator
        assert not process.task_set.filter(status=STATUS.ERROR).exists()

    # The users exist with their roles, have no second factor yet, and keep their e-mail.
    usernames = [row[0] for row in USERS]
    for username in ("koordinator.bjornafjorden", "fastlege.os", "revisor", "koordinator.bergen"):
        assert username in usernames
        user = User.objects.get(username=username)
        assert user.email == f"{username}@example.com"
        assert user.last_login is None
        assert user.groups.exists()
    assert not TOTPDevice.objects.exists()
    coordinator = User.objects.get(username="koordinator.bjornafjorden")
    gp = User.objects.get(username="fastlege.os")
    bergen = User.objects.get(username="koordinator.bergen")
    auditor = User.objects.get(username="revisor")

    # Each step left what the UI leaves.
    marit = processes["Marit Solheim"]
    assert set(marit.plan_versions.get().answers.values_list("role", flat=True)) == {"koordinator", "pasient"}
    assert care_demo.open_task(marit, "approve_gp").owner == gp
    assert marit.team.filter(role="aktor", actor__isnull=False).exists()  # picked from the directory
    bjorg = processes["Bjørg Lunde"]
    assert bjorg.plan_versions.get().status == PlanVersion.Status.CHANGES
    kjell = processes["Kjell Aasen"]
    assert kjell.evaluations.get().outcome == "fortsett"
    assert kjell.next_evaluation == add_months(timezone.localdate(), 3)
    ragnhild = processes["Ragnhild Tveit"]
    assert ragnhild.task_set.get(flow_task_type="TIMER").status == STATUS.DONE
    assert ragnhild.next_evaluation == timezone.localdate()
    jon = processes["Jon Eide"]
    assert jon.consents.get().withdrawn_at is not None and not jon.team.filter(active=True).exists()
    refused = processes["Tor Helge Brekkhus"]
    assert refused.address == "" and not refused.team.exists()

    # Need-to-know holds for the demo users.
    assert set(CareProcess.objects.visible_to(gp)) == {marit, bjorg, kjell, processes["Ragnhild Tveit"]}
    assert list(CareProcess.objects.visible_to(bergen)) == [processes["Hans Nygård"]]
    assert not CareProcess.objects.visible_to(auditor).exists()
    assert AuditEntry.objects.readable_by(auditor).count() == AuditEntry.objects.count()

    # The pages open with the demo data.
    staff = client_for(coordinator)
    response = staff.get(reverse("forlop:inbox"))
    assert response.status_code == 200
    inbox = response.content.decode()
    assert "Sigrid Fjellheim" in inbox and "Hans Nygård" not in inbox
    for process in processes.values():
        if process.municipality_id == "4624":
            assert staff.get(reverse("forlop:process_detail", args=[process.pk])).status_code == 200
    assert "Marit Solheim" in client_for(gp).get(reverse("forlop:inbox")).content.decode()


@override_settings(LKT_ALLOW_SYNTHETIC_NATIONAL_IDS=False)
def test_no_demo_patients_where_synthetic_numbers_are_refused():
    assert care_demo.load_processes() == []
    assert not CareProcess.objects.exists()


def test_load_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match=r"bare i utvikling \(DEBUG=True\).*superbruker"):
        call_command("load_demo", stdout=io.StringIO())
    assert not get_user_model().objects.exists()
    assert not CareProcess.objects.exists()
