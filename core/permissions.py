"""Grants that the apps' group set-up shares: model permissions and Wagtail moderation tasks."""

from django.contrib.auth.models import Permission
from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask


def permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def approval_task(name, group):
    """The Wagtail group-approval task of this name (created if missing), owned by exactly this group."""
    task = GroupApprovalTask.objects.filter(name=name).first() or GroupApprovalTask.objects.create(name=name)
    task.groups.set([group])
    return task


def moderation_workflow(name, tasks):
    """A Wagtail moderation workflow of this name running these approval tasks in order; idempotent."""
    workflow, _ = Workflow.objects.get_or_create(name=name, defaults={"active": True})
    for order, task in enumerate(tasks):
        WorkflowTask.objects.update_or_create(workflow=workflow, task=task, defaults={"sort_order": order})
    return workflow
