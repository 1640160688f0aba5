"""Viewflow task nodes of the care process: tasks that stay with their owner, and approvals by role.

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


class ApprovalView(PersonalView):
    """One approver's answer to the plan version under approval; the node knows whose answer it asks for.

    The flow's declaration is the one place that maps approval steps to roles: views, generators and tests read
    ``approver`` from the node.
    """

    def __init__(self, view, approver, **kwargs):
        super().__init__(view, **kwargs)
        self.approver = approver


def approval_nodes(flow_class):
    """The approval nodes of a flow, in the order they are declared."""
    return [node for node in flow_class.instance.nodes() if isinstance(node, ApprovalView)]
