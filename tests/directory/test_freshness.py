"""Kept dynamically updated: confirmations, overdue logic, reminders, reports, and caches that are never stale."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from core.dates import add_months
from directory.models import ActorConfirmation, ActorPage, ContactPerson
from directory.services import CONFIRM_ACTION, confirm_unchanged
from tests import factories


@pytest.fixture(scope="module")
def _two_municipalities(module_db):
    with module_db():
        bjorna, bjorna_editors, bjorna_reviewers = factories.municipality("4624")
        austevoll, austevoll_editors, _ = factories.municipality("4625")
        return factories.keys_of(
            {
                "bjorna": bjorna,
                "austevoll": austevoll,
                "editor": factories.make_user("rita", groups=[bjorna_editors]),
                "reviewer": factories.make_user("geir", groups=[bjorna_reviewers]),
                "other": factories.make_user("otto", groups=[austevoll_editors]),
                "actor": factories.make_actor(
                    bjorna, "Koordinerende enhet Bjørnafjorden", contacts=[("Kari Nordmann", "Leder", "55 11 22 33")]
                ),
                "far": factories.make_actor(
                    austevoll, "Koordinerende enhet Austevoll", contacts=[("Hilde Sæther", "Leder", "56 18 10 01")]
                ),
            }
        )


@pytest.fixture
def two_municipalities(db, _two_municipalities):
    """Bjørnafjorden (editor, reviewer, a coordinating unit) and Austevoll (an editor, a coordinating unit), built
    once for the module."""
    return factories.fresh(_two_municipalities)


def _age(actor, days):
    ActorConfirmation.objects.filter(page=actor).update(confirmed_at=timezone.now() - timedelta(days=days))


def _public(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _bulk_confirm_url(*pages):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "confirm"])
    return url + "?" + "&".join(f"id={page.pk}" for page in pages)


def test_publishing_counts_as_confirmation_and_the_public_page_shows_the_date(client, two_municipalities):
    actor = two_municipalities["actor"]
    assert actor.last_confirmed_at is not None
    body = _public(client, actor.url)
    assert f"Sist bekreftet {timezone.localtime(actor.last_confirmed_at).day}." in body


def test_confirm_unchanged_is_logged_and_limited_to_editable_pages(two_municipalities):
    actor, far = two_municipalities["actor"], two_municipalities["far"]
    _age(actor, 300)
    _age(far, 300)
    confirmed = confirm_unchanged([actor, far], two_municipalities["editor"])
    assert [p.pk for p in confirmed] == [actor.pk]
    actor.refresh_from_db()
    assert actor.confirmation.confirmed_by == two_municipalities["editor"]
    assert timezone.now() - actor.confirmation.confirmed_at < timedelta(minutes=1)
    assert PageLogEntry.objects.filter(page=actor, action=CONFIRM_ACTION).count() == 1
    assert not PageLogEntry.objects.filter(page=far, action=CONFIRM_ACTION).exists()
    # No new revision is created by a confirmation.
    assert actor.revisions.count() == 1


def test_bulk_confirm_through_the_admin(verified_client, two_municipalities, make_actor):
    second = make_actor(two_municipalities["bjorna"], "Hjemmesykepleien")
    actor = two_municipalities["actor"]
    _age(actor, 300)
    _age(second, 300)
    client = verified_client(two_municipalities["editor"])
    url = _bulk_confirm_url(actor, second)
    page = client.get(url)
    assert page.status_code == 200
    assert "Bekreft uendret" in page.content.decode()
    response = client.post(url, {})
    assert response.status_code == 302
    assert ActorPage.objects.overdue().filter(pk__in=[actor.pk, second.pk]).count() == 0
    assert PageLogEntry.objects.filter(action=CONFIRM_ACTION).count() == 2


def test_bulk_confirm_refuses_another_municipalitys_actor(verified_client, two_municipalities):
    far = two_municipalities["far"]
    _age(far, 300)
    client = verified_client(two_municipalities["editor"])
    response = client.post(_bulk_confirm_url(far), {})
    # Wagtail's bulk actions leave out the pages the user may not change, and report what was done.
    assert response.status_code == 302
    assert ActorPage.objects.overdue().filter(pk=far.pk).exists()
    assert not PageLogEntry.objects.filter(action=CONFIRM_ACTION).exists()


def test_overdue_follows_each_municipalitys_interval(two_municipalities):
    actor, far = two_municipalities["actor"], two_municipalities["far"]
    _age(actor, 100)
    _age(far, 100)
    assert not ActorPage.objects.overdue().exists()  # default interval: 6 months
    austevoll = two_municipalities["austevoll"]
    austevoll.review_interval_months = 3
    austevoll.save()
    assert list(ActorPage.objects.overdue()) == [far]
    _age(actor, 200)
    assert set(ActorPage.objects.overdue()) == {actor, far}
    ActorConfirmation.objects.filter(page=actor).delete()
    assert actor in ActorPage.objects.overdue()  # never confirmed counts as overdue


def test_add_months_clamps_to_month_end():
    moment = timezone.datetime(2026, 8, 31, 12, tzinfo=timezone.get_current_timezone())
    assert add_months(moment, 6).date() == timezone.datetime(2027, 2, 28).date()
    assert add_months(moment, -6).date() == timezone.datetime(2026, 2, 28).date()


def test_daily_reminder_goes_to_that_municipalitys_editors_only(two_municipalities):
    _age(two_municipalities["actor"], 400)
    mail.outbox.clear()
    call_command("send_overdue_reminders")
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["geir@example.com", "rita@example.com"]
    message = mail.outbox[0]
    assert "Bjørnafjorden" in message.subject
    assert "Koordinerende enhet Bjørnafjorden" in message.body
    assert "Austevoll" not in message.body


def test_overdue_report_shows_only_the_users_own_municipality(verified_client, two_municipalities):
    _age(two_municipalities["actor"], 400)
    _age(two_municipalities["far"], 400)
    client = verified_client(two_municipalities["editor"])
    response = client.get(reverse("directory_overdue"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Koordinerende enhet Bjørnafjorden" in body
    assert "Koordinerende enhet Austevoll" not in body
    export = client.get(reverse("directory_overdue"), {"export": "csv"})
    assert export.status_code == 200
    assert "Koordinerende enhet Bjørnafjorden" in b"".join(export.streaming_content).decode()


def test_coverage_report_counts_actors_and_lists_missing_required_types(
    verified_client, two_municipalities, make_actor
):
    make_actor(two_municipalities["bjorna"], "Bjørnafjorden legevakt", type_slugs=["legevakt"])
    _age(two_municipalities["actor"], 400)
    client = verified_client(two_municipalities["editor"])
    response = client.get(reverse("directory_coverage"))
    assert response.status_code == 200
    row = response.context["object_list"][0]
    assert (row.title, row.actor_count, row.overdue_count) == ("Bjørnafjorden", 2, 1)
    assert "Hjemmesykepleie" in row.missing_names
    assert "Legevakt" not in row.missing_names
    assert "Koordinerende enhet i kommunen" not in row.missing_names
    assert "Austevoll" not in response.content.decode()


def test_public_page_lists_uncovered_required_types(client, two_municipalities):
    body = _public(client, two_municipalities["bjorna"].url)
    assert "Ikke registrert ennå" in body
    assert "Legevakt" in body


def test_a_published_contact_change_shows_at_once_on_cached_pages(client, two_municipalities):
    actor = two_municipalities["actor"]
    bjorna, austevoll = two_municipalities["bjorna"], two_municipalities["austevoll"]
    # Warm the caches.
    for url in (bjorna.url, actor.url, austevoll.url):
        assert "55 11 22 33" in _public(client, url) or url == austevoll.url
    austevoll_key = type(austevoll).objects.get(pk=austevoll.pk).cache_key

    draft = actor.get_latest_revision_as_object()
    contacts = list(draft.contacts.all())
    contacts[0].phone = "55 99 88 77"
    draft.contacts = contacts
    revision = draft.save_revision()
    assert "55 11 22 33" in _public(client, bjorna.url)  # a draft is not published
    revision.publish()

    for url in (bjorna.url, actor.url):
        body = _public(client, url)
        assert "55 99 88 77" in body
        assert "55 11 22 33" not in body
    # Exactly the changed municipality is invalidated: the other keeps its cache key.
    assert type(austevoll).objects.get(pk=austevoll.pk).cache_key == austevoll_key


def test_unpublishing_an_actor_removes_it_from_the_cached_map(client, two_municipalities):
    actor, bjorna = two_municipalities["actor"], two_municipalities["bjorna"]
    assert actor.title in _public(client, bjorna.url)
    actor.unpublish()
    assert actor.title not in _public(client, bjorna.url)


def test_confirming_updates_the_date_on_the_cached_page(client, two_municipalities):
    actor, bjorna = two_municipalities["actor"], two_municipalities["bjorna"]
    _age(actor, 400)
    ContactPerson.objects.filter(page=actor).update(role="Leder")
    old = _public(client, bjorna.url)
    confirm_unchanged([actor], two_municipalities["editor"])
    new = _public(client, bjorna.url)
    assert old != new
    assert f"Sist bekreftet {timezone.localdate().day}." in new
