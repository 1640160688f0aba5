"""Min side: the patient reports the values agreed in the plan, sees the zone at once with what they agreed to do,
and follows each value as a chart with its zone bands (and as a table).

Built on Min side's own process page (``patients.views.ProcessView``): only the patient's own processes (a next of
kin sees none of this), every read and refusal in the audit trail, never cached.
"""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from patients.views import ProcessView

from . import display, forms, services
from .models import Reminder, Report, Zone


class MonitoringPage(ProcessView):
    next_of_kin_may_read = False
    page_name = "egenmaling"


class MonitoringView(MonitoringPage):
    template_name = "monitoring/min_side/index.html"

    def get(self, request, process_pk):
        return self.page()

    def page(self, failed=None, form=None, status=200):
        parameters = list(services.active_parameters(self.process))
        panels = display.panels(parameters)
        for panel in panels:
            panel.form = form if failed == panel.parameter.pk else forms.ReportForm(parameter=panel.parameter)
            panel.failed = failed == panel.parameter.pk
            panel.action = reverse("egenmaling_min_side:report", args=[self.process.pk, panel.parameter.pk])
        reminders = list(
            Reminder.objects.filter(process=self.process, resolved_at__isnull=True).select_related("series__parameter")
        )
        self.read()
        response = self.render_page(
            panels=panels, reminders=reminders, zones=Zone.choices, submit_label=_("Send målingen")
        )
        response.status_code = status
        return response


class ReportView(MonitoringView):
    page_name = "egenmaling-rapporter"

    def get(self, request, process_pk, parameter_pk):
        return HttpResponseRedirect(reverse("egenmaling_min_side:index", args=[process_pk]))

    def post(self, request, process_pk, parameter_pk):
        parameter = services.active_parameters(self.process).filter(pk=parameter_pk).first()
        if parameter is None:
            messages.error(request, _("Denne målingen er ikke en del av planen som gjelder nå. Ingenting er lagret."))
            return HttpResponseRedirect(reverse("egenmaling_min_side:index", args=[process_pk]))
        form = forms.ReportForm(request.POST, parameter=parameter)
        if form.is_valid():
            try:
                report = services.submit_report(
                    self.process,
                    parameter.pk,
                    form.cleaned_data["value"],
                    self.citizen.user,
                    effective_at=form.cleaned_data.get("measured_at"),
                )
            except services.ReportRefused as refused:
                form.add_error("value", refused.message)
            else:
                return HttpResponseRedirect(reverse("egenmaling_min_side:receipt", args=[process_pk, report.uuid]))
        self.page_name = "egenmaling"
        return self.page(failed=parameter.pk, form=form, status=422)


class ReceiptView(MonitoringPage):
    """The zone of the value just reported, at once, with what the patient agreed to do in that zone."""

    page_name = "egenmaling-kvittering"
    template_name = "monitoring/min_side/receipt.html"

    def get(self, request, process_pk, report):
        found = (
            Report.objects.filter(process=self.process, uuid=report)
            .select_related("series__parameter", "plan_parameter")
            .first()
        )
        if found is None:
            raise Http404
        self.read()
        action = found.plan_parameter.patient_action(found.zone)
        return self.render_page(report=found, action=action)
