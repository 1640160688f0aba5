"""The alert flow's task view: the value, the zone, the agreed response and the trend, and the acknowledgement."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.workflow.flow.views import mixins as flow_mixins

from . import chart, forms, services
from .models import Alert, Report

TREND_ROWS = 10


def trend(series, limit=TREND_ROWS):
    """The series' latest reports, newest first."""
    return list(
        Report.objects.filter(series=series).select_related("series__parameter").order_by("-effective_at")[:limit]
    )


class AcknowledgeView(flow_mixins.TaskSuccessUrlMixin, generic.FormView):
    form_class = forms.AcknowledgeForm
    template_name = "monitoring/acknowledge.html"

    @property
    def alert(self):
        return self.request.activation.process

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        alert = Alert.objects.select_related(
            "care_process__municipality",
            "series__parameter",
            "plan_parameter__series__parameter",
            "report",
            "latest_report",
            "responsible",
        ).get(pk=self.alert.pk)
        reports = trend(alert.series)
        parameter = alert.plan_parameter
        context.update(
            alert=alert,
            care_process=alert.care_process,
            task=self.request.activation.task,
            parameter=parameter,
            reports=reports,
            zone=alert.zone,
            team_response=parameter.team_response(alert.zone) if alert.zone else "",
            patient_action=parameter.patient_action(alert.zone) if alert.zone else "",
            chart=chart.render(parameter, list(reversed(reports)), alert.series.label) if reports else "",
        )
        return context

    def form_valid(self, form):
        services.acknowledge(self.alert, self.request.user, form.cleaned_data["action_taken"].strip())
        self.request.activation.execute()
        messages.success(self.request, _("Varselet er kvittert."), fail_silently=True)
        return HttpResponseRedirect(self.get_success_url())
