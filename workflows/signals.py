"""Keep the cached menu counts of the process app in step with the tasks they count."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from core import cache_versions


def tasks_changed(owner_ids=(), queue=False):
    """Invalidate the menu counts of these users (and everyone's queue badge), now and after commit."""
    for owner_id in set(owner_ids):
        cache_versions.bump(cache_versions.user_tasks(owner_id), purge=False)
    if queue:
        cache_versions.bump(cache_versions.task_queue(), purge=False)


@receiver(post_save, sender=Task)
@receiver(post_delete, sender=Task)
def task_saved(sender, instance, **kwargs):
    # A human task in NEW is in the queue; one saved as ASSIGNED may just have left it.
    queue = instance.flow_task_type == "HUMAN" and instance.status in (STATUS.NEW, STATUS.ASSIGNED)
    tasks_changed([instance.owner_id] if instance.owner_id else (), queue=queue)
