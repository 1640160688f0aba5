"""Keep the directory's cached pages and confirmation dates in step with publishing."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.search.tasks import insert_or_update_object_task
from wagtail.signals import page_published, page_unpublished, published, unpublished

from core import cache_versions
from core.tasks import gathered_tasks

from .models import AREAS_VERSION, ActorPage, ActorType, HealthTrustPage, MunicipalityPage
from .services import record_confirmation


def _municipality_id(page):
    if isinstance(page, MunicipalityPage):
        return page.pk
    return getattr(page, "municipality_id", None)


@receiver(page_published, sender=ActorPage)
def actor_published(sender, instance, revision=None, **kwargs):
    # Publishing an actor means someone has looked at its data: that counts as a confirmation.
    user = revision.user if revision is not None else None
    record_confirmation(instance, user)
    # The search entry written at the page's post_save predates its actor types, which a clusterable page
    # saves after that signal; index it again now that they are saved («legevakt» finds the legevakt).
    insert_or_update_object_task.enqueue(instance._meta.app_label, instance._meta.model_name, str(instance.pk))


@receiver(page_published, sender=MunicipalityPage)
@receiver(page_unpublished, sender=MunicipalityPage)
@receiver(page_unpublished, sender=ActorPage)
@receiver(post_delete, sender=ActorPage)
@receiver(post_delete, sender=MunicipalityPage)
def page_changed(sender, instance, **kwargs):
    municipality_id = _municipality_id(instance)
    if municipality_id:
        cache_versions.bump(cache_versions.municipality(municipality_id))
    if getattr(instance, "reaches_other_maps", False):
        cache_versions.bump(AREAS_VERSION)


@receiver(page_published, sender=HealthTrustPage)
@receiver(page_unpublished, sender=HealthTrustPage)
@receiver(post_delete, sender=HealthTrustPage)
def health_trust_changed(sender, instance, **kwargs):
    # A trust's catchment area decides which municipalities' maps show its units.
    cache_versions.bump(cache_versions.municipality(instance.pk))
    cache_versions.bump(AREAS_VERSION)


@receiver(published, sender=ActorType)
@receiver(unpublished, sender=ActorType)
@receiver(post_delete, sender=ActorType)
def actor_type_changed(sender, **kwargs):
    cache_versions.bump(cache_versions.catalogue())


# What Wagtail writes on a draft, a lock or a workflow step: nothing a page shows of a live actor type.
ACTOR_TYPE_BOOKKEEPING = frozenset({"latest_revision", "has_unpublished_changes", "locked", "locked_at", "locked_by"})


@receiver(post_save, sender=ActorType)
def actor_type_saved(sender, update_fields=None, **kwargs):
    # A save outside a publish (a script, a seed) may change the live catalogue (ActorType.live_catalogue): it is
    # read again. Wagtail's own bookkeeping saves change none of it, and would otherwise end every cached map.
    if update_fields is not None and set(update_fields) <= ACTOR_TYPE_BOOKKEEPING:
        return
    cache_versions.bump(cache_versions.catalogue(), purge=False)


@receiver(published, sender=ActorType)
def actor_type_published(sender, instance, **kwargs):
    # Every actor of this type carries the type's name and description in its search entry (the public search
    # finds a service by what it is): they are indexed again, each once, when the publish is done.
    with gathered_tasks():
        for pk in ActorPage.objects.filter(actor_types=instance).values_list("pk", flat=True):
            insert_or_update_object_task.enqueue(ActorPage._meta.app_label, ActorPage._meta.model_name, str(pk))
