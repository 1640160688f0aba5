"""Reads of self-monitoring, named for who reads them and why; need-to-know is always ``visible_to``."""

from django.db.models import Exists, F, OuterRef
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows.models import CareProcess

from .models import Alert, MonitoringStatus


def alert_tasks_visible_to(user):
    """Tasks of the alert flow whose care process the user has a need to know."""
    from .flows import AlertFlow

    visible = CareProcess.objects.visible_to(user).filter(pk=OuterRef("process__alert__care_process_id"))
    return Task.objects.filter(flow_task__in=list(AlertFlow.instance.nodes())).filter(Exists(visible))


def open_alerts_for(user):
    """Open alerts waiting for this user, oldest first, for the dashboard panel."""
    visible = CareProcess.objects.visible_to(user).filter(pk=OuterRef("care_process_id"))
    return (
        Alert.objects.filter(closed_at__isnull=True, task__owner=user, task__status=STATUS.ASSIGNED)
        .filter(Exists(visible))
        .select_related("care_process", "series__parameter")
        .order_by("opened_at")
        .distinct()
    )


def overview_for(user):
    """«Hvem er rød nå»: the processes the user coordinates, worst current zone first, then the oldest open alert."""
    mine = CareProcess.objects.visible_to(user).filter(coordinator=user).values("pk")
    return (
        MonitoringStatus.objects.filter(process__in=mine)
        .only(
            "process_id",
            "worst_rank",
            "worst_zone",
            "latest_report_at",
            "open_alerts",
            "oldest_open_alert_at",
            "missing",
        )
        .order_by("-worst_rank", F("oldest_open_alert_at").asc(nulls_last=True), "-open_alerts", "process_id")
    )
