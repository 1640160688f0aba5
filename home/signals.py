"""Keep pathways that use a module current when it changes: cached renderings and search entries."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.models import ReferenceIndex
from wagtail.search import index
from wagtail.signals import published, unpublished

from core import cache_versions

from .models import PathwayModule, PathwayPage


def pathways_using(module):
    """Pages whose content refers to this module, from Wagtail's reference index."""
    references = ReferenceIndex.get_references_to(module)
    page_ids = references.filter(base_content_type__model="page").values_list("object_id", flat=True)
    return PathwayPage.objects.filter(pk__in=[int(pk) for pk in page_ids])


# pre_delete, not post_delete: Wagtail's own post_delete handler removes the references to a deleted
# object, and whether it runs before this one depends only on the order of INSTALLED_APPS. The bump is
# repeated after commit (see core.cache_versions), so a request during the delete cannot cache the old module.
@receiver(published, sender=PathwayModule)
@receiver(unpublished, sender=PathwayModule)
@receiver(pre_delete, sender=PathwayModule)
def module_changed(sender, instance, **kwargs):
    for page in pathways_using(instance).specific():
        cache_versions.bump(cache_versions.pathway(page.pk))
        # The pathway's search entry includes the module's text (PathwayPage.module_text).
        index.insert_or_update_object(page)
