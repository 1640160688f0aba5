"""Seed content for pathways: the generic LKT pathway, the reusable modules, and four skeleton pathways.

Every text here comes from the LKT framework (Kortversjon av rapport, Prosjekt LKT, mai 2020): the five
mandatory elements a–e, the four mandatory roles, consent as the condition for an actor community, and
evaluation by the principles of quality improvement (plan–do–study–act). Nothing here is clinical advice:
the four named pathways (gullstandarder) are skeletons with neutral phase titles and a placeholder text,
published and clearly marked as awaiting the clinical community.

``seed_pathways`` is idempotent: what already exists (found by slug for pages, by title for modules) is
left untouched, so editors' changes survive a second run.
"""

import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core.vocabulary import Role
from directory.catalogue import seed_catalogue
from directory.models import ActorType

from .groups import ensure_pathway_groups
from .models import PathwayIndexPage, PathwayModule, PathwayPage

INDEX_SLUG = "forlop"
GENERIC_SLUG = "lkt-generisk-forlop"
GENERIC_TITLE = "LKT – generisk forløp for langvarige og koordinerte tjenester"
OWNER_UNIT = "LKT-prosjektet, Helse Bergens foretaksområde"
PLACEHOLDER = "Klinisk innhold skrives av fagmiljøet."

MODULE_ACTOR_COMMUNITY = "Etablering av aktørfellesskap"
MODULE_EVALUATION = "Evaluering"

COORDINATOR = Role.COORDINATOR.value

# Actor types (directory.catalogue_data) for the four mandatory roles and the coordinating unit.
COORDINATING_UNIT = "koordinerende-enhet-kommune"
GP = "fastlege"
CONTACT_DOCTOR = "kontaktlege-kontaktpsykolog"
INTERNAL_COORDINATOR = "intern-koordinator-spesialisthelsetjenesten"

# (title, slug, what the pathway is for, in the words of the reports)
SKELETONS = [
    ("Psykoseforløpet", "psykoseforlopet", "psykoseforløpet"),
    ("ROP-forløpet", "rop-forlopet", "forløpet for personer med rus og psykiske lidelser (ROP)"),
    ("Akuttforløpet i psykiatri", "akuttforlopet-i-psykiatri", "akuttforløpet i psykiatri"),
    ("Intox-forløpet", "intox-forlopet", "intox-forløpet"),
]


def _id():
    return str(uuid.uuid4())


class _Types:
    """Actor type pks by slug, read once."""

    def __init__(self):
        self.by_slug = dict(ActorType.objects.values_list("slug", "pk"))

    def __call__(self, slug):
        try:
            return self.by_slug[slug]
        except KeyError:
            raise LookupError(f"Aktørtypen «{slug}» finnes ikke i den nasjonale katalogen.") from None


def _step(
    title,
    body,
    *,
    responsible_type=None,
    responsible_role="",
    participants=(),
    handover_trigger="",
    handover_to_type=None,
    handover_to_role="",
):
    """A step in the raw (JSON) form StreamField stores: snippet choosers as pks, list items with ids."""
    return {
        "title": title,
        "body": body,
        "responsible_type": responsible_type,
        "responsible_role": responsible_role,
        "participants": [{"type": "item", "value": pk, "id": _id()} for pk in participants],
        "handover_trigger": handover_trigger,
        "handover_to_type": handover_to_type,
        "handover_to_role": handover_to_role,
        "documents": [],
        "links": [],
    }


def _phase(title, intro, steps):
    return {
        "type": "phase",
        "value": {"title": title, "intro": intro, "steps": [{"type": "item", "value": s, "id": _id()} for s in steps]},
        "id": _id(),
    }


def _module_block(module):
    return {"type": "module", "value": module.pk, "id": _id()}


