"""The in-process task backend for Wagtail's own small tasks, with a way to gather them during bulk writes.

Wagtail enqueues a search-index and a reference-index update on every save of a page. Run in the
process that saved (as before any queue existed), a page is searchable and its references are known the
moment it is published. A bulk import saves each page three times (create, revision, publish); inside
:func:`gathered_tasks` the updates are collected, and each distinct one runs once when the block ends,
on the final state of the object. The per-object updates of many objects of one model run as one task
(:func:`index_objects_task`, :func:`update_reference_index_for_objects_task`), and the frontend-cache purges
as one purge of all their URLs.
"""

import logging
import threading
from contextlib import contextmanager

from django.apps import apps
from django.db import transaction
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

logger = logging.getLogger(__name__)

_gathering = threading.local()

# Wagtail's per-object tasks, by module path, whose work for many objects of one model can be done at once.
SEARCH_INDEX_TASK = "modelsearch.tasks.insert_or_update_object_task"
REFERENCE_INDEX_TASK = "wagtail.tasks.update_reference_index_task"
FRONTEND_PURGE_TASK = "wagtail.contrib.frontend_cache.tasks.purge_urls_from_cache_task"


class GatheringImmediateBackend(ImmediateBackend):
    """Runs a task at once, unless a :func:`gathered_tasks` block in this thread is collecting them."""

    def enqueue(self, task, args, kwargs):
        pending = getattr(_gathering, "pending", None)
        if pending is None:
            return super().enqueue(task, args, kwargs)
        self.validate_task(task)
        key = (task.module_path, repr(args), repr(sorted(kwargs.items())))
        pending.setdefault(key, (self, task, args, kwargs))
        return None


@contextmanager
def gathered_tasks():
    """Collect the in-process tasks enqueued in this block and run each distinct one once at its end.

    The tasks run inside the caller's transaction if there is one, so an import's index entries are
    written, or rolled back, with the pages they describe.
    """
    if getattr(_gathering, "pending", None) is not None:
        yield  # an outer block runs them
        return
    _gathering.pending = {}
    try:
        yield
        pending = _gathering.pending
    finally:
        _gathering.pending = None
    for backend, task_, args, kwargs in _merged(pending.values()):
        backend.enqueue(task_, args, kwargs)


def _merged(pending):
    """The gathered tasks with the search and reference index updates of each model, and the purges, merged."""
    per_model, purges, others = {}, {}, []
    for backend, task_, args, kwargs in pending:
        path = task_.module_path
        if path in (SEARCH_INDEX_TASK, REFERENCE_INDEX_TASK) and len(args) == 3 and not kwargs:
            app_label, model_name, pk = args
            per_model.setdefault((path, app_label, model_name), (backend, task_, []))[2].append(pk)
        elif path == FRONTEND_PURGE_TASK and args and not kwargs:
            urls, *rest = args
            merged = purges.setdefault(repr(rest), (backend, task_, [], rest))[2]
            merged.extend(url for url in urls if url not in merged)
        else:
            others.append((backend, task_, args, kwargs))
    for (path, app_label, model_name), (backend, task_, pks) in per_model.items():
        if len(pks) == 1:
            yield backend, task_, [app_label, model_name, pks[0]], {}
        else:
            bulk = index_objects_task if path == SEARCH_INDEX_TASK else update_reference_index_for_objects_task
            yield backend, bulk, [app_label, model_name, pks], {}
    for backend, task_, urls, rest in purges.values():
        yield backend, task_, [urls, *rest], {}
    yield from others


@task()
def index_objects_task(app_label, model_name, pks):
    """``insert_or_update_object_task`` for many objects of one model: one add_bulk per indexed class and backend."""
    from modelsearch.backends import get_search_backends_with_name

    model = apps.get_model(app_label, model_name)
    by_class = {}
    for obj in model.objects.filter(pk__in=pks):
        instance = obj.get_indexed_instance()  # a page: its specific object
        if instance is not None:
            by_class.setdefault(type(instance), []).append(instance.pk)
    for cls, class_pks in by_class.items():
        # Only what the class indexes, as insert_or_update_object checks for each object.
        objects = list(_with_related(cls, cls.get_indexed_objects().filter(pk__in=class_pks)))
        for name, backend in get_search_backends_with_name(with_auto_update=True):
            try:
                backend.add_bulk(cls, objects)
            except Exception:
                logger.exception("Exception raised while adding %s objects of %s to '%s'", len(objects), cls, name)
                # As insert_or_update_object: a database backend's error aborts the transaction anyway.
                if not backend.catch_indexing_errors:
                    raise


def _with_related(cls, queryset):
    """Prefetch the parental many-to-many fields the search fields read (get_indexed_objects leaves them out)."""
    from modelcluster.fields import ParentalManyToManyField
    from modelsearch.index import RelatedFields

    for search_field in cls.get_search_fields():
        if isinstance(search_field, RelatedFields):
            model_field = cls._meta.get_field(search_field.field_name)
            if isinstance(model_field, ParentalManyToManyField):
                queryset = queryset.prefetch_related(search_field.field_name)
    return queryset


@task()
def update_reference_index_for_objects_task(app_label, model_name, pks):
    """``update_reference_index_task`` for many objects of one model, their child objects read once for all."""
    from modelcluster.fields import ParentalKey
    from modelcluster.models import get_all_child_relations
    from wagtail.models import ReferenceIndex
    from wagtail.tasks import update_reference_index_task

    model = apps.get_model(app_label, model_name)
    if any(isinstance(f, ParentalKey) for f in model._meta.get_fields()):
        # A child object is indexed through its parent: Wagtail's task finds the parent, one object at a time.
        for pk in pks:
            update_reference_index_task.call(app_label, model_name, pk)
        return
    if not ReferenceIndex.is_indexed(model):
        return
    children = [rel.get_accessor_name() for rel in get_all_child_relations(model)]
    with transaction.atomic():
        for instance in model.objects.filter(pk__in=pks).prefetch_related(*children):
            ReferenceIndex.create_or_update_for_object(instance)
