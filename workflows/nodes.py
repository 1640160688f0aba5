"""A Viewflow task node that stays with the person it was given to.

Viewflow's stock View lets an owner unassign a task, after which anyone allowed
to see the queue could take it – a GP could pick up the patient's confirmation.
Here a task moves only by hand-over of the coordinator role, and an unassigned
task can be taken only by the process's coordinator or its coordinating unit.
"""

from viewflow.workflow import flow

from . import access


class PersonalView(flow.View):
    def can_unassign(self, user, task):
        return False

    def can_assign(self, user, task):
        if task.owner_id or not user.is_authenticated:
            return False
        return access.can_manage(user, task.process.careprocess)
