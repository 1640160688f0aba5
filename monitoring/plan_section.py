"""Self-monitoring as a section of the plan-drafting step (``workflows.plan_sections``).

The section's rows start as the working version's parameters (a new draft copies them); «Legg til mal» saves the
draft like «Lagre» and appends a live template's rows, without thresholds, for the team to adjust to the patient.
A client that posts the plan step without this section (an older form) carries the previous rows over unchanged.
"""

from core.digits import parse_id

from . import forms, services
from .models import MonitoringTemplate, PlanParameter

TEMPLATE_FIELD = "monitoring-template"
ADD_TEMPLATE = "mal"


def offered_templates():
    return MonitoringTemplate.objects.filter(live=True).order_by("name")


class MonitoringSection:
    name = "monitoring"
    template_name = "monitoring/plan_section.html"

    def formset(self, process, members, data=None, submit=False):
        if data is not None and "monitoring-TOTAL_FORMS" not in data:
            data = None
            carry_over = True
        else:
            carry_over = False
        plan = process.plan_versions.working()
        rows = (
            PlanParameter.objects.filter(plan=plan)
            .select_related("series", "responsible_member_yellow", "responsible_member_red")
            .order_by("order", "pk")
            if plan is not None
            else []
        )
        formset = forms.parameter_formset(
            data,
            initial=[forms.initial_for(row) for row in rows],
            members=members,
            require_complete=submit and data is not None and data.get("_save") is None,
        )
        formset.carry_over = carry_over
        formset.previous = plan
        formset.templates = offered_templates()
        return formset

    def save(self, plan, formset, user, data):
        if getattr(formset, "carry_over", False):
            previous = formset.previous
            if previous is not None and previous.pk != plan.pk:
                rows = [_copy(row) for row in previous.monitoring_parameters.select_related("series")]
                services.save_plan_parameters(plan, rows, user)
            return
        rows = [f.row() for f in formset.forms if _kept(f)]
        if data.get("_save") == ADD_TEMPLATE:
            template = offered_templates().filter(pk=parse_id(data.get(TEMPLATE_FIELD, ""))).first()
            if template is not None:
                rows += [_template_row(block.value) for block in template.parameters if block.value["parameter"]]
        services.save_plan_parameters(plan, rows, user)

    def render(self, plan, audience, request=None):
        from django.template.loader import render_to_string

        rows = list(
            PlanParameter.objects.filter(plan=plan)
            .select_related("series__parameter", "responsible_member_yellow", "responsible_member_red")
            .order_by("order", "pk")
        )
        return render_to_string(
            "monitoring/plan_display.html", {"rows": rows, "audience": audience, "plan": plan}, request=request
        )


def _kept(form):
    return form.cleaned_data and not form.cleaned_data.get("DELETE")


def _copy(row):
    fields = {
        f.name: getattr(row, f.name)
        for f in PlanParameter._meta.concrete_fields
        if f.name not in ("id", "plan", "series", "order")
    }
    return {"parameter": row.series.parameter, "question": row.series.question, **fields}


def _template_row(value):
    initial = forms.initial_from_template(value)
    role_yellow = initial.pop("responsible_yellow").split(":", 1)[1]
    role_red = initial.pop("responsible_red").split(":", 1)[1]
    initial["parameter"] = value["parameter"]
    return {
        **initial,
        "responsible_role_yellow": role_yellow,
        "responsible_role_red": role_red,
    }
