"""core.bulk_publish leaves what Wagtail's add_child, save_revision and publish leave, row by row.

One actor goes through Wagtail's own path (as the import went before), its twin through
``create_published_pages``; everything that differs only by id, title, slug or time is normalised away and the
rest must be equal: the page row, the revision's content, the audit log, the contacts and types, the reference
index, the search entry, the confirmation, the signals sent and the cache versions bumped. A Wagtail upgrade that
changes what a publish leaves behind fails here.
"""

import re
import uuid
from datetime import datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.models import PageLogEntry, ReferenceIndex
from wagtail.search.models import IndexEntry
from wagtail.signals import page_published, published

from core import cache_versions
from core.bulk_publish import NewPage, create_published_pages
from directory.groups import NATIONAL_ADMINS
from directory.models import ActorPage, ActorType, ContactPerson, Municipality, MunicipalityPage, PostalCode
from directory.services import gathered_confirmations
from directory.spreadsheet_import import import_directory
from tests.directory.test_import_export import csv_bytes, row

pytestmark = pytest.mark.django_db

FIELDS = {
    "phone": "55 12 34 56",
    "email": "post@example.com",
    "website": "https://example.com/",
    "visiting_address": "Rådhusvegen 1",
    "description": "<p>Vi hjelper deg.</p>",
    "org_number": "974760673",
    "area_scope": "valgt",
    "area_name": "Os og omegn",
}
CONTACTS = [("Åse Ødegård", "Leder", "56 57 50 01", "ase@example.com"), ("Bjørn Æsøy", "Koordinator", "", "")]
TYPES = ["koordinerende-enhet-kommune", "legevakt"]


def _contacts():
    return [
        ContactPerson(name=name, role=role, phone=phone, email=email, sort_order=i)
        for i, (name, role, phone, email) in enumerate(CONTACTS)
    ]


def _related():
    return {
        "actor_types": list(ActorType.objects.filter(slug__in=TYPES)),
        "area_municipalities": [Municipality.objects.get(number="4624")],
        "area_postal_codes": [PostalCode.objects.filter(municipality_id="4624").first()],
    }


def _through_wagtail(parent, user, title):
    """What the import did for a new actor before: add_child, save_revision(log_action=True), publish."""
    page = ActorPage(title=title, slug=title.lower().replace(" ", "-"), owner=user, live=False, **FIELDS)
    for name, objects in _related().items():
        setattr(page, name, objects)
    page.contacts = _contacts()
    parent.add_child(instance=page)
    page.save_revision(user=user, log_action=True).publish(user=user)
    return page.pk


def _in_bulk(parent, user, title):
    page = ActorPage(title=title, slug=title.lower().replace(" ", "-"), owner=user, **FIELDS)
    with gathered_confirmations():
        (page,) = create_published_pages(
            parent, [NewPage(page, children={"contacts": _contacts()}, m2m=_related())], user, log_revisions=True
        )
    return page.pk


def _normalise(value, page):
    """A value with this page's id, title, slug, path, translation key and times replaced by placeholders."""
    if isinstance(value, dict):
        return {k: _normalise(v, page) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise(v, page) for v in value]
    if isinstance(value, datetime):
        return "<time>"
    if isinstance(value, uuid.UUID):
        value = str(value)
    if isinstance(value, str):
        if re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)?", value):
            return "<time>"
        for known, placeholder in (
            (page.url_path, "<url_path>"),
            (page.path, "<path>"),
            (str(page.translation_key), "<translation_key>"),
            (page.title, "<title>"),
            (page.slug, "<slug>"),
        ):
            value = value.replace(known, placeholder)
        return value
    return value


# The indexed text as stored: PostgreSQL keeps it beside its tsvectors, SQLite in the columns themselves.
SEARCH_TEXT = (
    ("title_text", "body_text")
    if any(f.name == "title_text" for f in IndexEntry._meta.get_fields())
    else ("title", "body")
)


