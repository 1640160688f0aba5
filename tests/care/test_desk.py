"""The coordinator's desk: what the process waits for, deadlines, Min gode dag as a draft, the diagram page, the
audit log read by people, required fields and the withdrawal as an action."""

import pytest
from django.core import mail
from django.urls import reverse
from viewflow.workflow.status import STATUS

from demo import bulk
from tests import factories
from workflows.models import AuditEntry, GoodDay

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(care, client_for):
    care.coordinator.first_name, care.coordinator.last_name = "Kari", "Koordinator"
    care.coordinator.save()
    return client_for(care.coordinator)


def test_min_gode_dag_can_be_saved_as_a_draft_and_finished_later(coordinator):
    process = factories.through_consent(coordinator)
    url = factories.task_url(process, "good_day")
    response = coordinator.post(url, {"good_day": "Kaffe med naboen.", "_save": "1"})
    assert response.status_code == 302 and response["Location"] == url
    draft = GoodDay.objects.get(process=process)
    assert (draft.good_day, draft.bad_day, draft.severity) == ("Kaffe med naboen.", "", "")
    assert factories.open_task(process, "good_day").status == STATUS.ASSIGNED  # the step is not finished
    page = factories.page_text(coordinator.get(url, follow=True))
    assert "Kaffe med naboen." in page and "Lagre utkast" in page
    assert "utkast" in factories.page_text(coordinator.get(factories.detail_url(process)))
    assert AuditEntry.objects.filter(process=process, what="Lagret utkast av Min gode dag").exists()

    # Finishing still asks for everything.
    response = coordinator.post(url, {"good_day": "Kaffe med naboen."})
    assert response.status_code == 200
    assert "Dette feltet er påkrevet" in factories.page_text(response)
    factories.post_step(coordinator, process, "good_day", factories.good_day())
    assert factories.open_task(process, "actor_map") is not None


def test_required_fields_are_marked(coordinator):
    process = factories.through_consent(coordinator)
    page = factories.page_text(coordinator.get(factories.task_url(process, "good_day"), follow=True))
    assert "Felt merket med * må fylles ut." in page
    assert 'class="lkt-required"' in page and 'for="id_good_day"' in page


def test_the_process_page_says_what_it_waits_for_from_whom_and_by_when(coordinator):
    process = factories.to_approval(coordinator)
    page = factories.page_text(coordinator.get(factories.detail_url(process)))
    waiting = page.split("Forløpet venter på", 1)[1].split("Prosessdiagram", 1)[0]
    assert "Godkjenning: fastlege" in waiting and "Ola Lege (Fastlege)" in waiting
    assert "Per Spesialist (Kontaktlege i spesialisthelsetjenesten)" in waiting
    assert "Koordinatoren registrerer svaret" in waiting
    assert "Pasientens bekreftelse" in waiting and "Astrid Testesen (pasienten)" in waiting
    assert "Frist" in waiting


def test_the_dashboard_and_the_inbox_show_deadlines(coordinator):
    factories.register_process(coordinator)
    dashboard = factories.page_text(coordinator.get(reverse("wagtailadmin_home")))
    panel = dashboard.split("Mine oppgaver", 1)[1]
    assert "Frist" in panel
    inbox = factories.page_text(coordinator.get(reverse("forlop:inbox")))
    assert "Frist" in inbox


def test_nobody_is_emailed_about_a_task_they_opened_themselves(coordinator, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        process = factories.through_consent(coordinator)
        factories.post_step(coordinator, process, "good_day", factories.good_day())
    assert mail.outbox == []


def test_the_diagram_page_has_the_frame_a_legend_and_a_way_back(coordinator):
    process = factories.through_consent(coordinator)
    response = coordinator.get(reverse("forlop:diagram", args=[process.pk]))
    page = factories.page_text(response)
    assert "Prosessdiagram" in page and "Utført" in page and "Ikke nådd ennå" in page
    assert f'href="{factories.detail_url(process)}"' in page and "Tilbake til forløpet" in page
    assert "Logg ut" in page and "Til administrasjonen" in page and "Til nettstedet" in page
    assert reverse("forlop:process_chart", args=[process.pk]) in page


def test_the_audit_log_names_steps_in_norwegian_and_people_by_name_and_role(coordinator, care, client_for):
    process = factories.through_consent(coordinator)
    coordinator.get(factories.task_url(process, "good_day"), follow=True)
    page = factories.page_text(coordinator.get(reverse("forlop:audit_log"), {"forlop": process.pk}))
    assert "Min gode dag – åpnet" in page or "Min gode dag – skjemaet" in page
    assert "forlop:good_day" not in page
    assert "Kari Koordinator" in page and "Koordinerende enhet Bjørnafjorden" in page
    auditor = factories.page_text(client_for(care.auditor).get(reverse("forlop:audit_log")))
    assert "Kari Koordinator" in auditor


def test_withdrawing_consent_reads_as_an_action(coordinator):
    process = factories.through_consent(coordinator)
    detail = factories.page_text(coordinator.get(factories.detail_url(process)))
    assert ">Trekk samtykke</a>" in detail
    page = factories.page_text(coordinator.get(factories.withdraw_url(process)))
    assert "lkt-button lkt-button--danger" in page and "Trekk samtykket og stopp forløpet" in page


def test_an_active_plan_waits_for_its_evaluation_date(coordinator, care, client_for):
    process = factories.to_approval(coordinator)
    factories.approve_all(process, {care.coordinator.pk: coordinator, care.gp.pk: client_for(care.gp)})
    page = factories.page_text(coordinator.get(factories.detail_url(process)))
    waiting = page.split("Forløpet venter på", 1)[1].split("Prosessdiagram", 1)[0]
    assert "Evaluering" in waiting and "Åpnes automatisk" in waiting and "Dato" in waiting


def test_the_lists_show_25_rows_a_page_and_audit_the_patients_on_the_page_shown(care, coordinator):
    bulk.create_processes(30, "4624", care.coordinator, at="consent", seed=7)
    inbox = reverse("forlop:inbox")

    first = coordinator.get(inbox)
    page = factories.page_text(first)
    assert len(first.context["rows"]) == 25 and "1–25 av 30" in page
    assert '<a href="?page=2" aria-label="Neste side">' in first.content.decode()
    assert "Forrige side" not in first.content.decode()

    before = set(AuditEntry.objects.values_list("pk", flat=True))
    second = coordinator.get(inbox, {"page": 2})
    assert "26–30 av 30" in factories.page_text(second)
    assert '<a href="?page=1" aria-label="Forrige side">' in second.content.decode()
    shown = {task.process_id for task in second.context["object_list"]}
    listed = AuditEntry.objects.exclude(pk__in=before).filter(action=AuditEntry.Action.LIST, what="forlop:inbox")
    assert len(shown) == 5 and set(listed.values_list("process_id", flat=True)) == shown


def test_the_lists_say_so_when_they_are_empty_and_head_each_column(coordinator):
    queue = factories.page_text(coordinator.get(reverse("forlop:queue")))
    assert "Ingen oppgaver her nå." in queue and " av " not in queue
    factories.through_consent(coordinator)
    archive = coordinator.get(reverse("forlop:archive"))
    assert archive.context["headers"] == ["Oppgave", "Pasient", "Kommune", "Fullført"]
    processes = coordinator.get(reverse("forlop:index"))
    assert processes.context["headers"] == ["Pasient", "Kommune", "Fase", "Koordinator", "Neste evaluering"]
    assert "Registrer behov" in factories.page_text(processes)
