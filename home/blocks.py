"""StreamField blocks for pathway documents: phases made of steps, each naming actor types or LKT roles.

A step never names a person or a phone number: it names the *type* of actor (or one
of the four LKT roles), and the reader's chosen municipality fills in who that is.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from core.vocabulary import LKT_ROLE_CHOICES

ROLE_CHOICES = [("", "—"), *LKT_ROLE_CHOICES]


class LinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Tekst"))
    url = blocks.URLBlock(label=_("Adresse"))

    class Meta:
        icon = "link"
        label = _("Lenke")


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Tittel"))
    body = blocks.RichTextBlock(label=_("Hva gjøres, og hvorfor"), features=["bold", "italic", "ol", "ul", "link"])
    responsible_type = SnippetChooserBlock("directory.ActorType", required=False, label=_("Ansvarlig aktørtype"))
    responsible_role = blocks.ChoiceBlock(choices=ROLE_CHOICES, required=False, label=_("… eller ansvarlig LKT-rolle"))
    participants = blocks.ListBlock(SnippetChooserBlock("directory.ActorType"), default=[], label=_("Andre som deltar"))
    handover_trigger = blocks.TextBlock(
        required=False,
        label=_("Triggerpunkt for ansvarsovergang"),
        help_text=_("Når går ansvaret videre, og til hvem? For eksempel «Når pasienten skrives ut»."),
    )
    handover_to_type = SnippetChooserBlock(
        "directory.ActorType", required=False, label=_("Ansvaret går over til (aktørtype)")
    )
    handover_to_role = blocks.ChoiceBlock(choices=ROLE_CHOICES, required=False, label=_("… eller til LKT-rolle"))
    documents = blocks.ListBlock(DocumentChooserBlock(), default=[], label=_("Dokumenter"))
    links = blocks.ListBlock(LinkBlock(), default=[], label=_("Lenker"))

    class Meta:
        icon = "list-ol"
        label = _("Steg")

    def clean(self, value):
        value = super().clean(value)
        # Whether a responsible is required depends on the document (a skeleton awaiting clinical
        # content may leave it open), so that rule lives in steps_without_responsible().
        errors = {}
        if value.get("responsible_type") and value.get("responsible_role"):
            errors["responsible_role"] = ValidationError(_("Velg enten aktørtype eller LKT-rolle, ikke begge."))
        if value.get("handover_to_type") and value.get("handover_to_role"):
            errors["handover_to_role"] = ValidationError(_("Velg enten aktørtype eller LKT-rolle, ikke begge."))
        if (value.get("handover_to_type") or value.get("handover_to_role")) and not value.get("handover_trigger"):
            errors["handover_trigger"] = ValidationError(_("Beskriv når ansvaret går over."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class PhaseBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Fase"))
    intro = blocks.RichTextBlock(required=False, label=_("Innledning"), features=["bold", "italic", "link"])
    steps = blocks.ListBlock(StepBlock(), label=_("Steg"))

    class Meta:
        icon = "folder-open-inverse"
        label = _("Fase")


class PathwayStreamBlock(blocks.StreamBlock):
    phase = PhaseBlock()
    module = SnippetChooserBlock(
        "home.PathwayModule",
        label=_("Gjenbrukbar modul"),
        icon="snippet",
    )


MISSING_RESPONSIBLE = _("Velg en ansvarlig aktørtype eller LKT-rolle for steget «%(title)s».")


def steps_without_responsible(steps):
    """Titles of steps that name neither a responsible actor type nor an LKT role."""
    return [step["title"] for step in steps if not step.get("responsible_type") and not step.get("responsible_role")]
