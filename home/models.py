"""Public content: the front page, guidance pages, and gold-standard pathway documents with reusable modules."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import DraftStateMixin, LockableMixin, Page, RevisionMixin, WorkflowMixin
from wagtail.search import index

from core import cache_versions, page_cache

from .blocks import MISSING_RESPONSIBLE, PathwayStreamBlock, StepBlock, steps_without_responsible
from .pathways import PathwayRendering, chosen_municipality, remember_municipality


class GuidanceBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Overskrift"), form_classname="title")
    paragraph = blocks.RichTextBlock(label=_("Avsnitt"))
    notice = blocks.StructBlock(
        [("title", blocks.CharBlock(label=_("Tittel"))), ("text", blocks.RichTextBlock(label=_("Tekst")))],
        label=_("Faktaboks"),
        template="home/blocks/notice.html",
    )

    class Meta:
        template = "home/blocks/body.html"


class HomePage(Page):
    """The site's front page: what LKT is and the way into the lookup and the guidance."""

    intro = RichTextField(_("innledning"), blank=True)
    body = StreamField(GuidanceBodyBlock(), blank=True, verbose_name=_("innhold"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["home.GuidancePage", "home.PathwayIndexPage", "directory.MunicipalityIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("forside")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().in_menu().specific()
        return context


class GuidancePage(Page):
    """A public guidance page for patients, next of kin and professionals."""

    summary = models.TextField(_("sammendrag"), blank=True, help_text=_("Vises i lister og søkeresultater."))
    body = StreamField(GuidanceBodyBlock(), verbose_name=_("innhold"))

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["home.HomePage", "home.GuidancePage"]
    subpage_types = ["home.GuidancePage"]

    class Meta:
        verbose_name = _("veiledningsside")
        verbose_name_plural = _("veiledningssider")


class PathwayModule(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, models.Model):
    """A phase or group of steps written once and used in several pathways («Evaluering», for example).

    Pathways show the module's published version, so publishing a change to a module
    changes every pathway that uses it at once.
    """

    title = models.CharField(_("tittel"), max_length=200)
    intro = RichTextField(_("innledning"), blank=True, features=["bold", "italic", "link"])
    steps = StreamField([("step", StepBlock())], verbose_name=_("steg"))

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="pathwaymodule")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="pathwaymodule",
        for_concrete_model=False,
    )

    panels = [FieldPanel("title"), FieldPanel("intro"), FieldPanel("steps")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["title"]
        verbose_name = _("forløpsmodul")
        verbose_name_plural = _("forløpsmoduler")

    def __str__(self):
        return self.title

    @property
    def revisions(self):
        return self._revisions

    def clean(self):
        super().clean()
        missing = steps_without_responsible([block.value for block in self.steps])
        if missing:
            raise ValidationError({"steps": MISSING_RESPONSIBLE % {"title": missing[0]}})


class PathwayIndexPage(Page):
    """«Forløp»: the list of pathway documents, and where their review workflow is attached."""

    intro = RichTextField(_("innledning"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.PathwayPage"]
    max_count = 1

    class Meta:
        verbose_name = _("forløpsoversikt")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["pathways"] = PathwayPage.objects.child_of(self).live().order_by("title")
        return context


version_validator = RegexValidator(r"^\d+(\.\d+){0,2}$", _("Skriv versjonen som tall, for eksempel 1.0 eller 2.1.3."))


class PathwayPage(RoutablePageMixin, Page):
    """A gold-standard pathway (gullstandard): phases and steps naming actor types, never people.

    The reader picks a municipality and every step shows that municipality's current
    actor and contacts from the directory, so the document never goes stale.
    """

    summary = models.TextField(_("sammendrag"), blank=True)
    content_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_pathways",
        verbose_name=_("faglig eier"),
    )
    owner_unit = models.CharField(
        _("eierenhet"),
        max_length=200,
        blank=True,
        help_text=_("For eksempel «Helse Bergen, Divisjon psykisk helsevern»."),
    )
    version = models.CharField(_("versjon"), max_length=20, default="1.0", validators=[version_validator])
    next_review = models.DateField(_("neste revisjon"))
    awaiting_clinical_content = models.BooleanField(
        _("utkast som venter på klinisk innhold"),
        default=False,
        help_text=_("Vises tydelig for leserne: strukturen er på plass, men fagmiljøet har ikke fylt inn innholdet."),
    )
    phases = StreamField(PathwayStreamBlock(), verbose_name=_("faser"))

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("content_owner"), FieldPanel("owner_unit")]),
                FieldRowPanel([FieldPanel("version"), FieldPanel("next_review")]),
                FieldPanel("awaiting_clinical_content"),
            ],
            heading=_("Eierskap og revisjon"),
        ),
        FieldPanel("phases"),
    ]
    parent_page_types = ["home.PathwayIndexPage"]
    subpage_types = []
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("phases"),
        index.SearchField("module_text"),
    ]

    class Meta:
        verbose_name = _("forløp")
        verbose_name_plural = _("forløp")

    def clean(self):
        super().clean()
        if self.awaiting_clinical_content:
            return  # a skeleton may leave responsibility open until the clinical content is written
        steps = [step for block in self.phases if block.block_type == "phase" for step in block.value["steps"]]
        missing = steps_without_responsible(steps)
        if missing:
            raise ValidationError({"phases": MISSING_RESPONSIBLE % {"title": missing[0]}})

    def get_cache_key_components(self):
        # Publishing a module this page uses bumps the page's own version (see home.signals).
        return super().get_cache_key_components() + [
            cache_versions.current(cache_versions.pathway(self.pk), cache_versions.catalogue())
        ]

    def module_text(self):
        """The published text of the modules this pathway uses, so search finds words that live in a module."""
        parts = []
        for block in self.phases:
            module = block.value if block.block_type == "module" else None
            if module is not None and module.live:
                parts.append(module.title)
                parts.extend(f"{step.value['title']} {step.value['body'].source}" for step in module.steps)
        return "\n".join(parts)

    @property
    def review_overdue(self):
        return self.next_review < timezone.localdate()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        municipality, message, remember = chosen_municipality(request)
        rendering = PathwayRendering(self, municipality)
        context.update(
            {
                "rendering": rendering,
                "municipality": municipality,
                "municipality_message": message,
                "municipality_key": rendering.cache_vary_key,
                "remember_municipality": remember,
            }
        )
        return context

    @path("")
    def index_route(self, request):
        context = self.get_context(request)
        response = TemplateResponse(request, self.get_template(request), context)
        return remember_municipality(request, response, context["remember_municipality"])

    @path("utskrift/")
    def print_route(self, request):
        context = self.get_context(request)
        context["produced"] = timezone.localtime()
        response = TemplateResponse(request, "home/pathway_print.html", context)
        # The printout names the minute it was made: shared caches keep it for a minute at most.
        page_cache.limit_seconds(response, 60)
        return remember_municipality(request, response, context["remember_municipality"])
