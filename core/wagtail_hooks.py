"""Wagtail's admin forms with the project's hardened form fields (:mod:`core.widgets`); public pages marked for the
full-page cache."""

from wagtail import hooks
from wagtail.admin.forms.models import register_form_field_override
from wagtail.fields import StreamField

from . import page_cache
from .widgets import BlockField

# Every StreamField edited in the admin (pages and snippets) refuses unreadable block data with a message.
register_form_field_override(StreamField, override={"form_class": BlockField})


@hooks.register("before_serve_page")
def public_page_may_be_cached(page, request, serve_args, serve_kwargs):
    """A page Wagtail serves may go into the full-page cache (``core.page_cache``), if the response allows it.

    The middleware stores only requests without a session, and only a 200 or a redirect the view marks itself: a
    page with a view restriction answers such a reader with a redirect to the login (not marked) or a password
    form (which sets a CSRF cookie), never with its content.
    """
    page_cache.mark_public_page(request)
