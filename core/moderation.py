"""After «Godkjenn» or «Be om endringer» in Wagtail's moderation, a message saying what came of it.

Wagtail itself says nothing after an approval, so a reviewer could not tell whether the change was now public or
waiting for the next step. Page types whose review matters to the public (actors, pathways) use this view through
their ``PageViewSet``.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.models import Page


class ReportingWorkflowActionView(WorkflowActionView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        self.task_state.refresh_from_db()
        if self.task_state.status == self.task_state.STATUS_IN_PROGRESS:
            return response  # nothing happened (an invalid form, or a user who may not take this step)
        page = Page.objects.get(pk=self.object.pk).specific
        workflow_state = self.task_state.workflow_state
        workflow_state.refresh_from_db()
        title = page.get_admin_display_title()
        if self.task_state.status == self.task_state.STATUS_REJECTED:
            message = _("«%(title)s» er sendt tilbake med ønske om endringer. Den publiserte versjonen er uendret.")
            messages.success(request, message % {"title": title})
        elif workflow_state.status == workflow_state.STATUS_APPROVED and page.live:
            message = _("«%(title)s» er godkjent og publisert. Endringene vises nå på det offentlige nettstedet.")
            buttons = [messages.button(page.url, _("Se siden"), new_window=True)] if page.url else []
            messages.success(request, message % {"title": title}, buttons=buttons)
        elif workflow_state.status == workflow_state.STATUS_IN_PROGRESS:
            message = _("«%(title)s» er godkjent i dette trinnet og sendt videre til «%(task)s».")
            next_task = workflow_state.current_task_state.task if workflow_state.current_task_state else None
            messages.success(request, message % {"title": title, "task": next_task or ""})
        return response
