"""Live rendering of a pathway for one municipality: each step's actor type resolved to today's actors.

Everything a rendering needs is read in a fixed number of queries whatever the
number of steps or actors: the page's blocks load their chosen snippets in bulk,
all actor types are one query, and the municipality's matching actors with their
contacts are three more.
"""

import re
from dataclasses import dataclass, field

from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from core.vocabulary import Role
from directory.lookup import resolve
from directory.models import ActorPage, ActorType, Level, MunicipalityPage, PostalCode, municipality_cache_version

# The reader's choice is part of the pathway's URL (``kommune/<slug>/``), so a link, a bookmark or a print keeps
# it and the URL alone decides what is shown. The last choice is also kept in a browser-session cookie, only to
# send a reader who comes back to the bare pathway URL on to their municipality's: it is public and not personal
# (a municipality number), so no server-side session row is written for anonymous readers.
COOKIE_NAME = "lkt_kommune"
MUNICIPALITY_NUMBER = re.compile(r"[0-9]{4}")  # ASCII only, whole value (see core.digits)
POSTAL_CODE = MUNICIPALITY_NUMBER  # four ASCII digits too


def sees_drafts(user):
    """Whether a reader may see pathways still waiting for clinical content: staff past their second factor."""
    return bool(
        user.is_authenticated
        and getattr(user, "is_verified", lambda: False)()
        and user.has_perm("wagtailadmin.access_admin")
    )


def municipality_from_query(request):
    """The place a reader asked for in the form (number, postal code or name): (page or None, message, postal code).

    All three are empty when the request asks for none. A postal code narrows the rendering to the services of
    that address (districts, inter-municipal services, specialist units by catchment area).
    """
    query, number = request.GET.get("q", ""), request.GET.get("kommune", "")
    if not (query.strip() or number.strip()):
        return None, "", None
    result = resolve(query, number)
    if result.page is not None:
        return result.page, "", result.postal_code
    if result.choices:
        # The pathway has no room for a list of links: name the places, and how to pick one.
        message = _("Flere steder heter «%(query)s»: %(places)s. Skriv postnummeret for å velge.") % {
            "query": query.strip(),
            "places": "; ".join(choice.label for choice in result.choices),
        }
        return None, message, None
    return None, result.message, None


def municipality_in_url(value):
    """The live municipality page a URL names, by its slug or its number; None when there is none."""
    pages = MunicipalityPage.objects.live().select_related("municipality")
    if MUNICIPALITY_NUMBER.fullmatch(value):
        return pages.filter(municipality_id=value).first()
    return pages.filter(slug=value).first()


def postal_code_in_url(municipality_page, value):
    """The postal code a URL names, when it lies in that municipality; None otherwise."""
    if not POSTAL_CODE.fullmatch(value):
        return None
    return PostalCode.objects.filter(code=value, municipality_id=municipality_page.municipality_id).first()


def remembered_municipality(request):
    """The number of the municipality the reader chose last (from the cookie), or None."""
    remembered = request.COOKIES.get(COOKIE_NAME, "")
    return remembered if MUNICIPALITY_NUMBER.fullmatch(remembered) else None


def remember_municipality(request, response, number):
    if number:
        response.set_cookie(COOKIE_NAME, number, samesite="Lax", secure=request.is_secure(), httponly=True)
    return response


@dataclass
class ShownActor:
    """An actor as shown in one step; its contact persons are listed only where it first appears."""

    actor: ActorPage
    with_contacts: bool


@dataclass
class Responsible:
    """An actor type (or LKT role) as named by a step, with the actors that fill it in the municipality."""

    actor_type: ActorType | None
    label: str = ""
    actors: list = field(default_factory=list)

    @property
    def appointed_by_specialist_service(self):
        # Shown only when no unit serving the municipality has the type.
        # Specialist roles are appointed per patient by the hospital, not listed by the municipality.
        return self.actor_type is not None and self.actor_type.level == Level.SPECIALIST


@dataclass
class PathwayContact:
    """An actor named anywhere in the pathway, listed once at the top with what it does in this pathway."""

    actor: ActorPage
    roles: list = field(default_factory=list)


@dataclass
class RenderedStep:
    value: object
    responsible: Responsible
    participants: list
    handover: Responsible | None


