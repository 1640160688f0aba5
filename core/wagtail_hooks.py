"""Wagtail's admin forms with the project's hardened form fields (:mod:`core.widgets`)."""

from wagtail.admin.forms.models import register_form_field_override
from wagtail.fields import StreamField

from .widgets import BlockField

# Every StreamField edited in the admin (pages and snippets) refuses unreadable block data with a message.
register_form_field_override(StreamField, override={"form_class": BlockField})
