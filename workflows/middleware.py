"""Need-to-know at the door of every process URL, and the audit entry for every page of patient data read.

One place decides, before any Viewflow view runs: an anonymous visitor is sent
to log in; a user outside the process (not on its team, not its municipality's
coordinating unit) gets 404 for every URL that names it – detail, task, chart,
print, download – exactly as if it did not exist.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from core.digits import parse_id

from . import access, audit
from .models import AuditEntry, CareProcess

LIST_VIEWS = {"index", "inbox", "queue", "archive", "process_list"}
# Views that write a more precise entry of their own.
SELF_LOGGED = {"consent_document", "national_id"}


class ProcessAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def _in_scope(self, request):
        return request.path_info.startswith(settings.LKT_PROCESS_PATH_PREFIX)

    def __call__(self, request):
        if self._in_scope(request) and not request.user.is_authenticated:
            return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.path})}")
        response = self.get_response(request)
        self._audit(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not self._in_scope(request):
            return None
        user = request.user
        process_pk = view_kwargs.get("process_pk")
        # An id no table can hold (the URL takes any digits) names no process; the database is not asked.
        number = parse_id(str(process_pk)) if process_pk is not None else None
        care_pk = self._care_process_pk(request, number) if number is not None else None
        if not access.may_use_processes(user):
            self._deny(request, care_pk or process_pk)
        if process_pk is None:
            return None
        if care_pk is None or not CareProcess.objects.visible_to(user).filter(pk=care_pk).exists():
            self._deny(request, care_pk or process_pk)
        task_pk = view_kwargs.get("task_pk")
        if task_pk is not None:
            task_number = parse_id(str(task_pk))
            if task_number is None or not Task.objects.filter(pk=task_number, process_id=number).exists():
                self._deny(request, care_pk)
        request.lkt_process_pk = care_pk
        return None

    def _care_process_pk(self, request, process_pk):
        """A flow of its own about one care process (an alert from self-monitoring) names its own process in the
        URL; its process class says which care process it belongs to, and that care process's need-to-know holds."""
        # Viewflow's resolver carries its flow on the URL name (``url_name.extra``) before its middleware copies it.
        match = request.resolver_match
        flow = getattr(match, "flow", None) or getattr(getattr(match, "url_name", None), "extra", {}).get("flow")
        resolve = getattr(flow.process_class, "care_process_pk_for", None) if flow is not None else None
        return resolve(process_pk) if resolve is not None else process_pk

    def process_exception(self, request, exception):
        """A task that is no longer open – done by the first of two clicks, or cancelled by the join – is answered
        in Norwegian on the process page, not with Viewflow's «no transition from "DONE"» as a 403."""
        if not isinstance(exception, PermissionDenied) or not self._in_scope(request):
            return None
        process_pk = getattr(request, "lkt_process_pk", None)
        task_pk = request.resolver_match.kwargs.get("task_pk") if request.resolver_match else None
        if process_pk is None or task_pk is None:
            return None
        task = Task.objects.filter(pk=task_pk, process_id=process_pk).first()
        if task is None or task.status not in (STATUS.DONE, STATUS.CANCELED):
            return None
        if task.status == STATUS.DONE:
            messages.info(request, _("Oppgaven er allerede fullført."), fail_silently=True)
        else:
            messages.info(request, _("Oppgaven er avbrutt og kan ikke lenger utføres."), fail_silently=True)
        return redirect(task.flow_task.flow_class.parent.reverse("process_detail", args=[task.process_id]))

    def _deny(self, request, process_pk):
        """404, as if the process did not exist – and, where a process was asked for, a row in the trail."""
        if process_pk is not None:
            match = request.resolver_match
            audit.record_denied(request.user, process_pk, f"{match.namespace}:{match.url_name}" if match else "")
        raise Http404

    def _audit(self, request, response):
        # A 200 to a POST is a form shown again with its errors – and with the patient's data on it.
        if request.method not in ("GET", "HEAD", "POST") or response.status_code != 200:
            return
        match = request.resolver_match
        if match is None or not self._in_scope(request):
            return
        name = str(match.url_name)
        if name in SELF_LOGGED:
            return
        process_pk = getattr(request, "lkt_process_pk", None)
        if process_pk is not None:
            process = CareProcess(pk=process_pk)
            audit.record(request.user, process, AuditEntry.Action.VIEW, f"{match.namespace}:{name}")
        elif name in LIST_VIEWS:
            listed = getattr(request, "lkt_listed_processes", ())
            audit.record_listed(request.user, listed, f"{match.namespace}:{name}")
