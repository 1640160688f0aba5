"""Wagtail's InlinePanel with the project's formset rules (:mod:`core.formsets`): bounded, own rows only.

Use it instead of ``wagtail.admin.panels.InlinePanel`` for every inline panel of the project's models.
"""

from django.conf import settings
from wagtail.admin.panels import InlinePanel as WagtailInlinePanel

from .formsets import ChildFormSet


class InlinePanel(WagtailInlinePanel):
    def get_form_options(self):
        options = super().get_form_options()
        formset = options["formsets"][self.relation_name]
        formset["formset"] = ChildFormSet
        # The editor's «add» button stops at the same limit the server enforces.
        formset["max_num"] = min(self.max_num or settings.LKT_FORMSET_MAX_ROWS, settings.LKT_FORMSET_MAX_ROWS)
        formset["validate_max"] = True
        return options
