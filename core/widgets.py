"""Admin widgets that refuse what they cannot read, instead of failing with a server error.

Wagtail's rich text editor (Draftail) posts its content as JSON in a hidden field and converts it to HTML while
the form reads its data: a value that is not JSON, or not Draftail's structure, raised out of the form – a server
error on saving an actor, a page or a snippet. :class:`DraftailRichTextArea` (every rich text field and block,
through ``WAGTAILADMIN_RICH_TEXT_EDITORS``) hands the field an :class:`UnreadableValue` instead, which the field
refuses with a Norwegian message; the saved text is untouched. :class:`BlockField` does the same for the
numbered hidden fields of every StreamField.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.rich_text import DraftailRichTextArea as WagtailDraftailRichTextArea
from wagtail.blocks.base import BlockField as WagtailBlockField
from wagtail.blocks.base import BlockWidget as WagtailBlockWidget


class UnreadableValue:
    """A submitted value a widget could not read. A form field turns its value into text first (``str()``),
    which raises the ValidationError here – inside the form's validation, so it becomes the field's error."""

    def __init__(self, message):
        self.message = message

    def __str__(self):
        raise ValidationError(self.message, code="unreadable")

    def __repr__(self):
        return "<UnreadableValue>"


class DraftailRichTextArea(WagtailDraftailRichTextArea):
    unreadable_message = _(
        "Innholdet i feltet kunne ikke leses. Ingenting er lagret. Last siden på nytt og skriv igjen."
    )

    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError):
            # Not JSON (ValueError), or JSON that is no Draftail content (the others, from the converter).
            return UnreadableValue(self.unreadable_message)

    def format_value(self, value):
        # Shown again after the error: an empty editor rather than the unreadable value.
        return super().format_value(None if isinstance(value, UnreadableValue) else value)


class BlockWidget(WagtailBlockWidget):
    """A StreamField's widget: Wagtail reads the blocks from numbered hidden fields (``phases-count``,
    ``phases-0-type``, …) and a missing or non-numeric one was a server error in the page and snippet editors."""

    unreadable_message = _(
        "Innholdet i feltet kunne ikke leses. Ingenting er lagret. Last siden på nytt og gjør endringene igjen."
    )

    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (KeyError, ValueError, TypeError, AttributeError, IndexError):
            return UnreadableValue(self.unreadable_message)

    def render_with_errors(self, name, value, attrs=None, errors=None, renderer=None):
        if isinstance(value, UnreadableValue):
            value = self.block_def.get_default()
        return super().render_with_errors(name, value, attrs=attrs, errors=errors, renderer=renderer)


class BlockField(WagtailBlockField):
    """Wagtail's StreamField form field with :class:`BlockWidget`; registered for every StreamField in the admin
    (``core.wagtail_hooks``)."""

    def __init__(self, block=None, **kwargs):
        kwargs.setdefault("widget", BlockWidget(block))
        super().__init__(block=block, **kwargs)

    def clean(self, value):
        if isinstance(value, UnreadableValue):
            raise ValidationError(value.message, code="unreadable")
        return super().clean(value)

    def has_changed(self, initial_value, data_value):
        return isinstance(data_value, UnreadableValue) or super().has_changed(initial_value, data_value)
