"""Small helpers shared by the apps that set up groups, permissions and Wagtail approval tasks."""

from django.contrib.auth.models import Permission
from wagtail.models import GroupApprovalTask


def permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def approval_task(name, group):
    """The Wagtail group-approval task of this name (created if missing), owned by exactly this group."""
    task = GroupApprovalTask.objects.filter(name=name).first() or GroupApprovalTask.objects.create(name=name)
    task.groups.set([group])
    return task
