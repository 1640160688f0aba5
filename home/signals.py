"""Invalidate cached pathway renderings when a module they use changes."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import ReferenceIndex
from wagtail.signals import published, unpublished

from directory import cache

from .models import PathwayModule, PathwayPage


def pathways_using(module):
    """Pages whose content refers to this module, from Wagtail's reference index."""
    references = ReferenceIndex.get_references_to(module)
    page_ids = references.filter(base_content_type__model="page").values_list("object_id", flat=True)
    return PathwayPage.objects.filter(pk__in=[int(pk) for pk in page_ids])


@receiver(published, sender=PathwayModule)
@receiver(unpublished, sender=PathwayModule)
@receiver(post_delete, sender=PathwayModule)
def module_changed(sender, instance, **kwargs):
    for page_id in pathways_using(instance).values_list("pk", flat=True):
        cache.invalidate_key(f"pathway:{page_id}")