def _state(pk):
    page = ActorPage.objects.get(pk=pk)
    revision = page.latest_revision
    row = {
        f.attname: getattr(page, f.attname)
        for f in ActorPage._meta.concrete_fields
        if f.attname not in ("id", "page_ptr_id", "latest_revision_id", "live_revision_id")
    }
    content = dict(revision.content)
    content["pk"] = "<pk>"
    content["contacts"] = [{**c, "pk": "<contact>", "page": "<pk>"} for c in content["contacts"]]
    page_type = ContentType.objects.get_for_model(ActorPage)
    return _normalise(
        {
            "row": row,
            "revisions": list(page.revisions.values_list("pk", flat=True)) == [revision.pk],
            "live and latest revision": page.live_revision_id == page.latest_revision_id == revision.pk,
            "revision": {
                "user": revision.user_id,
                "object_str": revision.object_str,
                "approved_go_live_at": revision.approved_go_live_at,
                "content": content,
            },
            "log": [
                (e.action, e.user_id, e.label, e.data, e.content_changed, e.deleted, e.revision_id == revision.pk)
                for e in PageLogEntry.objects.filter(page=page).order_by("timestamp", "id")
            ],
            "contacts": list(page.contacts.values_list("name", "role", "phone", "email", "sort_order")),
            "types": sorted(page.actor_types.values_list("slug", flat=True)),
            "areas": (
                list(page.area_municipalities.values_list("pk", flat=True)),
                list(page.area_postal_codes.values_list("pk", flat=True)),
            ),
            "references": sorted(
                ReferenceIndex.objects.filter(object_id=str(pk)).values_list(
                    "content_type_id", "base_content_type_id", "to_content_type_id", "to_object_id", "model_path"
                )
            ),
            "search": list(
                IndexEntry.objects.filter(content_type=page_type, object_id=str(pk)).values_list(*SEARCH_TEXT)
            ),
            "confirmation": (page.confirmation.confirmed_by_id, page.confirmation.confirmed_at >= revision.created_at),
            "published": (page.first_published_at == page.last_published_at, page.url_path.endswith(page.slug + "/")),
        },
        page,
    )


@pytest.fixture
def signals():
    """(signal name, sender, page id, revision id) of every page_published and published sent."""
    sent = []

    def page_published_receiver(sender, instance, revision, **kwargs):
        sent.append(("page_published", sender, instance.pk, revision.pk))

    def published_receiver(sender, instance, revision, **kwargs):
        sent.append(("published", sender, instance.pk, revision.pk))

    page_published.connect(page_published_receiver)
    published.connect(published_receiver)
    yield sent
    page_published.disconnect(page_published_receiver)
    published.disconnect(published_receiver)


def test_bulk_publish_leaves_what_wagtails_publish_leaves(make_municipality, make_user, signals):
    parent, _, _ = make_municipality("4624")
    user = make_user("nasjonal", groups=[Group.objects.get(name=NATIONAL_ADMINS)])

    version = cache_versions.current(cache_versions.municipality(parent.pk))
    wagtail_pk = _through_wagtail(parent, user, "Enhet Wagtail")
    after_wagtail = cache_versions.current(cache_versions.municipality(parent.pk))
    bulk_pk = _in_bulk(parent, user, "Enhet Bulk")
    after_bulk = cache_versions.current(cache_versions.municipality(parent.pk))

    wagtail, bulk = _state(wagtail_pk), _state(bulk_pk)
    for key in wagtail:
        assert bulk[key] == wagtail[key], key
    assert [action for action, *_ in bulk["log"]] == ["wagtail.create", "wagtail.edit", "wagtail.publish"]
    assert bulk["search"] and bulk["references"]
    # The same signals, once each, for the published page and its revision.
    revisions = {pk: ActorPage.objects.get(pk=pk).live_revision_id for pk in (wagtail_pk, bulk_pk)}
    for pk in (wagtail_pk, bulk_pk):
        assert [s for s in signals if s[2] == pk] == [
            ("page_published", ActorPage, pk, revisions[pk]),
            ("published", ActorPage, pk, revisions[pk]),
        ]
    # Both invalidate the municipality's cached renderings.
    assert version != after_wagtail != after_bulk
    # The tree: both are children of the municipality, in the order created, and the parent counts them.
    parent.refresh_from_db()
    children = list(parent.get_children().values_list("pk", flat=True))
    assert children[-2:] == [wagtail_pk, bulk_pk] and parent.numchild == len(children)


