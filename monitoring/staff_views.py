"""The team's side of self-monitoring: «hvem er rød nå», a patient's values, and registering on the patient's behalf.

Mounted under the process prefix (``/prosesser/egenmaling/``): two factors and the need-to-know middleware run before
these views, so a URL naming a process the user may not see answers 404 and every page of patient data is in the
audit trail (the overview lists each patient it shows).
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core.digits import parse_id
from workflows import audit
from workflows.models import CareProcess

from . import display, forms, services
from .models import Alert, Reminder, Zone
from .querysets import overview_for

PER_PAGE = 50


class OverviewView(View):
    """One page of the coordinator's patients in overview order. The page is cut from the sorted status rows before
    any patient row is read (the names of its 50 in one more query), and there is no total count: «Neste» shows when
    a 51st row exists. Both keep the page's cost independent of how many patients and reports there are."""

    def get(self, request):
        number = parse_id(request.GET.get("side", "1")) or 1
        start = (number - 1) * PER_PAGE
        rows = list(overview_for(request.user)[start : start + PER_PAGE + 1])
        has_next = len(rows) > PER_PAGE
        rows = rows[:PER_PAGE]
        names = dict(
            CareProcess.objects.filter(pk__in=[row.process_id for row in rows]).values_list("pk", "patient_name")
        )
        for row in rows:
            row.patient_name = names.get(row.process_id, "")
        audit.record_listed(request.user, [row.process_id for row in rows], "egenmaling:overview")
        context = {"rows": rows, "number": number, "has_next": has_next, "has_previous": number > 1}
        return render(request, "monitoring/staff/overview.html", context)


class ProcessView(View):
    """A patient's monitoring: each parameter of the active plan as a chart and a table, open alerts and
    reminders, and a form per parameter to register a value on the patient's behalf."""

    def get(self, request, process_pk):
        return self.page(request, process_pk)

    def page(self, request, process_pk, failed=None, form=None, status=200):
        process = get_object_or_404(CareProcess.objects.select_related("coordinator"), pk=process_pk)
        parameters = list(services.active_parameters(process))
        forms_by_parameter = {
            p.pk: (form if failed == p.pk and form is not None else forms.ReportForm(parameter=p)) for p in parameters
        }
        panels = display.panels(parameters)
        for panel in panels:
            panel.form = forms_by_parameter[panel.parameter.pk]
            panel.failed = failed == panel.parameter.pk
            panel.action = reverse("egenmaling:report", args=[process.pk, panel.parameter.pk])
        alerts = list(
            Alert.objects.filter(care_process=process, closed_at__isnull=True)
            .select_related("series__parameter", "responsible", "latest_report")
            .order_by("opened_at")
        )
        reminders = list(
            Reminder.objects.filter(process=process, resolved_at__isnull=True).select_related("series__parameter")
        )
        context = {
            "process": process,
            "panels": panels,
            "alerts": alerts,
            "reminders": reminders,
            "zones": Zone.choices,
            "submit_label": _("Registrer på vegne av pasienten"),
        }
        return render(request, "monitoring/staff/process.html", context, status=status)


class ReportOnBehalfView(ProcessView):
    def get(self, request, process_pk, parameter_pk):
        return HttpResponseRedirect(reverse("egenmaling:process", args=[process_pk]))

    def post(self, request, process_pk, parameter_pk):
        # The middleware has checked need-to-know for this process; the service locks and checks it again.
        process = CareProcess(pk=process_pk)
        parameter = services.active_parameters(process).filter(pk=parameter_pk).first()
        form = forms.ReportForm(request.POST, parameter=parameter)
        if parameter is None:
            messages.error(request, _("Denne målingen er ikke en del av planen som gjelder nå. Ingenting er lagret."))
            return HttpResponseRedirect(reverse("egenmaling:process", args=[process_pk]))
        if form.is_valid():
            try:
                report = services.submit_report(
                    process,
                    parameter.pk,
                    form.cleaned_data["value"],
                    request.user,
                    on_behalf=True,
                    effective_at=form.cleaned_data.get("measured_at"),
                )
            except services.ReportRefused as refused:
                form.add_error("value", refused.message)
            else:
                messages.success(
                    request,
                    _("Målingen er registrert på vegne av pasienten: %(value)s, %(zone)s sone.")
                    % {"value": report.shown_value(), "zone": report.get_zone_display().lower()},
                    fail_silently=True,
                )
                return HttpResponseRedirect(reverse("egenmaling:process", args=[process_pk]))
        return self.page(request, process_pk, failed=parameter.pk, form=form)