def _actor_community_module(t):
    mandatory = [t(GP), t(CONTACT_DOCTOR), t(INTERNAL_COORDINATOR)]
    return {
        "title": MODULE_ACTOR_COMMUNITY,
        "intro": "<p>Element b i LKT-rammeverket: aktørkart og aktørfellesskap. Et aktørfellesskap kan bare "
        "etableres med samtykke fra pasienten eller brukeren.</p>",
        "steps": [
            _step(
                "Samtykke fra pasienten eller brukeren",
                "<p>Et aktørfellesskap kan bare etableres med samtykke fra pasienten eller brukeren. Samtykket "
                "kan trekkes tilbake.</p>",
                responsible_role=COORDINATOR,
                handover_trigger="Når pasienten har samtykket, settes aktørkartet opp.",
            ),
            _step(
                "Aktørkart med de fire obligatoriske rollene",
                "<p>Aktørkartet viser hvor mange aktører pasienten eller brukeren og eventuelle pårørende må "
                "forholde seg til. I tillegg til pasienten eller brukeren og eventuelle pårørende skal fire roller "
                "alltid være med i aktørkartet:</p><ul><li>Koordinator og leder av aktørfellesskapet</li>"
                "<li>Fastlege</li><li>Kontaktlege/-psykolog i spesialisthelsetjenesten</li>"
                "<li>Intern koordinator i spesialisthelsetjenesten</li></ul><p>Aktørkartet kan også synliggjøre "
                "behov for å ta inn nye og andre aktører, og for å etablere kontaktlinjer mellom de involverte.</p>",
                responsible_role=COORDINATOR,
                participants=mandatory,
            ),
            _step(
                "Felles oppdrag og mål i aktørfellesskapet",
                "<p>Pasienten eller brukeren, eventuelle pårørende og de andre aktørene utgjør et aktørfellesskap "
                "– et team der alle har ulike roller. Sammen drøfter og avklarer de aktuelle fellesoppdrag og "
                "målsettinger.</p>",
                responsible_role=COORDINATOR,
                participants=mandatory,
                handover_trigger="Når aktørfellesskapet er etablert og fellesoppdrag og mål er avklart.",
            ),
        ],
    }


def _evaluation_module(t):
    mandatory = [t(GP), t(CONTACT_DOCTOR), t(INTERNAL_COORDINATOR)]
    return {
        "title": MODULE_EVALUATION,
        "intro": "<p>Element e i LKT-rammeverket: aktørfellesskapets gjennomføring av samarbeidet. Koordinator og "
        "leder av aktørfellesskapet bruker «Felles plan for samarbeid» i ledelsen av fellesskapets arbeid og "
        "sikrer gjennomføring etter prinsipper for kvalitetsforbedring: planlegge, utføre, studere og handle "
        "(PDSA).</p>",
        "steps": [
            _step(
                "Planlegge",
                "<p>Ta utgangspunkt i felles plan for samarbeid: hva aktørfellesskapet er enige om, hvem som gjør "
                "hva, og hvordan samarbeidet skal evalueres.</p>",
                responsible_role=COORDINATOR,
            ),
            _step(
                "Utføre",
                "<p>Aktørene gjennomfører samarbeidet slik planen beskriver. Koordinator og leder av "
                "aktørfellesskapet leder og drifter samarbeidet.</p>",
                responsible_role=COORDINATOR,
                participants=mandatory,
            ),
            _step(
                "Studere",
                "<p>Aktørfellesskapet ser sammen med pasienten eller brukeren og eventuelle pårørende på hvordan "
                "samarbeidet har fungert, målt mot det som er avtalt i planen.</p>",
                responsible_role=COORDINATOR,
                participants=mandatory,
            ),
            _step(
                "Handle",
                "<p>Aktørfellesskapet justerer planen ut fra det de har lært. Rammeverket skal virke over tid, i "
                "ulike faser og situasjoner i hele livsløpet.</p>",
                responsible_role=COORDINATOR,
                handover_trigger="Når den justerte planen er godkjent av alle aktørene, begynner en ny runde.",
            ),
        ],
    }


