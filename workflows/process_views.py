"""Process-level pages: the patient summary, withdrawal, hand-over, the printable plan, the consent file, the log.

The need-to-know check for every URL carrying a process id runs before these
views (:class:`workflows.middleware.ProcessAccessMiddleware`); the checks here
are about what a visible process allows this user to do.
"""

import mimetypes

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.workflow.flow.views import DetailProcessView

from core.digits import parse_id

from . import access, audit, deadlines, forms, services, trail
from .models import AuditEntry, CareProcess, Consent, GoodDay, TeamMember


def _visible_process(request, pk):
    return get_object_or_404(CareProcess.objects.visible_to(request.user).select_related("municipality"), pk=pk)


class CareProcessDetailView(DetailProcessView):
    template_name = "workflows/process_detail.html"

    def get_queryset(self):
        return CareProcess.objects.visible_to(self.request.user).select_related("municipality", "coordinator")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        process = self.object
        user = self.request.user
        tasks = list(process.task_set.select_related("owner").order_by("-created")[:50])
        team = list(process.team.filter(active=True).select_related("user"))
        context.update(
            consents=process.consents.all(),
            good_day=GoodDay.objects.filter(process=process).first(),
            # Min gode dag saved as a draft: its step is still open.
            good_day_draft=any(task.flow_task.name == "good_day" and task.status in deadlines.OPEN for task in tasks),
            team=team,
            plans=process.plan_versions.prefetch_related("answers").all(),
            evaluations=process.evaluations.select_related("plan").all(),
            tasks=tasks,
            waiting=deadlines.waiting_for(process, tasks, team),
            can_manage=access.can_manage(user, process),
            can_read_audit=AuditEntry.objects.readable_by(user).filter(process=process).exists()
            or user.has_perm("workflows.view_audit"),
        )
        return context


class ProcessActionView(generic.FormView):
    template_name = "workflows/process_action.html"
    title = ""
    submit_label = _("Bekreft")
    danger = False

    def dispatch(self, request, *args, **kwargs):
        self.process = _visible_process(request, kwargs["process_pk"])
        if not access.can_manage(request.user, self.process):
            if request.method == "POST" and access.is_responsible_for(request.user, self.process):
                # Sent again after the process ended (back and resend, or a second tab): say so, change nothing.
                messages.info(request, _("Forløpet er avsluttet og kan ikke endres."), fail_silently=True)
                return HttpResponseRedirect(self.detail_url())
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            process=self.process, title=self.title, submit_label=self.submit_label, danger=self.danger, **kwargs
        )

    def detail_url(self):
        return self.request.resolver_match.flow_viewset.reverse("process_detail", args=[self.process.pk])


class WithdrawConsentView(ProcessActionView):
    form_class = forms.WithdrawForm
    title = _("Trekk samtykke: registrer at pasienten har trukket samtykket")
    submit_label = _("Trekk samtykket og stopp forløpet")
    danger = True

    def form_valid(self, form):
        try:
            services.withdraw_consent(self.process, self.request.user, form.cleaned_data["note"])
        except services.AlreadyDone:
            message = _("Forløpet var allerede stoppet; ingenting mer er registrert.")
            messages.info(self.request, message, fail_silently=True)
            return HttpResponseRedirect(self.detail_url())
        messages.success(self.request, _("Samtykket er trukket tilbake. Forløpet er stoppet."), fail_silently=True)
        if access.can_see(self.request.user, self.process):
            return HttpResponseRedirect(self.detail_url())
        return HttpResponseRedirect(self.request.resolver_match.flow_viewset.reverse("index"))


class HandoverView(ProcessActionView):
    form_class = forms.HandoverForm
    title = _("Overfør koordinatorrollen")
    submit_label = _("Overfør koordinatorrollen")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"members": TeamMember.objects.for_handover(self.process)}

    def form_valid(self, form):
        services.hand_over(self.process, form.cleaned_data["member"], self.request.user)
        messages.success(self.request, _("Koordinatorrollen er overført, med de åpne oppgavene."), fail_silently=True)
        if access.can_see(self.request.user, self.process):
            return HttpResponseRedirect(self.detail_url())
        return HttpResponseRedirect(self.request.resolver_match.flow_viewset.reverse("index"))


