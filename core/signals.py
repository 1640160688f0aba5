"""Keep the full-page cache (``core.page_cache``) and the routes (``core.route_cache``) in step with the page tree
and the sites."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
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


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def site_changed(sender, instance, **kwargs):
    # Every address changes with a site's host, port or root page; core.route_cache keeps the sites.
    cache_versions.bump(cache_versions.pages())
    cache_versions.bump(cache_versions.sites(), purge=False)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(m2m_changed, sender=PageViewRestriction.groups.through)
def privacy_changed(sender, instance, **kwargs):
    # Wagtail's privacy setting saves a restriction, not the page: without this the full-page cache and the
    # frontend cache would go on serving a page made private to anyone. A restriction covers a whole subtree,
    # and privacy changes are rare: every page is let go.
    cache_versions.bump(cache_versions.pages())
