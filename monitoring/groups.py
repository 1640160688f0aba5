"""Who keeps the monitoring templates: the pathways' owners write them, and the pathways' two-step moderation
workflow (clinical approval, then publishing) reviews them – the same people judge clinical content in both."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import WorkflowContentType

from core.permissions import permission
from home.groups import ensure_pathway_groups

from .models import MonitoringTemplate


@transaction.atomic
def ensure_template_groups():
    from django.contrib.auth.models import Group

    from home.groups import CLINICAL_APPROVERS, OWNERS, PUBLISHERS

    moderation = ensure_pathway_groups()
    edit = [permission("monitoring", f"{action}_monitoringtemplate") for action in ("add", "change", "lock", "unlock")]
    view_catalogue = permission("monitoring", "view_parameter")
    for name in (OWNERS, CLINICAL_APPROVERS, PUBLISHERS):
        Group.objects.get(name=name).permissions.add(*edit, view_catalogue)
    Group.objects.get(name=PUBLISHERS).permissions.add(
        permission("monitoring", "publish_monitoringtemplate"), permission("monitoring", "delete_monitoringtemplate")
    )
    WorkflowContentType.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(MonitoringTemplate), defaults={"workflow": moderation}
    )
    return moderation