class PlanPrintView(generic.TemplateView):
    """The current plan (or a given version) laid out for printing and handing to the patient."""

    template_name = "workflows/plan_print.html"

    def get_context_data(self, **kwargs):
        process = _visible_process(self.request, kwargs["process_pk"])
        versions = process.plan_versions.sent()
        asked = self.request.GET.get("versjon")
        if asked is None:
            plan = process.plan_versions.active() or versions.first()
        else:
            # A version number that is no number, or names no version sent round, is no page: 404, not the latest.
            number = parse_id(asked)
            plan = versions.filter(number=number).first() if number is not None else None
        if plan is None:
            raise Http404
        return super().get_context_data(
            process=process,
            plan=plan,
            team=process.team.filter(active=True),
            good_day=GoodDay.objects.filter(process=process).first(),
            printed_at=timezone.now(),
            **kwargs,
        )


class NationalIdView(generic.TemplateView):
    """The fødselsnummer, shown only when asked for and written to the trail as a read of its own."""

    template_name = "workflows/national_id.html"

    def get_context_data(self, **kwargs):
        process = _visible_process(self.request, kwargs["process_pk"])
        audit.record(self.request.user, process, AuditEntry.Action.VIEW, _("Viste fødselsnummer"))
        return super().get_context_data(process=process, **kwargs)


class ConsentDocumentView(generic.View):
    def get(self, request, process_pk, consent_pk):
        process = _visible_process(request, process_pk)
        consent = get_object_or_404(Consent, pk=consent_pk, process=process)
        if not consent.document:
            raise Http404
        content_type = mimetypes.guess_type(consent.document.name)[0] or "application/octet-stream"
        audit.record(request.user, process, AuditEntry.Action.DOWNLOAD, _("Lastet ned signert samtykkeskjema"))
        response = FileResponse(
            consent.document.open("rb"),
            content_type=content_type,
            as_attachment=True,
            filename=f"samtykke-{process.pk}-{consent.pk}{_extension(consent.document.name)}",
        )
        # Never cached, like every page under the process prefix: lkt_site.middleware.NoStoreMiddleware.
        return response


def _extension(name):
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


class AuditLogView(generic.ListView):
    """The trail for the coordinating unit (its municipalities) and the auditor role (everything); read-only.

    It shows process numbers, never patient names, so an auditor reads who did
    what without reading the health record itself.
    """

    template_name = "workflows/audit_log.html"
    paginate_by = 100

    def get_queryset(self):
        user = self.request.user
        if not (user.has_perm("workflows.view_audit") or access.coordinating_municipalities(user)):
            raise Http404
        entries = AuditEntry.objects.readable_by(user).select_related("user", "process")
        self.process_filter = self.request.GET.get("forlop", "")
        if self.process_filter:
            process_pk = parse_id(self.process_filter)
            if process_pk is None or not self._may_read_trail_of(process_pk):
                raise Http404
            entries = entries.filter(process_id=process_pk)
        return entries.order_by("-at", "-pk")

    def _may_read_trail_of(self, process_pk):
        """A trail outside the user's municipalities is, like the process itself, not there: 404, not an empty page."""
        user = self.request.user
        processes = CareProcess.objects.filter(pk=process_pk)
        if not user.has_perm("workflows.view_audit"):
            processes = processes.filter(municipality_id__in=access.coordinating_municipalities(user))
        return processes.exists()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(process_filter=self.process_filter, **kwargs)
        entries = list(context["object_list"])
        named = trail.people(entries)
        context["rows"] = [
            {
                "entry": entry,
                "person": named.get((entry.user_id, entry.process_id), trail.SYSTEM),
                "step": trail.step_name(entry.what),
            }
            for entry in entries
        ]
        return context


class ProcessDiagramView(generic.TemplateView):
    """The process diagram in the frame of the other process pages: the chart, a legend for its colours and the
    way back to the process (Viewflow's chart URL answers with the bare SVG image, which this page shows)."""

    template_name = "workflows/process_diagram.html"

    def get_context_data(self, **kwargs):
        process = _visible_process(self.request, kwargs["process_pk"])
        return super().get_context_data(process=process, **kwargs)
