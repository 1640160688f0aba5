"""After «Godkjenn» or «Be om endringer» in Wagtail's moderation, a message saying what came of it; and the same
action sent twice from the page editor taken once.

Wagtail itself says nothing after an approval, so a reviewer could not tell whether the change was now public or
waiting for the next step. Page types whose review matters to the public (actors, pathways) use this view through
their ``PageViewSet``.
"""

from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.views.pages.edit import EditView
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


class SerializedWorkflowEditView(EditView):
    """Wagtail's page editor, where a workflow action («Godkjenn» with a comment posts the edit form) is taken once.

    After the comment modal, Wagtail's script adds the action to the edit form as hidden fields and submits it; the
    editor's autosave, which posts the form whenever its fields change, could send those fields first and carry out
    the approval itself. The real submit then found the task done: at the same instant Wagtail answered with a server
    error (it checks the task, the other request finishes it, then it acts on a task that is gone), afterwards it
    saved the form again as a new draft, so an approved page showed unpublished changes. So an autosave never acts,
    and the page's row is locked for an action, so a second one (a double click, two tabs) waits and is then told.
    """

    def post(self, request, *args, **kwargs):
        if not request.POST.get("action-workflow-action"):
            return super().post(request, *args, **kwargs)
        if self.expects_json_response:  # the autosave: the editor's own submit carries the action
            return self.json_error_response("workflow_action_not_autosaved", _("Handlingen sendes med skjemaet."))
        with transaction.atomic():
            list(Page.objects.select_for_update().filter(pk=self.page.pk).values_list("pk", flat=True))
            if self.page.current_workflow_task is None:
                messages.info(request, _("Denne godkjenningen er allerede behandlet. Ingenting ble endret."))
                return redirect("wagtailadmin_pages:edit", self.page.pk)
            return super().post(request, *args, **kwargs)
