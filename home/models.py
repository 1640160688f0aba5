"""Public content: the front page, guidance pages, and gold-standard pathway documents with reusable modules."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import DraftStateMixin, LockableMixin, Page, RevisionMixin, WorkflowMixin
from wagtail.search import index

from core import cache_versions, page_cache
from core.privacy import PrivacyCheckedOnlyWhenNeeded
from directory.lookup import place_name
from directory.models import MunicipalityIndexPage

from .blocks import MISSING_RESPONSIBLE, PathwayStreamBlock, StepBlock, steps_without_responsible
from .pathways import (
    COOKIE_NAME,
    PathwayRendering,
    municipality_from_query,
    municipality_in_url,
    postal_code_in_url,
    remember_municipality,
    remembered_municipality,
    sees_drafts,
)


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


class HomePage(PrivacyCheckedOnlyWhenNeeded, Page):
    """The site's front page: what LKT is and the way into the lookup and the guidance."""

    intro = RichTextField(_("innledning"), blank=True)
    body = StreamField(GuidanceBodyBlock(), blank=True, verbose_name=_("innhold"))
    patient_page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("veiledning for pasienter og pårørende"),
        help_text=_("Siden forsiden viser til under «For pasienter og pårørende»."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("patient_page"), FieldPanel("body")]
    subpage_types = ["home.GuidancePage", "home.PathwayIndexPage", "directory.MunicipalityIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("forside")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        patient_page = self.patient_page.specific if self.patient_page_id else None
        if patient_page is not None and patient_page.live:
            context["patient_page"] = (patient_page, card_text(patient_page))
        # The lookup and the patients' page have their cards under «For pasienter og pårørende» already.
        context["sections"] = [
            (page, card_text(page))
            for page in self.get_children().live().in_menu().specific()
            if not isinstance(page, MunicipalityIndexPage) and page.pk != self.patient_page_id
        ]
        return context


def card_text(page):
    """What a card on the front page says is behind it: the page's summary, its search description, or the
    first words of its introduction."""
    text = getattr(page, "summary", "") or page.search_description
    if not text and getattr(page, "intro", ""):
        text = Truncator(strip_tags(page.intro)).words(30)
    return text


class GuidancePage(PrivacyCheckedOnlyWhenNeeded, Page):
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


class PathwayIndexPage(PrivacyCheckedOnlyWhenNeeded, Page):
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
        pathways = PathwayPage.objects.child_of(self).live().order_by("awaiting_clinical_content", "title")
        context["staff_view"] = sees_drafts(request.user)
        if not context["staff_view"]:
            pathways = pathways.filter(awaiting_clinical_content=False)
        context["pathways"] = pathways
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if sees_drafts(request.user):  # the list with the drafts is for staff only
            patch_cache_control(response, private=True, no_cache=True)
        return response


version_validator = RegexValidator(r"^\d+(\.\d+){0,2}$", _("Skriv versjonen som tall, for eksempel 1.0 eller 2.1.3."))


class PathwayPage(PrivacyCheckedOnlyWhenNeeded, RoutablePageMixin, Page):
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

    def serve(self, request, *args, **kwargs):
        # A skeleton still waiting for its clinical content is not guidance anyone should follow: the public
        # gets 404, signed-in staff see it marked as a draft, and no shared cache may keep that answer.
        if self.awaiting_clinical_content and not sees_drafts(request.user):
            raise Http404
        response = super().serve(request, *args, **kwargs)
        if self.awaiting_clinical_content:
            patch_cache_control(response, private=True, no_cache=True)
        return response

    def municipality_url(self, municipality_page, printable=False, request=None, postal_code=None):
        """The pathway shown for one municipality (or one address in it, by postal code): the address that a
        link, a bookmark or a print keeps."""
        if postal_code is not None:
            route = "postal_code_print_route" if printable else "postal_code_route"
            args = [municipality_page.slug, postal_code.code]
        else:
            route = "municipality_print_route" if printable else "municipality_route"
            args = [municipality_page.slug]
        return self.get_url(request) + self.reverse_subpage(route, args=args)

    def _render_for(self, request, municipality, printable=False, message="", postal_code=None):
        rendering = PathwayRendering(self, municipality, postal_code)
        context = {
            "rendering": rendering,
            "municipality": municipality,
            "postal_code": postal_code,
            "postal_place": place_name(postal_code.place) if postal_code is not None else "",
            "municipality_message": message,
            "municipality_key": rendering.cache_vary_key,
            "staff_view": self.awaiting_clinical_content,
            "today": timezone.localdate().isoformat(),  # «Sist bekreftet for over N måneder siden» (see directory)
        }
        if printable:
            context["produced"] = timezone.localtime()
        template = "home/pathway_print.html" if printable else self.get_template(request)
        response = self.render(request, template=template, context_overrides=context)
        if printable:
            # The printout names the minute it was made: shared caches keep it for a minute at most.
            page_cache.limit_seconds(response, 60)
        return response

    def _choose(self, request, printable):
        """The bare pathway URL: a choice made in the form, or the one remembered, leads to the municipality's URL.

        Only here does the cookie count, so its answer varies with it; every other URL of the pathway is decided
        by the URL alone.
        """
        if request.GET.get("glem"):
            route = "print_route" if printable else "index_route"
            response = redirect(self.get_url(request) + self.reverse_subpage(route))
            response.delete_cookie(COOKIE_NAME, samesite="Lax")
            return response
        municipality, message, postal_code = municipality_from_query(request)
        if municipality is not None:
            response = redirect(self.municipality_url(municipality, printable, request, postal_code))
            return remember_municipality(request, response, municipality.municipality_id)
        if not message:
            remembered = remembered_municipality(request)
            municipality = municipality_in_url(remembered) if remembered else None
            if municipality is not None:
                response = redirect(self.municipality_url(municipality, printable, request))
                patch_cache_control(response, private=True)
                patch_vary_headers(response, ["Cookie"])
                return response
        response = self._render_for(request, None, printable, message)
        patch_vary_headers(response, ["Cookie"])
        return response

    def _for_municipality(self, request, municipality, printable, code=None):
        page = municipality_in_url(municipality)
        if page is None:
            raise Http404
        postal_code = None
        if code is not None:
            postal_code = postal_code_in_url(page, code)
            if postal_code is None:
                raise Http404
        if page.slug != municipality:  # by number, or an old slug: the canonical address
            return redirect(self.municipality_url(page, printable, request, postal_code), permanent=True)
        return self._render_for(request, page, printable, postal_code=postal_code)

    @path("")
    def index_route(self, request):
        return self._choose(request, printable=False)

    @path("utskrift/")
    def print_route(self, request):
        return self._choose(request, printable=True)

    @path("kommune/<str:municipality>/")
    def municipality_route(self, request, municipality):
        return self._for_municipality(request, municipality, printable=False)

    @path("kommune/<str:municipality>/utskrift/")
    def municipality_print_route(self, request, municipality):
        return self._for_municipality(request, municipality, printable=True)

    @path("kommune/<str:municipality>/postnummer/<str:code>/")
    def postal_code_route(self, request, municipality, code):
        return self._for_municipality(request, municipality, printable=False, code=code)

    @path("kommune/<str:municipality>/postnummer/<str:code>/utskrift/")
    def postal_code_print_route(self, request, municipality, code):
        return self._for_municipality(request, municipality, printable=True, code=code)
