"""Shared fixtures: a site tree with the catalogue, municipalities with their groups, and users verified with TOTP."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Page, Site

from directory.catalogue import seed_catalogue
from directory.groups import create_municipality, ensure_national_admins
from directory.models import ActorPage, ActorType, ContactPerson, Municipality, MunicipalityIndexPage, PostalCode
from home.models import HomePage

DEMO_MUNICIPALITIES = {
    "4601": ("Bergen", [("5003", "BERGEN")]),
    "4624": ("Bjørnafjorden", [("5200", "OS"), ("5640", "EIKELANDSOSEN")]),
    "4625": ("Austevoll", [("5392", "STOREBØ")]),
    "4623": ("Samnanger", [("5650", "TYSSE")]),
}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Publish the national catalogue once per test database; tests roll back to it.

    Tests that flush the database (transactional ones) get it again from ``site_tree``,
    since ``seed_catalogue`` only adds what is missing.
    """
    with django_db_blocker.unblock():
        seed_catalogue()


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def register(db):
    """A small slice of the postal register: the demo municipalities and one without an actor map."""
    for number, (name, codes) in {**DEMO_MUNICIPALITIES, "4631": ("Alver", [("5914", "ISDALSTØ")])}.items():
        municipality = Municipality.objects.create(number=number, name=name)
        for code, place in codes:
            PostalCode.objects.create(code=code, place=place, municipality=municipality, category="G")


@pytest.fixture
def site_tree(register):
    """Home page at the site root, the catalogue, and «Finn hjelp der du bor» with national admins."""
    root = Page.get_first_root_node()
    home = HomePage(title="LKT", slug="lkt")
    root.add_child(instance=home)
    Site.objects.update_or_create(is_default_site=True, defaults={"root_page": home, "hostname": "localhost"})
    index = MunicipalityIndexPage(title="Finn hjelp der du bor", slug="finn-hjelp")
    home.add_child(instance=index)
    seed_catalogue()
    ensure_national_admins()
    return home


@pytest.fixture
def make_municipality(site_tree):
    def make(number):
        page, editors, reviewers = create_municipality(number)
        return page, editors, reviewers

    return make


@pytest.fixture
def make_actor():
    def make(
        municipality_page,
        title,
        type_slugs=("koordinerende-enhet-kommune",),
        phone="55 00 00 00",
        contacts=(("Kari Nordmann", "Leder", "55 11 22 33"),),
        user=None,
    ):
        actor = ActorPage(title=title, phone=phone, email="post@example.com")
        municipality_page.add_child(instance=actor)
        actor.actor_types.set(ActorType.objects.filter(slug__in=type_slugs))
        for i, (name, role, contact_phone) in enumerate(contacts):
            actor.contacts.add(ContactPerson(name=name, role=role, phone=contact_phone, sort_order=i))
        actor.save_revision(user=user).publish(user=user)
        return ActorPage.objects.get(pk=actor.pk)

    return make


@pytest.fixture
def make_user(db):
    def make(username, groups=(), superuser=False, email=None):
        user = get_user_model().objects.create_user(
            username=username,
            email=email or f"{username}@example.com",
            password="korrekt-hest-batteri",
            is_superuser=superuser,
            is_staff=superuser,
        )
        user.groups.set(groups)
        return user

    return make


def verify_client(client, user):
    """Log a test client in as a user whose session has passed the second factor."""
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def verified_client(client):
    return lambda user: verify_client(client, user)


@pytest.fixture
def care(register, make_user):
    """Bjørnafjorden's coordinating unit with a coordinator and a colleague, a GP with an account,
    Bergen's coordinating unit (outsiders to Bjørnafjorden's patients), a user with no role, and an auditor."""
    from types import SimpleNamespace

    from workflows import groups

    unit = groups.ensure_coordinating_unit("4624")
    other_unit = groups.ensure_coordinating_unit("4601")
    team_group = groups.ensure_care_team()
    auditors = groups.ensure_auditors()
    return SimpleNamespace(
        coordinator=make_user("koordinator", [unit.group]),
        colleague=make_user("kollega", [unit.group]),
        gp=make_user("fastlege", [team_group]),
        actor=make_user("aktor", [team_group]),
        outsider=make_user("utenforstaende", [other_unit.group]),
        stranger=make_user("fremmed", []),
        auditor=make_user("revisor", [auditors]),
    )


@pytest.fixture
def client_for():
    """A separate, verified test client per user, so several people can act in one test."""
    from django.test import Client

    return lambda user: verify_client(Client(), user)
