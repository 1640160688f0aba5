"""Min side: the patient's plan, team, story, approval, consent, messages, access log and next of kin.

Every page answers only a citizen session (anyone else is sent to log in), finds the process through the citizens'
rule in :mod:`patients.access` (404 for anything else, recorded as a refused access), writes its read to the audit
trail, and is never cached (``Cache-Control: no-store``). The pages name no internal step, no staff username and no
other patient.
"""

import time
from urllib.parse import urlencode, urlsplit

import requests
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from accounts import trail
from accounts.models import SecurityEvent
from core.vocabulary import Role
from workflows.flows import ForlopFlow
from workflows.models import AuditEntry, Consent, GoodDay, PlanVersion

from . import access, forms, oidc, services, stages
from .backends import CITIZEN_BACKEND
from .innsyn import readers
from .middleware import LAST_SEEN, is_citizen_session
from .models import NextOfKinGrant, PatientMessage

LOGIN_SESSION_KEY = "lkt_oidc_login"


def safe_next(request, url):
    """A page of Min side on this host to return to after login, or empty."""
    if not url.startswith(reverse("patients:overview")) or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return url


def current_citizen(request):
    if not (request.user.is_authenticated and is_citizen_session(request)):
        return None
    return getattr(request.user, "citizen", None)


# --- login -------------------------------------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class LoginView(View):
    """The page with «Logg inn med ID-porten»; the button posts here and the browser goes to the provider."""

    def get(self, request):
        if current_citizen(request) is not None:
            return redirect("patients:overview")
        config = oidc.Config.from_settings()
        response = render(
            request,
            "patients/login.html",
            {
                "configured": config is not None,
                "expired": request.GET.get("utlopt") == "1",
                "next": safe_next(request, request.GET.get("neste", "")),
            },
        )
        provider = _authorization_origin(config)
        if provider:
            # The form posts here and is redirected on to ID-porten: the Content-Security-Policy's form-action
            # (which browsers apply to the redirect too) must name ID-porten's login host beside this one.
            response._csp_update = {"form-action": [provider]}
        return response

    def post(self, request):
        config = oidc.Config.from_settings()
        if config is None:
            raise Http404
        try:
            begun = oidc.start(config, request.build_absolute_uri(reverse("patients:callback")))
        except oidc.LoginRefused:
            return render(request, "patients/login_failed.html", status=502)
        next_url = safe_next(request, request.POST.get("neste", ""))
        # A fresh session for every login: nothing of a staff login or an earlier patient survives it.
        request.session.flush()
        request.session[LOGIN_SESSION_KEY] = {
            "state": begun.state,
            "nonce": begun.nonce,
            "verifier": begun.code_verifier,
            "next": next_url,
        }
        return HttpResponseRedirect(begun.url)


def _authorization_origin(config):
    """The scheme and host of the provider's authorisation endpoint (from its cached discovery document)."""
    if config is None:
        return ""
    try:
        parts = urlsplit(oidc.metadata(config)["authorization_endpoint"])
    except (oidc.LoginRefused, KeyError, requests.RequestException, ValueError):
        return ""
    return f"{parts.scheme}://{parts.netloc}"


@method_decorator(never_cache, name="dispatch")
class CallbackView(View):
    """Where ID-porten sends the browser back: check state, exchange the code, check the id_token, log in."""

    def get(self, request):
        pending = request.session.pop(LOGIN_SESSION_KEY, None)
        config = oidc.Config.from_settings()
        if config is None or pending is None:
            return self._refused(request, "no login under way")
        if request.GET.get("error"):
            # The person cancelled at the provider, or it refused: they are simply not logged in.
            return redirect("patients:login")
        if request.GET.get("state") != pending["state"] or not request.GET.get("code"):
            return self._refused(request, "state mismatch")
        try:
            claims = oidc.finish(
                config,
                request.build_absolute_uri(reverse("patients:callback")),
                request.GET["code"],
                pending["verifier"],
                pending["nonce"],
            )
        except oidc.LoginRefused as refused:
            return self._refused(request, refused.reason)
        citizen = services.citizen_for_login(claims["pid"], claims["acr"])
        login(request, citizen.user, backend=CITIZEN_BACKEND)
        request.session[LAST_SEEN] = time.time()
        return redirect(pending.get("next") or "patients:overview")

    def _refused(self, request, reason):
        trail.record(SecurityEvent.Kind.LOGIN_FAILED, request, username="id-porten", detail=f"Min side: {reason}")
        return render(request, "patients/login_failed.html", status=400)