def test_bulk_publish_costs_a_fixed_number_of_queries_per_page(make_municipality):
    parent, _, _ = make_municipality("4625")
    stale = MunicipalityPage.objects.get(pk=parent.pk)  # loaded before any child: its numchild says 0
    types = list(ActorType.objects.filter(slug__in=TYPES))
    reloaded = MunicipalityPage.objects.get(pk=parent.pk)

    def publish(parent, prefix, n):
        new = [
            NewPage(
                ActorPage(title=f"{prefix} {i}", slug=f"{prefix.lower()}-{i}", phone="55 00 00 00"),
                children={"contacts": _contacts()},
                m2m={"actor_types": types},
            )
            for i in range(n)
        ]
        with CaptureQueriesContext(connection) as queries, gathered_confirmations():
            create_published_pages(parent, new)
        return len(queries)

    publish(parent, "Først", 1)  # so that both measured calls add to a parent with children
    few, many = publish(reloaded, "Få", 3), publish(stale, "Mange", 13)
    # 17 a page: the slug and path checks, the page's two rows, its revision, two updates of the page row, eight
    # savepoint statements (Wagtail's save and save_revision each open one), and two for its reference index.
    assert (many - few) / 10 <= 17, (few, many)
    assert ActorPage.objects.filter(municipality=parent, live=True).count() == 17
    # The last batch went after the others, though the parent it was given did not know of them.
    titles = [p.title for p in MunicipalityPage.objects.get(pk=parent.pk).get_children()]
    assert titles == ["Først 0"] + [f"Få {i}" for i in range(3)] + [f"Mange {i}" for i in range(13)]
    assert timezone.now() >= ActorPage.objects.filter(municipality=parent).latest("last_published_at").last_published_at


class RecordingBackend(BaseBackend):
    """A frontend cache that records what it is asked to purge, one list per request."""

    batches = []

    def purge(self, url):
        self.batches.append([url])

    def purge_batch(self, urls):
        self.batches.append(sorted(urls))


def test_an_import_purges_the_frontend_cache_and_bumps_each_version_once(
    make_municipality, make_user, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {"recording": {"BACKEND": f"{__name__}.RecordingBackend"}}
    RecordingBackend.batches.clear()
    bumped = []
    monkeypatch.setattr(cache_versions, "_bump", lambda key, name: bumped.append(key))
    page, _, _ = make_municipality("4624")
    user = make_user("nasjonal", groups=[Group.objects.get(name=NATIONAL_ADMINS)])
    rows = [row(f"Enhet {i}", kommuner="4624, 4625" if i == 0 else "") for i in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        assert import_directory(page, csv_bytes(rows), "kart.csv", user).ok

    urls = sorted(actor.full_url for actor in ActorPage.objects.filter(municipality=page))
    bans = [batch for batch in RecordingBackend.batches if "/.lkt-ban/" in batch[0]]
    # The three new actors' pages in one purge, not one each.
    assert [batch for batch in RecordingBackend.batches if batch not in bans] == [urls]
    # The municipality's version and the cross-map one (an actor serves Austevoll too): bumped once during the
    # import and once after its commit, each purged once.
    versions = [f"{cache_versions.PREFIX}{cache_versions.municipality(page.pk)}", f"{cache_versions.PREFIX}areas"]
    assert sorted(bumped) == sorted(versions * 2)
    assert sorted(batch[0].rsplit("/", 1)[1] for batch in bans) == sorted(v.removeprefix("version:") for v in versions)
