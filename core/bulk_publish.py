"""New pages created and published in bulk, leaving the state Wagtail's own create-and-publish leaves.

For one new page Wagtail's path – ``parent.add_child(instance=page)``, ``page.save_revision()``,
``revision.publish()`` – costs about a hundred queries: the page is validated three times (each time checking
every foreign key with a query), every child object is written one at a time and then written again by the
publish, the revision is turned back into a second copy of the page, and every audit log entry validates its
own foreign keys. That made a municipality's import of 60 actors take 40 seconds on a busy server.

:func:`create_published_pages` does the same for a list of new pages under one parent:

* each page is validated once (``full_clean``; foreign keys set from objects already loaded are not looked up
  again) and inserted with Wagtail's ``Page.save`` at the tree position ``add_child`` would give it;
* child objects (``ParentalKey``) and ``ParentalManyToManyField`` rows are inserted with one statement per model
  for the batch, then read back for the revisions with one query per relation;
* each revision is saved with Wagtail's ``save_revision`` (not validated again);
* publishing sets what ``PublishPageRevisionAction`` sets for a page with no earlier revision (live, live and
  latest revision, first and last published) and sends ``page_published`` and ``published`` as it does. What it
  does for an existing page – cancelling a workflow, updating aliases, logging a rename, moving comment positions –
  cannot apply to a page created in the same call;
* the ``wagtail.create`` and ``wagtail.publish`` entries (and ``wagtail.edit`` if asked) are the ones
  ``wagtail.log_actions.log`` writes, inserted with one statement per batch;
* search-index and reference-index updates and frontend-cache purges run once for the whole call
  (``core.tasks.gathered_tasks``), and so do the cache-version bumps the publish signals cause
  (``core.cache_versions.gathered``).

``tests/directory/test_bulk_publish.py`` compares the result with Wagtail's path row by row, so that a Wagtail
upgrade that changes what publishing leaves behind fails a test rather than going unnoticed.
"""

import logging
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, prefetch_related_objects
from django.utils import timezone
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from treebeard.exceptions import PathOverflow
from wagtail.log_actions import get_active_log_context
from wagtail.log_actions import registry as log_registry
from wagtail.models import COMMENTS_RELATION_NAME, Page
from wagtail.signals import page_published, published

from . import cache_versions
from .tasks import gathered_tasks

logger = logging.getLogger("wagtail")

BATCH_SIZE = 100


@dataclass
class NewPage:
    """An unsaved page (its own fields set, no child objects in memory) and what belongs to it.

    ``children``: child relation name (a ``ParentalKey``'s related name) -> unsaved objects, e.g.
    ``{"contacts": [ContactPerson(...)]}``; their order fields are the caller's to set. ``m2m``:
    ``ParentalManyToManyField`` name -> related objects.
    """

    page: Page
    children: dict = field(default_factory=dict)
    m2m: dict = field(default_factory=dict)


def create_published_pages(parent, new_pages, user=None, *, log_revisions=False, on_published=None):
    """Create ``new_pages`` (:class:`NewPage`) as children of ``parent``, in order after its existing children, and
    publish each through a revision by ``user``; returns the pages.

    ``log_revisions`` adds the ``wagtail.edit`` entry ``save_revision(log_action=True)`` writes. ``on_published`` is
    called with each page once it is published. Runs in a transaction of its own (a savepoint inside the
    caller's), batch by batch, so that a large import reports progress as it goes.
    """
    pages = []
    if not new_pages:
        return pages
    with transaction.atomic(), gathered_tasks(), cache_versions.gathered():
        for start in range(0, len(new_pages), BATCH_SIZE):
            pages += _create_batch(parent, new_pages[start : start + BATCH_SIZE], user, log_revisions, on_published)
    return pages


def _create_batch(parent, batch, user, log_revisions, on_published):
    entries = []
    pages = _insert(parent, batch, user, entries)
    _insert_related(batch)
    for model in {type(page) for page in pages}:
        same = [page for page in pages if type(page) is model]
        names = [rel.get_accessor_name() for rel in get_all_child_relations(model)]
        # Read back once for the batch: the revisions serialise them, the reference index reads them.
        prefetch_related_objects(same, *names, *(f.name for f in get_all_child_m2m_relations(model)))
    for page in pages:
        # A new page has no comments; held in memory, save_revision needs no query to find the unsaved ones.
        setattr(page, COMMENTS_RELATION_NAME, list(getattr(page, COMMENTS_RELATION_NAME).all()))
        revision = page.save_revision(user=user, clean=False, log_action=False)
        if log_revisions:
            entries.append(_log_entry(page, "wagtail.edit", user=user, revision=revision, content_changed=True))
        _publish(page, revision, user, entries)
        if on_published is not None:
            on_published(page)
    log_model = log_registry.get_log_model_for_model(type(pages[0])) if pages else None
    if log_model is not None:
        log_model.objects.bulk_create(entries)
    return pages