@method_decorator(never_cache, name="dispatch")
class LogoutView(View):
    def post(self, request):
        if current_citizen(request) is not None:
            logout(request)
        request.session.flush()
        messages.info(request, _("Du er logget ut."), fail_silently=True)
        return redirect("patients:login")


# --- the pages ---------------------------------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class CitizenView(View):
    """Only a citizen session; anyone else goes to the login page (a staff session included)."""

    def dispatch(self, request, *args, **kwargs):
        self.citizen = current_citizen(request)
        if self.citizen is None:
            return redirect(f"{reverse('patients:login')}?{urlencode({'neste': request.path})}")
        return super().dispatch(request, *args, **kwargs)


class OverviewView(CitizenView):
    def get(self, request):
        own = list(access.own_processes(self.citizen).select_related("municipality").order_by("-created"))
        granted = list(access.granted_processes(self.citizen).order_by("-created"))
        for process in own:
            services.record_read(self.citizen, process, "min-side:oversikt")
        for process in granted:
            services.record_read(self.citizen, process, "min-side:oversikt (pårørende)")
        names = {
            grant.process_id: grant
            for grant in NextOfKinGrant.objects.active().filter(pid=self.citizen.pid, process__in=granted)
        }
        return render(
            request,
            "patients/overview.html",
            {
                "own": [(process, stages.describe(process)) for process in own],
                "granted": [(process, names.get(process.pk)) for process in granted],
                "under_16": stages.is_under_16(self.citizen.pid),
            },
        )


class ProcessView(CitizenView):
    """A page about one process: the patient's own, or – where ``next_of_kin_may_read`` – one granted to them."""

    next_of_kin_may_read = False
    page_name = ""
    template_name = ""

    def dispatch(self, request, *args, **kwargs):
        self.citizen = current_citizen(request)
        if self.citizen is None:
            return redirect(f"{reverse('patients:login')}?{urlencode({'neste': request.path})}")
        pk = kwargs["process_pk"]
        self.process = access.own_processes(self.citizen).select_related("coordinator").filter(pk=pk).first()
        self.as_next_of_kin = False
        if self.process is None and self.next_of_kin_may_read:
            self.process = access.granted_processes(self.citizen).select_related("coordinator").filter(pk=pk).first()
            self.as_next_of_kin = self.process is not None
        if self.process is None:
            services.record_refused(self.citizen, pk, f"min-side:{self.page_name}")
            raise Http404
        return View.dispatch(self, request, *args, **kwargs)

    def read(self):
        suffix = " (pårørende)" if self.as_next_of_kin else ""
        services.record_read(self.citizen, self.process, f"min-side:{self.page_name}{suffix}")

    def context(self, **extra):
        return {
            "process": self.process,
            "as_next_of_kin": self.as_next_of_kin,
            "stage": stages.describe(self.process),
            "page_name": self.page_name,
            "approval_waiting": not self.as_next_of_kin
            and services.open_task(self.process, ForlopFlow.patient_confirmation) is not None,
            **extra,
        }

    def render_page(self, **extra):
        return render(self.request, self.template_name, self.context(**extra))

    def back_here(self):
        return HttpResponseRedirect(self.request.path)


class PlanView(ProcessView):
    next_of_kin_may_read = True
    page_name = "plan"
    template_name = "patients/plan.html"

    def get(self, request, process_pk):
        versions = list(
            self.process.plan_versions.sent().only("pk", "process", "number", "status", "submitted_at", "approved_at")
        )
        # The plan that applies (the approved version), or before the first approval the latest one sent round.
        current = next((v for v in versions if v.status == PlanVersion.Status.APPROVED), None) or (
            versions[0] if versions else None
        )
        chosen = current
        number = request.GET.get("versjon", "")
        if number.isdigit():
            chosen = next((v for v in versions if v.number == int(number)), None)
            if chosen is None:
                raise Http404
        plan = PlanVersion.objects.get(pk=chosen.pk) if chosen is not None else None
        newer = versions[0] if versions and current is not None and versions[0].number > current.number else None
        self.read()
        return self.render_page(
            plan=plan,
            versions=versions,
            is_current=plan is not None and plan.pk == current.pk,
            newer=newer,
        )


