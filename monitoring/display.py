"""What both the patient's and the team's pages show of one monitoring parameter: chart, table, current zone."""

from dataclasses import dataclass, field

from . import chart
from .models import PlanParameter, Report

SERIES_ROWS = 30


@dataclass
class ParameterPanel:
    parameter: PlanParameter
    reports: list = field(default_factory=list)
    svg: str = ""

    @property
    def series(self):
        return self.parameter.series

    @property
    def latest(self):
        return self.reports[0] if self.reports else None


def panels(parameters, rows=SERIES_ROWS):
    """One panel per parameter of the active plan, each with its latest reports (one query per parameter)."""
    result = []
    for parameter in parameters:
        reports = list(
            Report.objects.filter(series_id=parameter.series_id)
            .select_related("series__parameter", "recorded_by")
            .order_by("-effective_at", "-pk")[:rows]
        )
        for report in reports:
            report.series = parameter.series
        svg = chart.render(parameter, list(reversed(reports)), parameter.series.label) if reports else ""
        result.append(ParameterPanel(parameter, reports, svg))
    return result
