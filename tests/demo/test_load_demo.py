"""load_demo, run once for all these tests (it takes seconds): the care processes at each step, the logins it prints,
self-monitoring, pathways and the directory it leaves, and a second run that adds nothing.

The first run executes its on-commit callbacks, as a real run does, so the e-mails it would send are counted.
"""

import io
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from viewflow.workflow.status import STATUS

from core.dates import add_months
from demo import care as care_demo
from demo.content import MUNICIPALITIES, SHARED_SERVICE, TRUST, USERS
from demo.patients import next_of_kin_pid
from directory.catchments import specialist_coverage
from directory.models import ActorPage, HealthTrustPage, PostalCode
from home.groups import CLINICAL_APPROVERS, OWNERS, PUBLISHERS
from home.models import PathwayPage
from home.pathway_seed import GENERIC_SLUG, SKELETONS
from monitoring.models import Alert, MonitoringTemplate, Report
from patients.models import NextOfKinGrant
from tests.factories import page_text
from workflows.models import AuditEntry, CareProcess, PlanVersion

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# What a second run must leave as the first left it.
COUNTED = (CareProcess, AuditEntry, PlanVersion, NextOfKinGrant, ActorPage, PathwayPage, Report, Alert, TOTPDevice)


def _counts():
    counted = {model._meta.label: model.objects.count() for model in COUNTED}
    counted["users"] = get_user_model().objects.count()
    return counted


@pytest.fixture(scope="module")
def demo(module_db):
    """The demo loaded twice on the seed: ``printed`` (the first run's output), ``sent`` (its e-mails), and the
    row counts after the first and the second run."""
    with module_db(), override_settings(DEBUG=True):
        out, outbox = io.StringIO(), len(mail.outbox)
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("load_demo", stdout=out)
        sent, first = len(mail.outbox) - outbox, _counts()
        call_command("load_demo", stdout=io.StringIO())
        second = _counts()
    return SimpleNamespace(printed=out.getvalue(), sent=sent, first=first, second=second)


def open_nodes(process):
    return {task.flow_task.name for task in process.task_set.exclude(status__in=[STATUS.DONE, STATUS.CANCELED])}


def test_a_second_run_adds_nothing(demo):
    assert demo.second == demo.first
    assert demo.first["workflows.CareProcess"] == len(care_demo.PATIENTS)


def test_load_demo_adds_processes_at_their_steps(demo, client_for):
    assert "Demoinnholdet er på plass." in demo.printed
    assert demo.sent == 0  # the demo tasks e-mail nobody
    assert CareProcess.objects.count() == len(care_demo.PATIENTS)

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


def test_load_demo_prints_patient_and_next_of_kin_logins_that_work(demo, settings, citizen_client):
    settings.DEBUG = True
    printed = demo.printed
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
    assert process.next_of_kin_grants.count() == 1  # the second run added no second grant


def test_demo_patients_measure_and_the_gp_has_a_red_alert(demo, client_for):
    assert MonitoringTemplate.objects.filter(live=True).count() == 4
    assert Report.objects.filter(process__patient_name="Kjell Aasen").count() == 12
    assert Report.objects.filter(on_behalf=True).exists()
    gp = get_user_model().objects.get(username=care_demo.GP)
    red = Alert.objects.get(kind=Alert.Kind.RED, closed_at__isnull=True)
    assert red.responsible == gp and red.care_process.patient_name == "Kjell Aasen"
    coordinator = get_user_model().objects.get(username=care_demo.COORDINATOR)
    text = page_text(client_for(coordinator).get(reverse("egenmaling:overview")))
    assert text.index("Kjell Aasen") < text.index("Ragnhild Tveit")


def test_load_demo_adds_pathways_and_their_users(demo):
    User = get_user_model()
    for username, group in (
        ("forlopseier", OWNERS),
        ("klinisk.godkjenner", CLINICAL_APPROVERS),
        ("forlopsredaktor", PUBLISHERS),
    ):
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [group]
        assert user.email == f"{username}@example.com"
    assert PathwayPage.objects.count() == 1 + len(SKELETONS)
    generic = PathwayPage.objects.get(slug=GENERIC_SLUG)
    assert generic.content_owner.username == "forlopseier"
    assert not generic.has_unpublished_changes
    assert generic.get_latest_revision().as_object().content_owner_id == generic.content_owner_id


def test_every_demo_postal_code_has_its_district_shared_and_specialist_services(demo):
    trust = HealthTrustPage.objects.get(title=TRUST)
    assert trust.org_number == "983974724"
    codes = list(PostalCode.objects.filter(municipality_id__in=MUNICIPALITIES).values_list("code", "municipality_id"))
    assert len(codes) > 250
    for code, municipality in codes:
        served = ActorPage.objects.live().serving(municipality, code).prefetch_related("actor_types")
        by_type = {}
        for actor in served:
            for actor_type in actor.actor_types.all():
                by_type.setdefault(actor_type.slug, []).append(actor.title)
        # The specialist roles: one DPS and the trust's coordinating unit for every address.
        assert len(by_type["kontaktlege-kontaktpsykolog"]) == 1, (code, by_type)
        assert by_type["intern-koordinator-spesialisthelsetjenesten"] == ["Koordinerende enhet i Helse Bergen"]
        assert SHARED_SERVICE[0] in by_type["legevakt"], code
        if municipality == "4601":
            assert len(by_type["hjemmesykepleie"]) == 1, (code, by_type["hjemmesykepleie"])  # one district each
    coverage = specialist_coverage(MUNICIPALITIES)
    assert all(not c.missing and not c.partly and c.trusts == [TRUST] for c in coverage.values()), coverage
    assert ActorPage.objects.filter(municipality=trust).count() == 7
