"""Keep the full-page cache (``core.page_cache``) in step with the page tree."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from . import cache_versions


def _bump_pages(instance):
    # A page whose changes show only where its own version is read (an actor: its municipality's) says so.
    if getattr(instance, "changes_show_only_in_own_version", False):
        return
    cache_versions.bump(cache_versions.pages())


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_page_move)
def page_tree_changed(sender, instance, **kwargs):
    _bump_pages(instance)


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        _bump_pages(instance)
