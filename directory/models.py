"""The municipal actor directory (aktørkart).

The national catalogue of actor types is kept once, by national administrators;
each municipality is a subtree of pages whose editors describe their own units
and contact persons and say which unit covers which actor type.
"""

from django import forms
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    Page,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from core import cache_versions, page_cache
from core.dates import add_months
from core.panels import InlinePanel
from core.privacy import PrivacyCheckedOnlyWhenNeeded
from core.vocabulary import LKT_ROLE_CHOICES, LKT_ROLES, Role

from .counties import NON_MAINLAND_NUMBERS, county_name
from .forms import ActorPageForm, HealthTrustPageForm
from .identifiers import IdentifiedMixin
from .levels import Level
from .querysets import ActorPageManager
from .widgets import GroupedActorTypeCheckboxes

# The live catalogue is cached under the catalogue's version, which every change of it bumps.
CATALOGUE_SECONDS = 24 * 60 * 60

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ]{1,18}[0-9]$",
    _("Skriv telefonnummeret med sifre, gjerne med mellomrom, for eksempel «55 12 34 56» eller «+47 55 12 34 56»."),
)


GROUP_HEADINGS = {
    Level.MUNICIPAL: _("Kommunale tjenester"),
    Level.SPECIALIST: _("Spesialisthelsetjenesten"),
    Level.OTHER: _("Andre aktører"),
}


# The ids of the groups' sections on the public page, for the page's own index and for links into it.
GROUP_ANCHORS = {
    Level.MUNICIPAL: "kommunale-tjenester",
    Level.SPECIALIST: "spesialisthelsetjenesten",
    Level.OTHER: "andre-aktorer",
}


LKT_ROLE_EXPLANATIONS = {
    Role.COORDINATOR: _(
        "Pasientens faste kontaktpunkt. Leder aktørfellesskapet og har hovedansvaret for at samarbeidet "
        "blir organisert, gjennomført og evaluert."
    ),
    Role.GP: _("Pasientens fastlege, som har det medisinske hovedansvaret i kommunen."),
    Role.CONTACT_DOCTOR: _(
        "Lege eller psykolog i spesialisthelsetjenesten som er pasientens faste faglige kontakt der."
    ),
    Role.INTERNAL_COORDINATOR: _(
        "Koordinerer tjenestene innad i spesialisthelsetjenesten og er kontakten mot kommunen og fastlegen."
    ),
}


class AreaScope(models.TextChoices):
    WHOLE = "hele", _("Hele kommunen (ved helseforetak: hele opptaksområdet)")
    CHOSEN = "valgt", _("Et avgrenset område: deler av kommunen, eller flere kommuner")