class PlanPrintView(PlanView):
    page_name = "plan-utskrift"
    template_name = "patients/plan_print.html"


class TeamView(ProcessView):
    next_of_kin_may_read = True
    page_name = "team"
    template_name = "patients/team.html"

    def get(self, request, process_pk):
        members = list(self.process.team.active().select_related("actor"))
        order = {Role.COORDINATOR: 0, Role.GP: 1, Role.CONTACT_DOCTOR: 2, Role.INTERNAL_COORDINATOR: 3, Role.ACTOR: 4}
        members.sort(key=lambda m: (order.get(m.role, 5), m.name))
        self.read()
        return self.render_page(members=[stages.contact(member) for member in members])


class GoodDayView(ProcessView):
    page_name = "min-gode-dag"
    template_name = "patients/good_day.html"

    def get(self, request, process_pk):
        return self._page(forms.GoodDayProposalForm())

    def post(self, request, process_pk):
        form = forms.GoodDayProposalForm(request.POST)
        if not form.is_valid() or not self.process.is_open:
            return self._page(form, status=422)
        services.send_message(self.process, self.citizen, PatientMessage.Kind.GOOD_DAY, form.cleaned_data["text"])
        messages.success(request, _("Forslaget er sendt til koordinatoren din."), fail_silently=True)
        return self.back_here()

    def _page(self, form, status=200):
        good_day = GoodDay.objects.filter(process=self.process).first()
        proposals = list(self.process.patient_messages.filter(kind=PatientMessage.Kind.GOOD_DAY)[:20])
        self.read()
        response = self.render_page(good_day=good_day, form=form, proposals=proposals)
        response.status_code = status
        return response


class ApprovalView(ProcessView):
    page_name = "godkjenning"
    template_name = "patients/approval.html"

    def get(self, request, process_pk):
        return self._page(forms.ApprovalForm())

    def post(self, request, process_pk):
        form = forms.ApprovalForm(request.POST)
        if not form.is_valid():
            return self._page(form, status=422)
        try:
            services.answer_plan(
                self.process, self.citizen, form.cleaned_data["decision"], form.cleaned_data["comment"].strip()
            )
        except services.NothingToAnswer:
            messages.info(request, _("Planen er allerede besvart."), fail_silently=True)
            return self.back_here()
        messages.success(request, _("Takk! Svaret ditt er sendt til koordinatoren."), fail_silently=True)
        return self.back_here()

    def _page(self, form, status=200):
        waiting = services.open_task(self.process, ForlopFlow.patient_confirmation) is not None
        plan = self.process.plan_versions.under_approval() if waiting else None
        answers = list(
            self.process.plan_versions.sent()
            .filter(answers__role="pasient")
            .values("number", "answers__decision", "answers__comment", "answers__on_behalf", "answers__recorded_at")
            .order_by("-number")[:10]
        )
        self.read()
        response = self.render_page(plan=plan, form=form, answers=answers)
        response.status_code = status
        return response


class ConsentView(ProcessView):
    page_name = "samtykke"
    template_name = "patients/consent.html"

    def get(self, request, process_pk):
        return self._page(forms.ConsentForm(), forms.WithdrawForm())

    def post(self, request, process_pk):
        if "withdraw" in request.POST:
            withdraw = forms.WithdrawForm(request.POST)
            if not withdraw.is_valid():
                return self._page(forms.ConsentForm(), withdraw, status=422)
            try:
                services.withdraw_consent(self.process, self.citizen, withdraw.cleaned_data["note"].strip())
            except services.NothingToAnswer:
                return self.back_here()
            messages.success(
                request, _("Samtykket er trukket tilbake. Aktørene kan ikke lenger se opplysningene dine."), True
            )
            return self.back_here()
        give = forms.ConsentForm(request.POST)
        if not give.is_valid():
            return self._page(give, forms.WithdrawForm(), status=422)
        try:
            services.give_consent(
                self.process, self.citizen, give.cleaned_data["covers_sharing"], give.cleaned_data["years"]
            )
        except services.NothingToAnswer:
            return self.back_here()
        messages.success(request, _("Takk! Samtykket ditt er registrert."), fail_silently=True)
        return self.back_here()

    def _page(self, give, withdraw, status=200):
        consents = list(
            Consent.objects.filter(process=self.process).only(
                "granted",
                "given_at",
                "method",
                "covers_community",
                "covers_sharing",
                "valid_until",
                "withdrawn_at",
                "given_by",
                "process_id",
            )
        )
        can_give = services.open_task(self.process, ForlopFlow.consent) is not None
        standing = any(c.granted and c.withdrawn_at is None for c in consents) and self.process.is_open
        self.read()
        response = self.render_page(
            consents=consents, give_form=give, withdraw_form=withdraw, can_give=can_give, can_withdraw=standing
        )
        response.status_code = status
        return response


