"""The coordinator's side of patients' messages: a list of what waits, and a page to read and answer one.

Mounted under the process prefix (``/prosesser/meldinger/``), so the two factors and the need-to-know middleware
apply before these views run: a URL naming a process the user may not see answers 404, and every page that shows a
message is in the audit trail. Answering is for the process's coordinator and its coordinating unit.
"""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from workflows import access as care_access
from workflows import audit
from workflows.models import CareProcess

from . import forms, services
from .models import PatientMessage


def waiting_for(user):
    """Open messages of processes the user coordinates (or whose municipality's coordinating unit they are in)."""
    visible = CareProcess.objects.visible_to(user)
    mine = visible.filter(coordinator=user) | visible.filter(
        municipality_id__in=care_access.coordinating_municipalities(user)
    )
    return PatientMessage.objects.open().filter(process__in=mine.values("pk"))


class MessageListView(View):
    def get(self, request):
        rows = list(waiting_for(request.user).select_related("process").order_by("sent_at")[:100])
        audit.record_listed(request.user, [row.process_id for row in rows], "pasientmeldinger:list")
        return render(request, "patients/staff/message_list.html", {"rows": rows})


def may_read_messages(user, process):
    """The messages are addressed to the coordinator: the process's coordinator and its coordinating unit read them,
    not the rest of the team."""
    return process.coordinator_id == user.pk or care_access.is_coordinating_unit_for(user, process)


class ProcessMessagesView(View):
    """One patient's messages, newest first, with an answer form under each one still waiting."""

    def dispatch(self, request, process_pk):
        self.process = get_object_or_404(CareProcess.objects.visible_to(request.user), pk=process_pk)
        if not may_read_messages(request.user, self.process):
            raise Http404
        return super().dispatch(request, process_pk)

    def get(self, request, process_pk):
        return self._page(forms.AnswerForm(), None)

    def post(self, request, process_pk):
        message = get_object_or_404(
            PatientMessage.objects.open(), process=self.process, uuid=request.POST.get("message", "")
        )
        form = forms.AnswerForm(request.POST)
        if not form.is_valid():
            return self._page(form, message, status=422)
        services.answer_message(message, request.user, form.cleaned_data["answer"])
        messages.success(request, _("Svaret er sendt. Pasienten ser det på Min side."), fail_silently=True)
        return HttpResponseRedirect(reverse("pasientmeldinger:list"))

    def _page(self, form, failed, status=200):
        rows = list(self.process.patient_messages.select_related("answered_by")[:50])
        context = {"process": self.process, "rows": rows, "form": form, "failed": failed}
        return render(self.request, "patients/staff/process_messages.html", context, status=status)
