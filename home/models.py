"""Public content pages: the front page and guidance pages explaining the LKT framework."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index


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
    subpage_types = ["home.GuidancePage", "directory.MunicipalityIndexPage"]
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