class MessagesView(ProcessView):
    page_name = "meldinger"
    template_name = "patients/messages.html"

    def get(self, request, process_pk):
        return self._page(forms.MessageForm())

    def post(self, request, process_pk):
        form = forms.MessageForm(request.POST)
        if not form.is_valid() or not self.process.is_open:
            return self._page(form, status=422)
        services.send_message(self.process, self.citizen, form.cleaned_data["kind"], form.cleaned_data["text"])
        messages.success(request, _("Meldingen er sendt til koordinatoren din."), fail_silently=True)
        return self.back_here()

    def _page(self, form, status=200):
        page = Paginator(self.process.patient_messages.all(), 20).get_page(self.request.GET.get("side"))
        self.read()
        response = self.render_page(form=form, page=page)
        response.status_code = status
        return response


class AccessLogView(ProcessView):
    """Innsyn i logg: who has opened the patient's information, with name, role and unit (never the patient's own)."""

    page_name = "hvem-har-sett"
    template_name = "patients/access_log.html"
    per_page = 25

    def get(self, request, process_pk):
        entries = (
            AuditEntry.objects.filter(
                process=self.process,
                action__in=[AuditEntry.Action.VIEW, AuditEntry.Action.LIST, AuditEntry.Action.DOWNLOAD],
                user__isnull=False,
            )
            .exclude(user=self.citizen.user)
            .select_related("user")
            .only("at", "action", "user__first_name", "user__last_name", "user_id")
            .order_by("-at", "-pk")
        )
        page = Paginator(entries, self.per_page).get_page(request.GET.get("side"))
        rows = readers(self.process, list(page.object_list))
        self.read()
        return self.render_page(page=page, rows=rows)


class NextOfKinView(ProcessView):
    page_name = "parorende"
    template_name = "patients/next_of_kin.html"

    def get(self, request, process_pk):
        return self._page(self._form())

    def post(self, request, process_pk):
        form = self._form(request.POST)
        if not access.may_give_grants(self.process):
            raise Http404
        if not form.is_valid():
            return self._page(form, status=422)
        data = form.cleaned_data
        services.grant_next_of_kin(self.process, self.citizen, data["pid"], data["name"], data["relation"])
        messages.success(request, _("%(name)s kan nå se planen og teamet ditt.") % {"name": data["name"]}, True)
        return self.back_here()

    def _form(self, data=None):
        existing = NextOfKinGrant.objects.active().filter(process=self.process).values_list("pid", flat=True)
        return forms.NextOfKinForm(data, own_pid=self.citizen.pid, existing=list(existing))

    def _page(self, form, status=200):
        grants = list(self.process.next_of_kin_grants.all()[:50])
        self.read()
        response = self.render_page(
            grants=grants, form=form, may_grant=access.may_give_grants(self.process), under_16=False
        )
        response.status_code = status
        return response


class RevokeNextOfKinView(ProcessView):
    page_name = "parorende-trekk"

    def post(self, request, process_pk, grant_pk):
        grant = get_object_or_404(NextOfKinGrant, pk=grant_pk, process=self.process)
        services.revoke_next_of_kin(grant, self.citizen)
        messages.success(request, _("%(name)s har ikke lenger innsyn.") % {"name": grant.name}, fail_silently=True)
        return redirect("patients:next_of_kin", process_pk=self.process.pk)
