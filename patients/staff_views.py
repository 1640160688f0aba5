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


class AnswerView(View):
    def dispatch(self, request, process_pk, message):
        self.message = get_object_or_404(
            PatientMessage.objects.select_related("process"), process_id=process_pk, uuid=message
        )
        self.process = self.message.process
        return super().dispatch(request, process_pk, message)

    def get(self, request, process_pk, message):
        return self._page(forms.AnswerForm())

    def post(self, request, process_pk, message):
        if not care_access.can_manage(request.user, self.process) or self.message.answered_at is not None:
            raise Http404
        form = forms.AnswerForm(request.POST)
        if not form.is_valid():
            return self._page(form)
        services.answer_message(self.message, request.user, form.cleaned_data["answer"])
        messages.success(request, _("Svaret er sendt. Pasienten ser det på Min side."), fail_silently=True)
        return HttpResponseRedirect(reverse("pasientmeldinger:list"))

    def _page(self, form):
        context = {
            "message": self.message,
            "process": self.process,
            "form": form,
            "can_answer": care_access.can_manage(self.request.user, self.process) and self.message.answered_at is None,
        }
        return render(self.request, "patients/staff/message_answer.html", context)