@dataclass
class RenderedPhase:
    title: str
    intro: object
    steps: list
    module: object = None


class PathwayRendering:
    def __init__(self, page, municipality, postal_code=None):
        self.page = page
        self.municipality = municipality
        self.postal_code = postal_code if municipality is not None else None

    @property
    def cache_vary_key(self):
        if self.municipality is None:
            return "none"
        code = self.postal_code.code if self.postal_code is not None else "-"
        return f"{self.municipality.pk}:{code}:{municipality_cache_version(self.municipality.pk)}"

    @cached_property
    def _types(self):
        types = list(ActorType.objects.filter(live=True))
        return {t.pk: t for t in types}, {t.lkt_role: t for t in types if t.lkt_role}

    @cached_property
    def _raw_phases(self):
        phases = []
        for block in self.page.phases:
            if block.block_type == "module":
                module = block.value
                if module is None or not module.live:
                    continue
                phases.append((module.title, module.intro, [step.value for step in module.steps], module))
            else:
                phases.append((block.value["title"], block.value["intro"], list(block.value["steps"]), None))
        return phases

    @cached_property
    def _actors_by_type(self):
        if self.municipality is None:
            return {}
        type_ids = {t.pk for t in self._referenced_types()}
        # Whoever serves the municipality – or the address, when the reader gave a postal code: its own actors,
        # the inter-municipal services and the specialist units of its catchment area.
        code = self.postal_code.code if self.postal_code is not None else None
        actors = (
            ActorPage.objects.live()
            .serving(self.municipality.municipality_id, code)
            .filter(actor_types__in=type_ids)
            .distinct()
            .for_display()
        )
        by_type = {}
        for actor in actors:
            for actor_type in actor.types:
                by_type.setdefault(actor_type.pk, []).append(actor)
        return by_type

    def _type_for(self, actor_type, role):
        by_id, by_role = self._types
        if actor_type is not None:
            return by_id.get(actor_type.pk)  # None when the type is no longer live
        return by_role.get(role)

    def _referenced_types(self):
        for _title, _intro, steps, _module in self._raw_phases:
            for step in steps:
                for actor_type, role in (
                    (step["responsible_type"], step["responsible_role"]),
                    (step["handover_to_type"], step["handover_to_role"]),
                    *((p, "") for p in step["participants"]),
                ):
                    resolved = self._type_for(actor_type, role)
                    if resolved is not None:
                        yield resolved

    def _responsible(self, actor_type, role, seen, lists_contacts=True):
        if actor_type is None and not role:
            return None
        resolved = self._type_for(actor_type, role)
        if role:
            label = Role(role).label if role in Role.values else role
        else:
            label = actor_type.name
        shown = []
        for actor in self._actors_by_type.get(resolved.pk, []) if resolved else []:
            shown.append(ShownActor(actor=actor, with_contacts=lists_contacts and actor.pk not in seen))
            if lists_contacts:
                seen.add(actor.pk)
        return Responsible(actor_type=resolved, label=label, actors=shown)

    @cached_property
    def phases(self):
        rendered, seen = [], set()
        for title, intro, steps, module in self._raw_phases:
            rendered_steps = [
                RenderedStep(
                    value=step,
                    responsible=self._responsible(step["responsible_type"], step["responsible_role"], seen),
                    participants=[self._responsible(p, "", seen, lists_contacts=False) for p in step["participants"]],
                    handover=self._responsible(step["handover_to_type"], step["handover_to_role"], seen),
                )
                for step in steps
            ]
            rendered.append(RenderedPhase(title=title, intro=intro, steps=rendered_steps, module=module))
        return rendered

    @cached_property
    def contacts(self):
        """«Dine kontakter i <kommune>»: every actor the steps name, once, in the order the pathway first needs it."""
        contacts = {}
        for phase in self.phases:
            for step in phase.steps:
                for responsible in (step.responsible, *step.participants, step.handover):
                    for shown in responsible.actors if responsible else ():
                        contact = contacts.setdefault(shown.actor.pk, PathwayContact(actor=shown.actor))
                        if responsible.label not in contact.roles:
                            contact.roles.append(responsible.label)
        return list(contacts.values())
