"""Self-monitoring follows the care process: when it ends, its alerts and reminders end with it."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from workflows.models import CareProcess

from . import services

ENDED = (CareProcess.Stage.WITHDRAWN, CareProcess.Stage.CLOSED)


@receiver(post_save, sender=CareProcess, dispatch_uid="monitoring_close_for_ended_process")
def close_alerts_when_the_process_ends(sender, instance, update_fields=None, **kwargs):
    # Withdrawal and closing save the stage (``update_fields`` names it); other saves leave alerts alone.
    if instance.stage in ENDED and (update_fields is None or "stage" in update_fields):
        services.close_for_ended_process(instance)