def _generic_phases(t, community, evaluation):
    mandatory = [t(GP), t(CONTACT_DOCTOR), t(INTERNAL_COORDINATOR)]
    return [
        _phase(
            "Min gode dag og avklaring av utfordringsbilder",
            "<p>Element a i LKT-rammeverket. Utgangspunktet er pasientens eller brukerens egne historier om eget "
            "liv.</p>",
            [
                _step(
                    "Samtykke",
                    "<p>LKT-rammeverket bygger på samtykke: et aktørfellesskap kan bare etableres med samtykke fra "
                    "pasienten eller brukeren. Samtykket kan trekkes tilbake.</p>",
                    responsible_type=t(COORDINATING_UNIT),
                    handover_trigger="Når pasienten har samtykket til samarbeid i et aktørfellesskap.",
                    handover_to_role=COORDINATOR,
                ),
                _step(
                    "Min gode dag",
                    "<p>Pasienten eller brukeren forteller om hva som skaper de gode dagene og hva som skaper mindre "
                    "gode dager, om livet før og nå, og om opplevelsen av egen helse. Historiene er viktig "
                    "informasjon for aktørene i aktørfellesskapet.</p>",
                    responsible_role=COORDINATOR,
                ),
                _step(
                    "Avklaring av utfordringsbilder",
                    "<p>Historiene som formidles og temaene som drøftes, skal gjøre hver enkelt aktør og "
                    "aktørfellesskapet som helhet bedre i stand til å gi den rette hjelpen.</p>",
                    responsible_role=COORDINATOR,
                    participants=[t(GP), t(CONTACT_DOCTOR)],
                ),
            ],
        ),
        _module_block(community),
        _phase(
            "Koordinator og leder av aktørfellesskapet",
            "<p>Element c i LKT-rammeverket. Koordinator og leder av aktørfellesskapet er en av de fire "
            "obligatoriske rollene i alle aktørfellesskap. I LKT-rammeverket er dette en rolle som styrkes og "
            "løftes.</p>",
            [
                _step(
                    "Oppnevne koordinator og leder av aktørfellesskapet",
                    "<p>Kommunens koordinerende enhet har ansvar for å oppnevne, lære opp og veilede "
                    "koordinatorer.</p>",
                    responsible_type=t(COORDINATING_UNIT),
                    handover_trigger="Når koordinatoren er oppnevnt.",
                    handover_to_role=COORDINATOR,
                ),
                _step(
                    "Kontaktpunkt og leder av samarbeidet",
                    "<p>Koordinatoren er kontaktpunkt for pasienten eller brukeren og har hovedansvaret for å lede "
                    "og drifte samarbeidet i aktørfellesskapet.</p>",
                    responsible_role=COORDINATOR,
                    participants=[t(INTERNAL_COORDINATOR)],
                ),
            ],
        ),
        _phase(
            "Aktørfellesskapets plan for samarbeid",
            "<p>Element d i LKT-rammeverket. Felles plan for samarbeid er unik for den enkelte pasient eller "
            "bruker.</p>",
            [
                _step(
                    "Utarbeide felles plan for samarbeid",
                    "<p>Planen beskriver aktørenes enighet om hvordan samarbeidet skal organiseres, styres, "
                    "gjennomføres og evalueres. Den skal være en veiviser i samarbeidet.</p>",
                    responsible_role=COORDINATOR,
                    participants=mandatory,
                ),
                _step(
                    "Godkjenne planen",
                    "<p>Felles plan for samarbeid er en forpliktende avtale inngått av aktørene i aktørfellesskapet. "
                    "For koordinator og leder av aktørfellesskapet er planen et styringsredskap og mandatet for "
                    "innholdet i koordinatorfunksjonen.</p>",
                    responsible_role=COORDINATOR,
                    participants=mandatory,
                    handover_trigger="Når planen er godkjent av alle aktørene i aktørfellesskapet, starter "
                    "gjennomføringen.",
                ),
            ],
        ),
        _module_block(evaluation),
    ]


