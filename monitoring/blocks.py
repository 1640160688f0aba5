"""The rows of a monitoring template: what is measured, how often, and what is agreed per zone – never thresholds."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from core.vocabulary import Role

FREQUENCY_CHOICES = [
    ("daglig", _("Daglig")),
    ("ukentlig", _("Ukentlig")),
    ("ved_symptomer", _("Ved symptomer")),
]


class TemplateParameterBlock(blocks.StructBlock):
    parameter = SnippetChooserBlock("monitoring.Parameter", label=_("Måleparameter"))
    question = blocks.CharBlock(
        label=_("Spørsmål (for ja/nei)"), required=False, max_length=200, help_text=_("For eksempel «Mer tung pust?»")
    )
    frequency = blocks.ChoiceBlock(label=_("Hvor ofte"), choices=FREQUENCY_CHOICES, default="daglig")
    patient_action_green = blocks.CharBlock(label=_("Pasienten gjør (grønn)"), required=False, max_length=500)
    patient_action_yellow = blocks.CharBlock(label=_("Pasienten gjør (gul)"), required=False, max_length=500)
    patient_action_red = blocks.CharBlock(label=_("Pasienten gjør (rød)"), required=False, max_length=500)
    team_response_yellow = blocks.CharBlock(label=_("Teamets respons (gul)"), required=False, max_length=500)
    team_response_red = blocks.CharBlock(label=_("Teamets respons (rød)"), required=False, max_length=500)
    responsible_role_yellow = blocks.ChoiceBlock(
        label=_("Tar over ved gul"), choices=Role.choices, default=Role.COORDINATOR
    )
    responsible_role_red = blocks.ChoiceBlock(label=_("Tar over ved rød"), choices=Role.choices, default=Role.GP)

    class Meta:
        icon = "list-ul"
        label = _("Parameter")
