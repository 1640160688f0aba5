"""Formsets that hold: a fixed maximum of rows, only their own rows, and Norwegian messages.

Django builds one form per row a request *claims* to have (``TOTAL_FORMS``) up to ``absolute_max`` – 2,000 by
default –, and a request claiming 5,000 team rows held a worker for half a minute. Django's model formsets also
accept, as the hidden ``id`` of a row, the id of *any* row of the table: a team row of another patient's process
passed validation and was then silently skipped (the process moved on without a coordinator), and Wagtail's
inline panels (django-modelcluster) turned a contact person of another actor into a new contact of this one.

Every formset of the project is built here (:func:`formset_factory`, :func:`inlineformset_factory`) and every
Wagtail inline panel uses :class:`core.panels.InlinePanel`, which builds :class:`ChildFormSet`. Each one:

- refuses more than ``LKT_FORMSET_MAX_ROWS`` rows (``max_num`` = ``absolute_max``), re-showing the rows typed
  with a message that says what was too many, instead of building thousands of forms;
- (model formsets) refuses an existing row whose id is missing, not a number, or not one of its own rows;
- (where asked, ``require_current_rows``) refuses a submission whose existing rows are not the rows that exist
  now – a form sent twice, or after someone else saved: applying it would add its new rows a second time;
- says all of it in Norwegian, where Django's own «ManagementForm data is missing…» is English even in bokmål
  (Django's bokmål «Vennligst send inn minst …» for too few rows is kept).
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from modelcluster.forms import BaseChildFormSet

from .digits import parse_id

ERROR_MESSAGES = {
    "missing_management_form": _(
        "Skjemaet mangler skjulte felt eller er endret underveis (%(field_names)s). Ingenting er lagret. "
        "Last siden på nytt og prøv igjen."
    ),
    "too_many_forms": _("For mange rader: høyst %(num)d er tillatt. Ingenting er lagret; fjern rader og send igjen."),
    "bad_counts": _(
        "Skjemaet er endret underveis (antall rader stemmer ikke). Ingenting er lagret. Last siden på nytt."
    ),
    "foreign_row": _(
        "En rad i skjemaet finnes ikke her – den hører til noe annet, eller er slettet. Ingenting er lagret. "
        "Last siden på nytt."
    ),
    "stale": _(
        "Dette er endret siden du åpnet siden – kanskje ble skjemaet sendt to ganger. Ingenting er lagret nå. "
        "Last siden på nytt for å se det som er lagret."
    ),
}


class BoundedFormSetMixin:
    """At most ``LKT_FORMSET_MAX_ROWS`` rows (or the formset's own lower ``max_num``), and Norwegian messages."""

    default_error_messages = ERROR_MESSAGES

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Instance attributes: they win over whatever a factory (Django's, modelcluster's) put on the class.
        self.max_num = min(self.max_num, settings.LKT_FORMSET_MAX_ROWS)
        self.absolute_max = self.max_num
        self.validate_max = True

    def full_clean(self):
        super().full_clean()
        # Django reports a broken management form, then lets the row-count checks and clean() replace that report
        # with whatever they find in zero rows («submit at least 1», «the roles must be filled»): say what is wrong.
        if self.is_bound and not self.management_form.is_valid():
            self._non_form_errors = self.error_class([self._management_error()], error_class="nonform")

    def _management_error(self):
        management = self.management_form
        return ValidationError(
            self.error_messages["missing_management_form"],
            params={"field_names": ", ".join(management.add_prefix(name) for name in management.errors)},
            code="missing_management_form",
        )

    def clean(self):
        if not self.management_form.is_valid():
            raise self._management_error()  # and no checks of the rows: there are none to check
        counts = self.management_form.cleaned_data
        total, initial = counts.get("TOTAL_FORMS", 0), counts.get("INITIAL_FORMS", 0)
        if total < 0 or initial < 0 or initial > total:
            raise ValidationError(self.error_messages["bad_counts"], code="bad_counts")
        super().clean()


class OwnRowsMixin(BoundedFormSetMixin):
    """A model formset whose existing rows must each name, by id, a row of its own queryset.

    ``blank_id_is_new_row``: modelcluster renders rows of an unpublished draft (not yet in the database) as
    existing rows with an empty id; for it an empty id is a new row, for Django's formsets it is tampering.
    """

    blank_id_is_new_row = False
    require_current_rows = False

    def _construct_form(self, i, **kwargs):
        if self.is_bound and i < self.initial_form_count():
            raw = self.data.get(f"{self.add_prefix(i)}-{self.model._meta.pk.name}")
            if not (raw == "" and self.blank_id_is_new_row):
                pk = parse_id(raw)
                instance = self._existing_object(pk) if pk is not None else None
                if instance is None:
                    self._foreign_rows.add(i)
                    # Neither Django's nor modelcluster's lookup may see this id: Django accepts any row of the
                    # table as a choice, modelcluster raises on an id that is missing or not a number.
                    return forms.BaseFormSet._construct_form(self, i, instance=self.model(), **kwargs)
        return super()._construct_form(i, **kwargs)

    @property
    def _foreign_rows(self):
        return self.__dict__.setdefault("_lkt_foreign_rows", set())

    def initial_form_count(self):
        count = super().initial_form_count()
        return max(0, min(count, self.total_form_count())) if self.is_bound else count

    def posted_ids(self):
        """The ids of the existing rows as submitted (valid ones only)."""
        name = self.model._meta.pk.name
        return {parse_id(self.data.get(f"{self.add_prefix(i)}-{name}")) for i in range(self.initial_form_count())}

    def clean(self):
        super().clean()
        if self._foreign_rows:
            raise ValidationError(self.error_messages["foreign_row"], code="foreign_row")
        if self.require_current_rows and self.posted_ids() != {obj.pk for obj in self.get_queryset()}:
            raise ValidationError(self.error_messages["stale"], code="stale")


class FormSet(BoundedFormSetMixin, forms.BaseFormSet):
    pass


class InlineFormSet(OwnRowsMixin, forms.BaseInlineFormSet):
    pass


class ChildFormSet(OwnRowsMixin, BaseChildFormSet):
    """django-modelcluster's formset for Wagtail's inline panels (see :class:`core.panels.InlinePanel`)."""

    blank_id_is_new_row = True


def _bounded(kwargs):
    limit = min(kwargs.pop("max_num", None) or settings.LKT_FORMSET_MAX_ROWS, settings.LKT_FORMSET_MAX_ROWS)
    return {"max_num": limit, "absolute_max": limit, "validate_max": True, **kwargs}


def formset_factory(form, formset=FormSet, **kwargs):
    return forms.formset_factory(form, formset=formset, **_bounded(kwargs))


def inlineformset_factory(parent_model, model, formset=InlineFormSet, **kwargs):
    return forms.inlineformset_factory(parent_model, model, formset=formset, **_bounded(kwargs))
