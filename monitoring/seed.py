"""The monitoring templates LKT ships: examples awaiting clinical approval, with no thresholds.

They give the parameters, how often, and who takes over, with actions phrased as what the team must decide – never
a clinical threshold or advice. Each is published as an example (``clinically_approved`` off, said wherever it is
offered) so a team can start from it; content owners replace the wording and the clinical approvers approve it
through the moderation workflow.
"""

from django.db import transaction

from core.vocabulary import Role

from .models import MonitoringTemplate, Parameter

ADJUST = "Tilpass: skriv det dere har avtalt med pasienten."
NOTE = "Eksempel levert med LKT. Ikke klinisk godkjent: parametere, handlinger og roller må vurderes av fagmiljøet."


def _row(slug, frequency, question="", red_role=Role.COORDINATOR, yellow_role=Role.COORDINATOR):
    return {
        "slug": slug,
        "question": question,
        "frequency": frequency,
        "patient_action_green": "Fortsett som avtalt.",
        "patient_action_yellow": ADJUST,
        "patient_action_red": ADJUST,
        "team_response_yellow": "Teamet kontakter pasienten. " + ADJUST,
        "team_response_red": "Handle slik planen sier. " + ADJUST,
        "responsible_role_yellow": yellow_role,
        "responsible_role_red": red_role,
    }


TEMPLATES = [
    (
        "Hjertesvikt (eksempel)",
        "Daglig vekt, puls og blodtrykk, og et spørsmål om symptomer.",
        [
            _row("vekt", "daglig", red_role=Role.GP),
            _row("puls", "daglig", red_role=Role.GP),
            _row("blodtrykk-systolisk", "daglig", red_role=Role.GP),
            _row("symptom", "ved_symptomer", "Mer tung pust eller hovne bein enn vanlig?", red_role=Role.GP),
        ],
    ),
    (
        "KOLS (eksempel)",
        "Oksygenmetning og puls daglig, temperatur og symptomer ved forverring.",
        [
            _row("oksygenmetning", "daglig", red_role=Role.GP),
            _row("puls", "daglig", red_role=Role.GP),
            _row("temperatur", "ved_symptomer", red_role=Role.GP),
            _row("symptom", "ved_symptomer", "Mer tung pust eller endret oppspytt?", red_role=Role.GP),
        ],
    ),
    (
        "Tidlige varseltegn ved psykose (eksempel)",
        "Søvn og stemning daglig, og pasientens egne varseltegn.",
        [
            _row("sovn", "daglig", red_role=Role.CONTACT_DOCTOR),
            _row("stemning", "daglig", red_role=Role.CONTACT_DOCTOR),
            _row(
                "symptom",
                "ved_symptomer",
                "Har du merket noen av varseltegnene dine fra planen?",
                red_role=Role.CONTACT_DOCTOR,
            ),
        ],
    ),
    (
        "Rusbehandling (eksempel)",
        "Sug, stemning og søvn daglig.",
        [
            _row("sug", "daglig"),
            _row("stemning", "daglig"),
            _row("sovn", "daglig"),
        ],
    ),
]


@transaction.atomic
def seed_templates():
    """Publish the example templates that do not exist yet (by name); returns how many were created."""
    catalogue = {p.slug: p for p in Parameter.objects.all()}
    created = 0
    for name, description, rows in TEMPLATES:
        if MonitoringTemplate.objects.filter(name=name).exists():
            continue
        blocks = []
        for row in rows:
            value = {key: value for key, value in row.items() if key != "slug"}
            value["parameter"] = catalogue[row["slug"]]
            blocks.append(("parameter", value))
        template = MonitoringTemplate(name=name, description=description, approval_note=NOTE, parameters=blocks)
        template.save()
        template.save_revision().publish()
        created += 1
    return created
