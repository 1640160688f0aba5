"""Error pages with DEBUG off: Norwegian, in the public layout for the public and the staff frame for staff URLs."""

import pytest
from django.test import Client

from tests import factories as steps

PUBLIC_LAYOUT = ['lang="nb"', 'class="site-header"', 'action="/sok/"', 'href="/finn-hjelp/"', "Finn hjelp der du bor"]
STAFF_LAYOUT = ['lang="nb"', 'name="robots" content="noindex"', "Til pasientforløpene", "Til administrasjonen"]
ENGLISH = ["Not Found", "Server Error", "Bad Request", "Forbidden", "CSRF verification failed", "Django Material"]


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def page(response):
    text = steps.response_text(response)
    for english in ENGLISH:
        assert english not in text, english
    return text


def assert_public(text):
    for piece in PUBLIC_LAYOUT:
        assert piece in text, piece
    assert "Til administrasjonen" not in text


def assert_staff(text):
    for piece in STAFF_LAYOUT:
        assert piece in text, piece
    assert 'class="site-header"' not in text


def test_public_404_is_norwegian_in_the_public_layout(client, site_tree):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    text = page(response)
    assert "Fant ikke siden" in text
    assert_public(text)


def test_public_500_is_norwegian_in_the_public_layout(site_tree, monkeypatch):
    from directory import lookup

    def broken(*args, **kwargs):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(lookup, "resolve", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/finn-hjelp/?q=5200")
    assert response.status_code == 500
    text = page(response)
    assert "Noe gikk galt hos oss" in text
    assert_public(text)


def test_public_400_names_what_was_wrong(client, site_tree):
    response = client.get("/finn-hjelp/?q=%00")
    assert response.status_code == 400
    text = page(response)
    assert "kontrolltegn" in text and "«q»" in text
    assert_public(text)


def test_a_form_with_too_many_fields_says_so(client, site_tree, settings):
    response = client.post("/sok/", {f"f{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)})
    assert response.status_code == 400
    text = page(response)
    assert "Skjemaet hadde for mange felt (mer enn 5 000)" in text
    assert_public(text)


def test_too_much_text_says_so(client, site_tree, settings):
    response = client.post("/sok/", {"q": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    assert response.status_code == 400
    assert "Skjemaet inneholdt for mye tekst (mer enn 2,5 MB utenom vedlagte filer)" in page(response)


def test_public_csrf_failure_is_norwegian_throughout(site_tree):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sok/", {"q": "lege"})
    assert response.status_code == 403
    text = page(response)
    assert "Skjemaet kunne ikke sendes" in text
    assert_public(text)


def test_staff_404_is_in_the_staff_layout(care, client_for):
    response = client_for(care.coordinator).get("/prosesser/forlop/999999/")
    assert response.status_code == 404
    text = page(response)
    assert "Fant ikke siden" in text
    assert_staff(text)


def test_staff_500_is_in_the_staff_layout(care, client_for, monkeypatch):
    from workflows import process_views

    def broken(self):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(process_views.AuditLogView, "get_queryset", broken)
    client = client_for(care.coordinator)
    client.raise_request_exception = False
    response = client.get("/prosesser/forlop/revisjonslogg/")
    assert response.status_code == 500
    text = page(response)
    assert "Noe gikk galt hos oss" in text
    assert_staff(text)


def test_staff_400_is_in_the_staff_layout(care, client_for):
    response = client_for(care.coordinator).get("/prosesser/forlop/?q=%00")
    assert response.status_code == 400
    assert_staff(page(response))


def test_staff_csrf_failure_is_norwegian(care):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "koordinator", "password": "feil"})
    assert response.status_code == 403
    text = page(response)
    assert "Skjemaet kunne ikke sendes" in text
    assert_staff(text)


def test_staff_403_is_norwegian(care, client_for):
    coordinator = client_for(care.coordinator)
    process = steps.to_approval(coordinator)
    # The GP's approval is the GP's own task: the coordinator may not answer it.
    response = coordinator.post(steps.task_url(process, "approve_gp"), {"decision": "godkjent"})
    assert response.status_code == 403
    text = page(response)
    assert "Ingen tilgang" in text
    assert "no transition" not in text
    assert_staff(text)


def test_a_post_to_a_finished_task_says_so_in_norwegian(care, client_for):
    coordinator = client_for(care.coordinator)
    process = steps.register_process(coordinator)
    url = steps.task_url(process, "consent")
    steps.post_step(coordinator, process, "consent", steps.consent())

    response = coordinator.post(url, steps.consent(), follow=True)
    text = page(response)
    assert "Oppgaven er allerede fullført." in text
    assert 'no transition from "DONE"' not in text
    assert process.consents.count() == 1
