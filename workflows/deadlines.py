"""Deadlines for the steps of the care process, and what a process waits for and from whom.

Viewflow's tasks carry no due date. The forskrift om habilitering, rehabilitering, individuell plan og koordinator
asks that the work on a plan starts «uten ugrunnet opphold» but names no days; these are the service standard LKT
proposes (and a municipality can read off the code): a week for the consent conversation, two weeks for each of
the next steps and for each answer to a plan, and two weeks for an evaluation once it is due. A task past its
deadline is marked on the dashboard and in the task lists; nothing is stopped by it.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.status import STATUS

from .models import PATIENT

DAYS = {
    "consent": 7,
    "good_day": 14,
    "actor_map": 14,
    "draft_plan": 14,
    "approve_coordinator": 14,
    "approve_gp": 14,
    "approve_contact_doctor": 14,
    "approve_internal_coordinator": 14,
    "patient_confirmation": 14,
    "evaluate": 14,
}
OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def deadline(task):
    """The date a task should be done by, or None for a step without one."""
    days = DAYS.get(task.flow_task.name)
    if days is None:
        return None
    return timezone.localdate(task.created) + datetime.timedelta(days=days)


def is_overdue(task, today=None):
    due = deadline(task)
    return due is not None and due < (today or timezone.localdate())


def waiting_for(process, tasks, team):
    """What the process waits for, and from whom: [{title, who, role, note, due, overdue, task}] of its open steps.

    ``tasks`` are the process's tasks (owners loaded), ``team`` its active members; no query of its own.
    """
    by_role = {member.role: member for member in team}
    by_user = {member.user_id: member for member in team if member.user_id}
    today = timezone.localdate()
    rows = []
    for task in tasks:
        if task.flow_task_type == "TIMER" and task.status in (*OPEN, STATUS.SCHEDULED):
            rows.append(
                {
                    "title": _("Evaluering"),
                    "who": "",
                    "role": "",
                    "note": _("Åpnes automatisk"),
                    "due": timezone.localdate(task.scheduled) if task.scheduled else None,
                    "overdue": False,
                    "task": None,
                }
            )
            continue
        if task.flow_task_type != "HUMAN" or task.status not in OPEN:
            continue
        owner = task.owner
        approver = getattr(task.flow_task, "approver", None)
        member = by_role.get(approver) if approver and approver != PATIENT else by_user.get(getattr(owner, "pk", None))
        note = ""
        if approver == PATIENT:
            who, role = process.patient_name, _("pasienten")
            note = _("Svarer på Min side, eller koordinatoren registrerer svaret")
        elif member is not None:
            who, role = member.name, member.get_role_display()
            if owner is not None and member.user_id != owner.pk:
                note = _("Koordinatoren registrerer svaret")
        elif owner is not None:
            who = owner.get_full_name() or owner.get_username()
            role = _("koordinator") if owner.pk == process.coordinator_id else ""
        else:
            who, role = "", ""
        due = deadline(task)
        rows.append(
            {
                "title": task.flow_task.task_title,
                "who": who,
                "role": role,
                "note": note,
                "due": due,
                "overdue": due is not None and due < today,
                "task": task,
            }
        )
    return rows