class ActorType(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, models.Model):
    """A kind of actor defined in law or regulation, such as the municipality's coordinating unit.

    One national catalogue serves every municipality, so that an actor map and a
    pathway can name the *type* of actor and each municipality fills in who that is.
    """

    slug = models.SlugField(_("kode"), max_length=80, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"))
    legal_basis = models.CharField(
        _("hjemmel"),
        max_length=300,
        help_text=_("Lov og paragraf, for eksempel «helse- og omsorgstjenesteloven § 7-3»."),
    )
    legal_url = models.URLField(_("lenke til hjemmel"), blank=True)
    level = models.CharField(_("nivå"), max_length=20, choices=Level.choices)
    lkt_role = models.CharField(
        _("LKT-rolle"),
        max_length=30,
        choices=LKT_ROLE_CHOICES,
        blank=True,
        help_text=_("Fyll ut bare for aktørtypen som fyller en av de fire obligatoriske rollene i aktørkartet."),
    )
    required = models.BooleanField(
        _("påkrevd i aktørkartet"),
        default=False,
        help_text=_("Hver kommunes aktørkart skal vise en aktør av denne typen."),
    )
    sort_order = models.PositiveIntegerField(_("rekkefølge"), default=100)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="actortype")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="actortype",
        for_concrete_model=False,
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        MultiFieldPanel([FieldPanel("legal_basis"), FieldPanel("legal_url")], heading=_("Hjemmel")),
        FieldPanel("level"),
        FieldPanel("lkt_role"),
        FieldPanel("required"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("description"),
        index.AutocompleteField("name"),
        index.FilterField("level"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("aktørtype")
        verbose_name_plural = _("aktørtyper")
        constraints = [
            models.UniqueConstraint(
                fields=["lkt_role"], condition=~models.Q(lkt_role=""), name="actortype_unique_lkt_role"
            )
        ]

    def __str__(self):
        return self.name

    @classmethod
    def live_catalogue(cls):
        """The live actor types in the catalogue's order, from the shared cache while the catalogue is unchanged.

        Every actor map reads them (each actor's types, the coverage of the required types and the four roles):
        the cache saves that query on each render; a change of the catalogue bumps its version
        (``directory.signals``).
        """
        key = f"live-actor-types:{cache_versions.current(cache_versions.catalogue())}"
        types = cache.get(key)
        if types is None:
            types = list(cls.objects.filter(live=True))
            cache.set(key, types, CATALOGUE_SECONDS)
        return types

    @property
    def revisions(self):
        return self._revisions

    @property
    def lkt_role_explanation(self):
        return LKT_ROLE_EXPLANATIONS.get(self.lkt_role, "")


class Municipality(models.Model):
    """A municipality as listed in Bring's postal register, whether or not it has an actor map yet.

    Kept apart from :class:`MunicipalityPage` so the lookup can tell a person that
    their municipality exists but has not published its actor map.
    """

    number = models.CharField(_("kommunenummer"), max_length=4, primary_key=True)
    name = models.CharField(_("navn"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommune (postregister)")
        verbose_name_plural = _("kommuner (postregister)")

    def __str__(self):
        return f"{self.name} ({self.number})"

    @property
    def county_number(self):
        return self.number[:2]

    @property
    def county(self):
        return county_name(self.number)

    @property
    def is_mainland(self):
        return self.number not in NON_MAINLAND_NUMBERS


class PostalCode(models.Model):
    """One postal code from Bring's register, and the municipality it lies in."""

    class Category(models.TextChoices):
        STREET = "G", _("Gateadresser")
        PO_BOX = "P", _("Postbokser")
        BOTH = "B", _("Både gateadresser og postbokser")
        SERVICE = "S", _("Servicepostnummer")

    code = models.CharField(_("postnummer"), max_length=4, primary_key=True)
    place = models.CharField(_("poststed"), max_length=100)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="postal_codes", verbose_name=_("kommune")
    )
    category = models.CharField(_("kategori"), max_length=1, choices=Category.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("postnummer")
        verbose_name_plural = _("postnummer")

    def __str__(self):
        return f"{self.code} {self.place}"


class MunicipalityIndexPage(PrivacyCheckedOnlyWhenNeeded, Page):
    """«Finn hjelp der du bor»: the public lookup, and the parent of every municipality's actor map."""

    intro = RichTextField(_("innledning"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["directory.MunicipalityPage", "directory.HealthTrustPage"]
    max_count = 1
    template = "directory/municipality_index_page.html"

    class Meta:
        verbose_name = _("oppslag: finn hjelp der du bor")

    def serve(self, request, *args, **kwargs):
        """Straight to the actor map for a municipality; for an address, what serves that address."""
        # lookup.py reads the models of this module, so it is imported where the page is served.
        from .lookup import MAX_QUERY_LENGTH, actors_for, published_pages, resolve

        number = request.GET.get("kommune", "")
        result = resolve(request.GET.get("q", ""), number)
        if result.page is not None and result.postal_code is None:
            # The same answer for every reader until the page tree or the register changes (core.page_cache).
            page_cache.mark_public_redirect(request)
            return redirect(result.page.get_url(request))
        if "kommune" in request.GET and not number.strip() and not request.GET.get("q", "").strip():
            result.message = _("Velg en kommune i listen, eller skriv postnummeret ditt.")
        groups, answer_key = [], ""
        if result.municipality is not None:
            # A map not published yet still has the specialist units and shared services that cover it. Read
            # only when the template's cached answer for this address and version is missing.
            municipality, postal_code, own = result.municipality, result.postal_code, result.page is None
            groups = SimpleLazyObject(lambda: actors_for(municipality, postal_code, exclude_own=own))
            version = (
                municipality_cache_version(result.page.pk)
                if result.page is not None
                else cache_versions.current(cache_versions.catalogue(), AREAS_VERSION)
            )
            answer_key = f"{municipality.number}:{postal_code.code if postal_code else '-'}:{version}"
        municipalities = published_pages()
        if result.suggestions and all(isinstance(s, MunicipalityPage) for s in result.suggestions):
            result.suggestions = municipalities  # the same list: load it once
        context = self.get_context(request, *args, **kwargs)
        context.update(
            {
                "query": request.GET.get("q", "")[:MAX_QUERY_LENGTH],
                "result": result,
                "groups": groups,
                "answer_key": answer_key,
                "municipalities": municipalities,
            }
        )
        return TemplateResponse(request, self.get_template(request, *args, **kwargs), context)


def default_review_interval():
    return settings.LKT_DEFAULT_REVIEW_INTERVAL_MONTHS


class MunicipalityPage(PrivacyCheckedOnlyWhenNeeded, Page):
    """One municipality's actor map: the root of the subtree its own editors may change.

    A health trust's map is a :class:`HealthTrustPage`, a child of this model without a municipality, so that
    everything keyed on an actor map – page permissions, review workflow, freshness, reminders, reports,
    import and export, cache versions – serves the trusts unchanged.
    """

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.PROTECT,
        related_name="page",
        verbose_name=_("kommune"),
        help_text=_("Kommunen slik den står i postregisteret."),
        # Empty only for a health trust's map; a municipality's map must name one (see clean()).
        null=True,
        blank=True,
    )
    intro = RichTextField(_("innledning"), blank=True)
    review_interval_months = models.PositiveSmallIntegerField(
        _("bekreftelsesintervall (måneder)"),
        default=default_review_interval,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("Hvor ofte opplysningene om hver aktør skal bekreftes eller oppdateres."),
    )

    content_panels = Page.content_panels + [
        # Which municipality a page stands for is set once by national administrators.
        FieldPanel("municipality", permission="directory.manage_municipalities"),
        FieldPanel("intro"),
        FieldPanel("review_interval_months"),
        HelpPanel(template="directory/admin/coverage_panel.html", heading=_("Dekning av påkrevde aktørtyper")),
    ]
    parent_page_types = ["directory.MunicipalityIndexPage"]
    subpage_types = ["directory.ActorPage"]
    template = "directory/municipality_page.html"
    search_fields = Page.search_fields + [index.SearchField("intro")]

    @property
    def county(self):
        # From the municipality's number, without reading the municipality: the page's heading needs nothing more.
        return county_name(self.municipality_id) if self.municipality_id else ""

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        permissions = [
            ("import_directory", _("Kan importere aktørkart fra regneark")),
            ("manage_municipalities", _("Kan bestemme hvilken kommune en aktørkartside gjelder")),
        ]

    def clean(self):
        super().clean()
        if not self.municipality_id and not self.is_health_trust:
            raise ValidationError({"municipality": _("Velg hvilken kommune siden gjelder.")})
        if self.municipality_id:
            clash = MunicipalityPage.objects.filter(municipality_id=self.municipality_id).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError({"municipality": _("Denne kommunen har allerede en side.")})

    def get_cache_key_components(self):
        return super().get_cache_key_components() + [municipality_cache_version(self.pk)]

    is_health_trust = False

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # «Sist bekreftet for over N måneder siden» changes with the calendar, not with any edit: the cached
        # rendering is kept for one day at most.
        context["today"] = timezone.localdate().isoformat()
        return context

    @cached_property
    def actors(self):
        """Live actors serving any part of this municipality – its own, inter-municipal services entered
        elsewhere, district services – as map entries with their types, in a fixed number of queries."""
        # As entries: the blocks are rendered from full actors only where the cache does not hold them
        # (directory_tags.actor_blocks).
        return ActorPage.objects.map_of(self.municipality_id, self.live_types)

    def actor_groups(self):
        """The actor map grouped by level, in the catalogue's order: (anchor, heading, actors)."""
        groups = {level: [] for level in Level.values}
        for actor in self.actors:
            groups[actor.primary_level].append(actor)
        return [(GROUP_ANCHORS[level], GROUP_HEADINGS[level], actors) for level, actors in groups.items() if actors]

    @cached_property
    def coverage(self):
        """Each required or LKT-role actor type with the live actors that cover it (empty when not covered)."""
        types = self.coverage_types()
        covering = {t.pk: [] for t in types}
        for actor in self.actors:
            for actor_type in actor.types:
                if actor_type.pk in covering:
                    covering[actor_type.pk].append(actor)
        return [(t, covering[t.pk]) for t in types]

    @cached_property
    def live_types(self):
        # Read once for the actors' types and the coverage.
        return ActorType.live_catalogue()

    def coverage_types(self):
        """The actor types the map is measured against: required ones and those filling an LKT role."""
        return [t for t in self.live_types if t.required or t.lkt_role]

    def missing_types(self):
        return [t for t, actors in self.coverage if t.required and not actors]

    def lkt_roles(self):
        """The four mandatory LKT roles with the local actors that fill them."""
        by_role = {t.lkt_role: (t, actors) for t, actors in self.coverage if t.lkt_role}
        return [(role.label, LKT_ROLE_EXPLANATIONS[role], *by_role.get(role.value, (None, []))) for role in LKT_ROLES]


class HealthTrustPage(IdentifiedMixin, MunicipalityPage):
    """A health trust (helseforetak): its units as directory actors, edited by the trust's own editors, and its
    catchment area (opptaksområde), the municipalities – or parts of them, by postal code – it serves.

    A unit serves the trust's whole catchment area unless its own area says otherwise (a DPS serving some
    districts); the municipalities' maps, the lookup, pathways and the care process show the units serving them.
    """

    catchment_municipalities = ParentalManyToManyField(
        Municipality, blank=True, related_name="health_trusts", verbose_name=_("kommuner i opptaksområdet")
    )
    catchment_postal_codes = ParentalManyToManyField(
        PostalCode, blank=True, related_name="health_trusts", verbose_name=_("postnumre i opptaksområdet")
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("catchment_municipalities"), FieldPanel("catchment_postal_codes")],
            heading=_("Opptaksområde"),
        ),
        MultiFieldPanel(
            [FieldPanel("org_number"), FieldPanel("her_id"), FieldPanel("resh_id")],
            heading=_("Identifikatorer i nasjonale registre"),
        ),
        FieldPanel("review_interval_months"),
        HelpPanel(template="directory/admin/coverage_panel.html", heading=_("Dekning av spesialistroller")),
    ]
    parent_page_types = ["directory.MunicipalityIndexPage"]
    subpage_types = ["directory.ActorPage"]
    template = "directory/health_trust_page.html"
    base_form_class = HealthTrustPageForm
    is_health_trust = True

    class Meta:
        verbose_name = _("helseforetak")
        verbose_name_plural = _("helseforetak")

    @cached_property
    def actors(self):
        """The trust's own live units, in a fixed number of queries."""
        return list(ActorPage.objects.live().filter(municipality=self).for_display())

    def coverage_types(self):
        return [t for t in super().coverage_types() if t.level == Level.SPECIALIST]

    @cached_property
    def catchment_label(self):
        municipalities = [m.name for m in self.catchment_municipalities.all()]
        codes = list(self.catchment_postal_codes.select_related("municipality"))
        if codes:
            municipalities.append(
                _("deler av %(names)s") % {"names": join_words(sorted({c.municipality.name for c in codes}))}
            )
        return join_words(municipalities)


class ActorPage(PrivacyCheckedOnlyWhenNeeded, IdentifiedMixin, Page):
    """A local unit or service in one municipality, the actor type(s) it covers, and its contact persons."""

    # Every public rendering that shows an actor reads its municipality's cache version, which its publish,
    # unpublish and delete bump (directory.signals): the rest of the site's cached pages stay (core.signals).
    changes_show_only_in_own_version = True

    municipality = models.ForeignKey(
        MunicipalityPage, on_delete=models.PROTECT, related_name="actor_pages", editable=False, null=True
    )
    actor_types = ParentalManyToManyField(
        ActorType,
        related_name="actor_pages",
        limit_choices_to={"live": True},
        verbose_name=_("aktørtyper"),
        help_text=_("Hvilke av de nasjonale aktørtypene denne enheten dekker i kommunen."),
    )
    description = RichTextField(_("beskrivelse"), blank=True)
    visiting_address = models.CharField(_("besøksadresse"), max_length=255, blank=True)
    postal_address = models.CharField(_("postadresse"), max_length=255, blank=True)
    opening_hours = models.TextField(_("åpningstider"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True, validators=[phone_validator])
    email = models.EmailField(_("e-post"), blank=True)
    website = models.URLField(_("nettside"), blank=True)
    area_scope = models.CharField(
        _("område tjenesten dekker"), max_length=10, choices=AreaScope.choices, default=AreaScope.WHOLE
    )
    area_name = models.CharField(
        _("navn på området"),
        max_length=200,
        blank=True,
        help_text=_("For eksempel «Bydel Fana» eller «Vestlandet interkommunale legevakt». Vises ved tjenesten."),
    )
    area_municipalities = ParentalManyToManyField(
        Municipality, blank=True, related_name="served_by_actors", verbose_name=_("hele kommuner")
    )
    area_postal_codes = ParentalManyToManyField(
        PostalCode, blank=True, related_name="served_by_actors", verbose_name=_("postnumre")
    )

    # What an editor changes most comes first: the name, then phone, e-mail, addresses and opening hours; the
    # 26 actor-type checkboxes, set once, come last, grouped by level (directory/widgets.py).
    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("visiting_address"),
                FieldPanel("postal_address"),
                FieldPanel("opening_hours"),
                FieldPanel("website"),
            ],
            heading=_("Kontaktopplysninger"),
        ),
        MultiFieldPanel(
            [FieldPanel("org_number"), FieldPanel("her_id"), FieldPanel("resh_id")],
            heading=_("Identifikatorer i nasjonale registre"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("area_scope", widget=forms.RadioSelect),
                FieldPanel("area_name"),
                FieldPanel("area_municipalities"),
                FieldPanel("area_postal_codes"),
            ],
            heading=_("Område"),
        ),
        InlinePanel("contacts", label=_("Kontaktpersoner"), heading=_("Kontaktpersoner")),
        FieldPanel("description"),
        FieldPanel("actor_types", widget=GroupedActorTypeCheckboxes()),
    ]
    parent_page_types = ["directory.MunicipalityPage", "directory.HealthTrustPage"]
    subpage_types = []
    template = "directory/actor_page.html"
    # The public search finds a service by what it is («legevakt», «individuell plan») and where («Bjørnafjorden»).
    # A change to an actor type reaches these entries when the actor is next published or `update_index` runs.
    search_fields = Page.search_fields + [
        index.SearchField("description"),
        index.RelatedFields("actor_types", [index.SearchField("name"), index.SearchField("description")]),
        index.RelatedFields("municipality", [index.SearchField("title")]),
        index.FilterField("municipality"),
    ]

    objects = ActorPageManager()
    base_form_class = ActorPageForm

    class Meta:
        verbose_name = _("aktør")
        verbose_name_plural = _("aktører")

    def save(self, *args, **kwargs):
        # An actor page always lives directly under its municipality; keeping the link
        # as a column lets listings and reports filter without walking the tree.
        parent = self.get_parent() if self.path else None
        if isinstance(parent, MunicipalityPage):
            self.municipality = parent  # already loaded: is_specialist_unit reads it on publish without a query
        elif parent is not None:
            self.municipality_id = parent.pk
        if self.pk and not kwargs.get("update_fields"):
            previous = ActorPage.objects.filter(pk=self.pk).values_list("area_scope", flat=True).first()
            self.reaches_other_maps_before = previous == AreaScope.CHOSEN
        return super().save(*args, **kwargs)

    @property
    def reaches_other_maps(self):
        """Whether this actor shows in other maps than its own, so that a change must refresh all of them."""
        return (
            self.area_scope == AreaScope.CHOSEN
            or getattr(self, "reaches_other_maps_before", False)
            or self.is_specialist_unit
        )

    @property
    def is_specialist_unit(self):
        """A unit of a health trust (its map page has no municipality)."""
        if self.municipality_id is None:
            return False
        try:
            return self.municipality.municipality_id is None
        except MunicipalityPage.DoesNotExist:  # the map is being deleted with it
            return False

    def get_cache_key_components(self):
        return super().get_cache_key_components() + [municipality_cache_version(self.municipality_id)]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["today"] = timezone.localdate().isoformat()  # see MunicipalityPage.get_context
        return context

    @cached_property
    def types(self):
        """The live actor types this actor covers (from the prefetch when the actor map loaded them)."""
        if "actor_types" in getattr(self, "_prefetched_objects_cache", {}):
            return list(self.actor_types.all())
        return list(self.actor_types.filter(live=True))

    @property
    def has_chosen_area(self):
        return self.area_scope == AreaScope.CHOSEN

    @property
    def is_inter_municipal(self):
        """A service entered once for several municipalities (from the prefetched area)."""
        if self.area_scope != AreaScope.CHOSEN:
            return False
        numbers = {m.number for m in self.area_municipalities.all()}
        numbers |= {p.municipality_id for p in self.area_postal_codes.all()}
        return len(numbers) > 1

    @cached_property
    def area_label(self):
        """The area this actor serves, in words, from what the listing prefetched."""
        if self.area_scope != AreaScope.CHOSEN:
            if self.is_specialist_unit:
                return _("Opptaksområdet til %(trust)s") % {"trust": self.municipality.title}
            return _("Hele kommunen")
        if self.area_name:
            return self.area_name
        municipalities = [m.name for m in self.area_municipalities.all()]
        codes = [p.code for p in self.area_postal_codes.all()]
        parts = []
        if municipalities:
            parts.append(join_words(municipalities))
        if 0 < len(codes) <= 5:
            parts.append(_("postnummer %(codes)s") % {"codes": join_words(codes)})
        elif codes:
            parts.append(_("%(count)s postnumre") % {"count": len(codes)})
        return _("Deler av: %(area)s") % {"area": ", ".join(parts)} if not municipalities else ", ".join(parts)

    @property
    def primary_level(self):
        return self.types[0].level if self.types else Level.OTHER

    @property
    def last_confirmed(self):
        try:
            return self.confirmation
        except ActorConfirmation.DoesNotExist:
            return None

    @property
    def last_confirmed_at(self):
        confirmation = self.last_confirmed
        return confirmation.confirmed_at if confirmation else None

    def confirmation_due(self):
        confirmed_at = self.last_confirmed_at
        if confirmed_at is None:
            return None
        months = (
            self.municipality.review_interval_months
            if self.municipality_id
            else settings.LKT_DEFAULT_REVIEW_INTERVAL_MONTHS
        )
        return add_months(confirmed_at, months)

    def is_overdue(self, now=None):
        due = self.confirmation_due()
        return due is None or due <= (now or timezone.now())

    def stale_months(self, now=None):
        """Whole months since the last confirmation when it is overdue (for «Sist bekreftet for over N måneder
        siden»); None when the data is confirmed within the municipality's interval or was never confirmed."""
        confirmed_at = self.last_confirmed_at
        now = now or timezone.now()
        if confirmed_at is None or not self.is_overdue(now):
            return None
        months = (now.year - confirmed_at.year) * 12 + now.month - confirmed_at.month
        if add_months(confirmed_at, months) > now:
            months -= 1
        return max(months, 1)


class ContactPerson(Orderable):
    """A named person to contact at an actor; a phone number here is what readers call."""

    page = ParentalKey(ActorPage, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("navn"), max_length=200)
    role = models.CharField(_("rolle/tittel"), max_length=200, blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True, validators=[phone_validator])
    email = models.EmailField(_("e-post"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("phone"), FieldPanel("email")]

    class Meta(Orderable.Meta):
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")

    def __str__(self):
        return self.name


class ActorConfirmation(models.Model):
    """When an actor's published data was last confirmed as correct, and by whom.

    Kept outside the page's revisions so that confirming unchanged data creates no
    new revision and a later publish of an old draft cannot roll the date back.
    Every confirmation is also written to Wagtail's audit log.
    """

    page = models.OneToOneField(ActorPage, on_delete=models.CASCADE, primary_key=True, related_name="confirmation")
    confirmed_at = models.DateTimeField(_("sist bekreftet"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("bekreftelse")
        verbose_name_plural = _("bekreftelser")

    def __str__(self):
        return f"{self.page_id}: {self.confirmed_at:%Y-%m-%d}"


class ImportJob(models.Model):
    """One run of a long import – a municipality's actor map from a spreadsheet, or Bring's postal register.

    An import of hundreds of actors takes far longer than a web request may last, so the upload only checks
    the file's type and size, stores it here and queues the work. This row is what the person who started it
    (and whoever else may import into that municipality) follows: progress while it runs, then what was
    written, or every error and the assurance that nothing was. The uploaded bytes are kept only until the
    job has run, in the database, where any worker can read them and no URL can.
    """

    class Kind(models.TextChoices):
        DIRECTORY = "aktorkart", _("Aktørkart")
        REGISTER = "postnummer", _("Postnummerregister")

    class Status(models.TextChoices):
        WAITING = "venter", _("Venter")
        RUNNING = "kjorer", _("Kjører")
        DONE = "ferdig", _("Ferdig")
        FAILED = "feilet", _("Feilet")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("startet av"),
    )
    municipality_page = models.ForeignKey(
        MunicipalityPage,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_jobs",
        verbose_name=_("kommune"),
    )
    filename = models.CharField(_("filnavn"), max_length=255)
    size = models.PositiveIntegerField(_("størrelse (byte)"))
    data = models.BinaryField(_("filinnhold"), editable=False, blank=True)
    options = models.JSONField(_("valg"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    rows_total = models.PositiveIntegerField(_("rader i alt"), default=0)
    rows_done = models.PositiveIntegerField(_("rader ferdig"), default=0)
    rows_failed = models.PositiveIntegerField(_("rader med feil"), default=0)
    summary = models.JSONField(_("oppsummering"), default=dict, blank=True)
    errors = models.JSONField(_("feil"), default=list, blank=True)
    warnings = models.JSONField(_("advarsler"), default=list, blank=True)
    created_at = models.DateTimeField(_("lagt i kø"), auto_now_add=True)
    started_at = models.DateTimeField(_("startet"), null=True, blank=True)
    finished_at = models.DateTimeField(_("ferdig"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("importjobb")
        verbose_name_plural = _("importjobber")

    def __str__(self):
        return f"{self.get_kind_display()} {self.pk}: {self.filename}"

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.rows_done * 100 // self.rows_total) if self.rows_total else 0


# The cache version of what reaches across maps: inter-municipal and district services, specialist units and
# their catchment areas. A change to one of them refreshes every map, which is rare and cheap to redo.
AREAS_VERSION = "areas"


def join_words(words):
    """«Bergen, Bjørnafjorden og Austevoll»."""
    words = list(words)
    if len(words) < 2:
        return "".join(words)
    return _("%(first)s og %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def municipality_cache_version(municipality_page_pk):
    """What a cached rendering of one municipality's actor map depends on: its own data, the catalogue's, and
    the services that reach across municipalities (inter-municipal and specialist services)."""
    return cache_versions.current(
        cache_versions.catalogue(), AREAS_VERSION, cache_versions.municipality(municipality_page_pk)
    )
