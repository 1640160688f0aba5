"""Self-monitoring in the demo: the shipped example templates, and two demo patients who measure at home.

The parameters are checked by the plan step's own form (``monitoring.forms.PlanParameterForm``) and written to the
approved plan version by the plan step's own service; the values go through ``monitoring.services.submit_report``
as the patient's (and once a nurse's, on the patient's behalf), so the zones, alerts and overview are real. The
thresholds below belong to two fictional patients and are demo values, not clinical advice.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from monitoring import forms, services
from monitoring.groups import ensure_template_groups
from monitoring.models import Parameter, PlanParameter
from monitoring.seed import seed_templates
from patients.services import ensure_citizen
from workflows.models import CareProcess

from . import care

DEMO = " (demoverdi for en fiktiv pasient, ikke klinisk råd)"

# patient name -> [(row, [values oldest first, one a day; the last today])]
MONITORING = {
    "Kjell Aasen": [
        (
            {
                "parameter": "blodtrykk-systolisk",
                "frequency": "daglig",
                "tolerance_hours": "12",
                "yellow_above": "150",
                "red_above": "170",
                "patient_action_green": "Fortsett som før.",
                "patient_action_yellow": "Mål på nytt om en time, og ta medisinene som avtalt.",
                "patient_action_red": "Ring fastlegen i dag. Ved brystsmerter eller lammelser: ring 113.",
                "team_response_yellow": "Koordinator ringer samme dag" + DEMO,
                "team_response_red": "Fastlegen vurderer pasienten samme dag" + DEMO,
                "responsible_yellow": "rolle:koordinator",
                "responsible_red": "rolle:fastlege",
                "escalate_after_minutes": "120",
            },
            ["138", "142", "147", "155", "149", "176"],
        ),
        (
            {
                "parameter": "stemning",
                "frequency": "daglig",
                "tolerance_hours": "24",
                "yellow_below": "4",
                "red_below": "2",
                "patient_action_green": "Fortsett med det som hjelper.",
                "patient_action_yellow": "Snakk med kona eller ring koordinator.",
                "patient_action_red": "Ring koordinator i dag.",
                "team_response_yellow": "Psykisk helse tar kontakt innen to dager" + DEMO,
                "team_response_red": "Koordinator ringer samme dag" + DEMO,
                "responsible_yellow": "rolle:koordinator",
                "responsible_red": "rolle:koordinator",
                "escalate_after_minutes": "240",
            },
            ["6", "5", "6", "5", "6", "5"],
        ),
    ],
    "Ragnhild Tveit": [
        (
            {
                "parameter": "blodsukker",
                "frequency": "daglig",
                "tolerance_hours": "12",
                "yellow_below": "4",
                "yellow_above": "15",
                "red_below": "3",
                "red_above": "20",
                "patient_action_green": "Fortsett som før.",
                "patient_action_yellow": "Følg råd fra diabetessykepleier, og mål igjen om to timer.",
                "patient_action_red": "Ring fastlegen, eller legevakt 116 117 utenom kontortid.",
                "team_response_yellow": "Hjemmesykepleien ringer pasienten" + DEMO,
                "team_response_red": "Fastlegen vurderer samme dag" + DEMO,
                "responsible_yellow": "rolle:koordinator",
                "responsible_red": "rolle:fastlege",
                "escalate_after_minutes": "60",
            },
            ["9,5", "11,2", "8,7", "12,4", "14,1", "16,3"],
        ),
    ],
}


def load_monitoring():
    """Templates and the demo patients' monitoring; does nothing twice. Returns the number of reports stored."""
    ensure_template_groups()
    seed_templates()
    users = list(get_user_model().objects.filter(username__in=[care.COORDINATOR, care.GP]))
    coordinator = next((u for u in users if u.username == care.COORDINATOR), None)
    if coordinator is None:
        return 0
    stored = 0
    catalogue = {p.slug: p for p in Parameter.objects.all()}
    by_pk = {p.pk: p for p in catalogue.values()}
    with care._no_task_mail(users):
        for name, rows in MONITORING.items():
            process = CareProcess.objects.filter(patient_name=name).exclude(stage__in=CareProcess.CLOSED_STAGES).first()
            plan = process.plan_versions.active() if process is not None else None
            if plan is None or PlanParameter.objects.filter(plan=plan).exists():
                continue
            members = list(process.team.active())
            checked = []
            for row, _values in rows:
                data = {key: str(catalogue[value].pk) if key == "parameter" else value for key, value in row.items()}
                form = forms.PlanParameterForm(data, members=members, catalogue=by_pk, require_complete=True)
                if not form.is_valid():
                    raise care.DemoError(f"monitoring: {form.errors.as_json()}")
                checked.append(form.row())
            saved = services.save_plan_parameters(plan, checked, coordinator)
            patient = ensure_citizen(process.national_id).user
            now = timezone.now()
            for parameter, (_row, values) in zip(saved, rows, strict=True):
                for days_ago, value in zip(range(len(values) - 1, -1, -1), values, strict=True):
                    at = now - datetime.timedelta(days=days_ago, hours=1)
                    on_behalf = days_ago == 3
                    services.submit_report(
                        process, parameter.pk, value, coordinator if on_behalf else patient, on_behalf, at
                    )
                    stored += 1
    return stored