def _skeleton_phases(t, community, evaluation):
    def placeholder_phase(title, step_title, **responsible):
        return _phase(title, "", [_step(step_title, f"<p>{PLACEHOLDER}</p>", **responsible)])

    return [
        placeholder_phase("Henvisning og vurdering", "Henvisning og vurdering"),
        _module_block(community),
        placeholder_phase("Behandling og oppfølging", "Behandling og oppfølging"),
        # Structural, not clinical: the coordinator leads the cooperation across service levels.
        placeholder_phase(
            "Overganger mellom nivåer",
            "Overganger mellom kommunen og spesialisthelsetjenesten",
            responsible_role=COORDINATOR,
            participants=[t(INTERNAL_COORDINATOR)],
        ),
        _module_block(evaluation),
    ]


def _index(home_page, created):
    index = PathwayIndexPage.objects.first()
    if index is None:
        index = PathwayIndexPage(
            title="Forløp",
            slug=INDEX_SLUG,
            intro="<p>Forløpene beskriver hvem som gjør hva, og når ansvaret går videre. Hvert steg viser til en "
            "type aktør eller en av de fire rollene i LKT-rammeverket; velg kommune for å se hvem det er der du "
            "bor.</p>",
            show_in_menus=True,
        )
        home_page.add_child(instance=index)
        index.save_revision().publish()
        created.append(f"forløpsoversikt «{index.title}»")
    return index


def _module(data, created):
    module = PathwayModule.objects.filter(title=data["title"]).first()
    if module is None:
        module = PathwayModule(title=data["title"], intro=data["intro"])
        module.steps = [{"type": "step", "value": step, "id": _id()} for step in data["steps"]]
        module.save()
        module.save_revision().publish()
        created.append(f"modul «{module.title}»")
    return module


def _pathway(index, created, *, slug, **fields):
    if PathwayPage.objects.filter(slug=slug).exists():
        return PathwayPage.objects.get(slug=slug)
    page = PathwayPage(slug=slug, **fields)
    index.add_child(instance=page)
    page.save_revision().publish()
    created.append(f"forløp «{page.title}»")
    return page


@transaction.atomic
def seed_pathways(home_page):
    """Create what is missing of the pathway index, modules, generic pathway and skeletons; return what was made."""
    created = []
    seed_catalogue()
    index = _index(home_page, created)
    ensure_pathway_groups(index)
    t = _Types()
    community = _module(_actor_community_module(t), created)
    evaluation = _module(_evaluation_module(t), created)
    next_review = timezone.localdate() + timedelta(days=365)

    _pathway(
        index,
        created,
        slug=GENERIC_SLUG,
        title=GENERIC_TITLE,
        summary="Det generiske forløpet bygger på LKT-rammeverket: fem obligatoriske hovedelementer som er "
        "gjensidig avhengige av hverandre, og fire roller som alltid skal være med i aktørkartet. Rammeverket "
        "gjelder uavhengig av diagnose, utfordringsbilde og alder, og skal virke over tid i ulike faser av livet.",
        owner_unit=OWNER_UNIT,
        version="1.0",
        next_review=next_review,
        awaiting_clinical_content=False,
        phases=_generic_phases(t, community, evaluation),
    )
    for title, slug, name in SKELETONS:
        _pathway(
            index,
            created,
            slug=slug,
            title=title,
            summary=f"Skjelett for {name}: fasene og LKT-modulene er på plass, men det kliniske innholdet venter "
            "på at fagmiljøet skriver og godkjenner det.",
            owner_unit=OWNER_UNIT,
            version="0.1",
            next_review=next_review,
            awaiting_clinical_content=True,
            phases=_skeleton_phases(t, community, evaluation),
        )
    return created


def set_generic_content_owner(user):
    """Make ``user`` the content owner of the generic pathway, unless someone already owns it.

    The change goes into a new revision; it is published only when the page has no unpublished
    draft, so an editor's work in progress is never published by the seed.
    """
    live = PathwayPage.objects.filter(slug=GENERIC_SLUG, content_owner__isnull=True).first()
    if live is None or user is None:
        return False
    had_draft = live.has_unpublished_changes
    page = live.get_latest_revision_as_object()
    page.content_owner = user
    revision = page.save_revision()
    if not had_draft:
        revision.publish()
    return True