def _insert(parent, batch, user, entries):
    """Validate and insert each page where ``parent.add_child`` would put it; the parent's child count once."""
    # The parent's row read afresh and locked, as add_child does, so that no other writer takes the same positions.
    fresh = Page.objects.select_for_update().get(pk=parent.pk)
    last = fresh.get_last_child()
    position = last._get_lastpos_in_path() if last is not None else 0
    depth = fresh.depth + 1
    locale = parent.locale
    pages = []
    for new in batch:
        page = new.page
        if getattr(page, "_cluster_related_objects", None):
            raise ValueError("Pass child objects in NewPage.children and NewPage.m2m, not on the page.")
        if page.go_live_at and page.go_live_at > timezone.now():
            raise ValueError("Scheduled publishing is not supported here: use Wagtail's publish.")
        position += 1
        page.depth, page.numchild = depth, 0
        page.path = Page._get_path(fresh.path, depth, position)
        if len(page.path) != len(fresh.path) + Page.steplen:
            raise PathOverflow(f"Path overflow under {fresh.path}")
        page._cached_parent_obj = parent  # what add_child leaves on a new child
        # As add_child keeps it: the slug check below reads the parent's children only when it has some.
        parent.numchild = fresh.numchild + len(pages)
        if page.locale_id is None:
            page.locale = locale  # Page.get_default_locale: the parent's
        # A page that is not saved yet cannot be a site's root (its translation key is new).
        page._is_site_root = False
        page.live = False  # created as a draft and published below, as the admin does
        # Foreign keys set from objects already loaded (content type, locale, owner) need no lookup; the database's
        # constraints still hold them. (Leaving out the locale also leaves out the check that no page has this new
        # translation key in that locale.)
        page.full_clean(exclude=_loaded_foreign_keys(page))
        page.save(clean=False, log_action=None)
        entries.append(_log_entry(page, "wagtail.create", user=user or page.owner, content_changed=True))
        pages.append(page)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    parent.numchild = fresh.numchild + len(pages)
    return pages


def _insert_related(batch):
    """The child objects and many-to-many rows of the whole batch, one INSERT per model."""
    rows = {}
    for new in batch:
        page = new.page
        relations = {rel.get_accessor_name(): rel for rel in get_all_child_relations(type(page))}
        for name, objects in new.children.items():
            relation = relations[name]
            for obj in objects:
                setattr(obj, relation.field.name, page)
            rows.setdefault(relation.related_model, []).extend(objects)
        for name, objects in new.m2m.items():
            m2m = page._meta.get_field(name)
            through = m2m.remote_field.through
            source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
            unique = {obj.pk: obj for obj in objects}  # as ManyRelatedManager.add: each related object once
            rows.setdefault(through, []).extend(through(**{source: page, target: obj}) for obj in unique.values())
    for model, objects in rows.items():
        model._default_manager.bulk_create(objects)


def _publish(page, revision, user, entries):
    """What PublishPageRevisionAction does for a page whose only revision is ``revision``."""
    now = timezone.now()
    page.live = True
    page.has_unpublished_changes = False  # the revision just saved is the latest
    page.expired = False
    page.last_published_at = now
    page.live_revision = revision
    if page.first_published_at is None:
        page.first_published_at = now
    page.save(
        clean=False,
        update_fields=[
            "live",
            "has_unpublished_changes",
            "expired",
            "first_published_at",
            "last_published_at",
            "live_revision",
        ],
    )
    page_published.send(sender=page.specific_class, instance=page, revision=revision)
    published.send(sender=type(page), instance=page, revision=revision)
    entries.append(_log_entry(page, "wagtail.publish", user=user, revision=revision, content_changed=True))
    logger.info('Published: "%s" pk=%s revision_id=%d', str(page), str(page.pk), revision.id)


def _loaded_foreign_keys(page):
    return [
        f.name
        for f in page._meta.concrete_fields
        if f.many_to_one and f.is_cached(page) and getattr(page, f.attname) is not None
    ]


def _log_entry(instance, action, user=None, revision=None, content_changed=False):
    """The entry ``wagtail.log_actions.log`` would save for a page, unsaved, so that a batch is one INSERT."""
    if not log_registry.action_exists(action):  # what the entry's own clean() checks
        raise ValueError(f"The log action {action!r} has not been registered.")
    model = log_registry.get_log_model_for_instance(instance)
    context = get_active_log_context()
    return model(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        label=model.objects.get_instance_title(instance),
        action=action,
        timestamp=timezone.now(),
        data={},
        user=user or context.user,
        uuid=context.uuid,
        revision=revision,
        content_changed=content_changed,
        page=instance,
    )
