"""The step views of the care process, run inside Viewflow's task wrappers (lock, activation, permission)."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.workflow.flow.views import mixins as flow_mixins

from core.digits import parse_ids
from core.vocabulary import Role

from . import access, forms, plan_sections, services
from .matching import chosen_actors, proposed_actors
from .models import PATIENT, ApprovalAnswer, CareProcess, GoodDay, PlanVersion

# On the label (and legend) of every required field: static_src/workflows/process.css puts an asterisk after it.
REQUIRED_CSS_CLASS = "lkt-required"


class TaskFormView(flow_mixins.TaskSuccessUrlMixin, generic.FormView):
    """Renders a step's form beside the patient summary; subclasses save through services and complete."""

    template_name = "workflows/task_form.html"
    intro = ""
    allows_save = False
    submit_label = _("Fullfør steget")

    @property
    def activation(self):
        return self.request.activation

    @property
    def process(self):
        return self.request.activation.process

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.required_css_class = REQUIRED_CSS_CLASS
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        formsets = getattr(self, "_formsets", {})
        for formset in formsets.values():
            for row in formset.forms:
                row.required_css_class = REQUIRED_CSS_CLASS
        context.update(
            process=self.process,
            task=self.activation.task,
            intro=self.intro,
            formsets=formsets,
            extra_template=getattr(self, "extra_template", None),
            formsets_have_errors=any(fs.is_bound and fs.total_error_count() for fs in formsets.values()),
        )
        return context

    def complete(self, message):
        self.activation.execute()
        messages.success(self.request, message, fail_silently=True)
        return HttpResponseRedirect(self.get_success_url())


class RegisterView(TaskFormView):
    form_class = forms.RegisterForm
    submit_label = _("Registrer behovet")
    intro = _("Registrer pasienten og behovet. Opplysninger deles ikke før samtykke er registrert.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.activation.process
        kwargs["municipalities"] = access.coordinating_municipalities(self.request.user)
        kwargs["open_process_message"] = self.open_process_message
        return kwargs

    def open_process_message(self, process):
        """A person has one open process: point to it where the user may see it, and say no more where not."""
        if access.can_see(self.request.user, process):
            url = self.request.resolver_match.flow_viewset.reverse("process_detail", args=[process.pk])
            return format_html(
                _(
                    'Pasienten har allerede et åpent forløp: <a href="{}">{}</a>. '
                    "Fortsett der i stedet for å registrere på nytt."
                ),
                url,
                process,
            )
        return _(
            "Pasienten har allerede et åpent forløp i en annen kommune. Ta kontakt med koordinerende enhet der; "
            "det kan ikke registreres et nytt forløp før det er avsluttet."
        )

    def get_context_data(self, **kwargs):
        context = generic.FormView.get_context_data(self, **kwargs)
        context.update(task=self.activation.task, intro=self.intro, process=None)
        return context

    def form_valid(self, form):
        process = form.save(commit=False)
        process.coordinator = self.request.user
        try:
            with transaction.atomic():
                self.activation.execute()
                services.register_need(process, self.request.user)
        except IntegrityError:
            # Sent twice at once (a double click): the other request registered this person a moment ago.
            existing = CareProcess.objects.open().filter(national_id=process.national_id).first()
            if existing is None:
                raise
            form.add_error("national_id", self.open_process_message(existing))
            return self.form_invalid(form)
        messages.success(self.request, _("Behovet er registrert. Neste steg er samtykke."), fail_silently=True)
        return HttpResponseRedirect(self.get_success_url())


class ConsentView(TaskFormView):
    form_class = forms.ConsentForm
    submit_label = _("Registrer samtykket")
    intro = _("Ingen opplysninger deles med andre før pasienten (eller verge) har samtykket.")

    def form_valid(self, form):
        services.record_consent(self.process, form.save(commit=False), self.request.user)
        if form.cleaned_data["granted"]:
            return self.complete(_("Samtykket er registrert."))
        return self.complete(_("Det er registrert at pasienten ikke samtykker. Forløpet er avsluttet."))


class GoodDayView(TaskFormView):
    form_class = forms.GoodDayForm
    submit_label = _("Lagre og gå videre")
    intro = _("Pasientens egen fortelling. Skriv med pasientens ord.")

    allows_save = True
    save_label = _("Lagre utkast")

    def get_form_class(self):
        if self.request.method == "POST" and "_save" in self.request.POST:
            return forms.GoodDayDraftForm
        return forms.GoodDayForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = GoodDay.objects.filter(process=self.process).first()
        return kwargs

    def form_valid(self, form):
        if "_save" in self.request.POST:
            services.save_good_day(self.process, form.save(commit=False), self.request.user, draft=True)
            message = _("Utkastet er lagret. Steget er ikke fullført før du trykker «Lagre og gå videre».")
            messages.success(self.request, message, fail_silently=True)
            return HttpResponseRedirect(self.request.get_full_path())
        services.save_good_day(self.process, form.save(commit=False), self.request.user)
        return self.complete(_("Min gode dag er lagret."))


class ActorMapView(TaskFormView):
    """The team: proposals from the municipality's directory, people outside it and next of kin."""

    form_class = forms.forms.Form
    allows_save = True
    submit_label = _("Lagre og gå videre til planen")
    extra_template = "workflows/includes/actor_proposals.html"
    intro = _(
        "Velg aktører fra kommunens aktørkart, og legg til personer utenfor og pårørende. "
        "De fire obligatoriske rollene må være fylt av en navngitt person med kontaktinformasjon."
    )

    def get(self, request, *args, **kwargs):
        self._formsets = {"team": forms.team_formset(instance=self.process, prefix="team")}
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        formset = forms.team_formset(request.POST, instance=self.process, prefix="team")
        finishing = "_save" not in request.POST
        formset.require_roles = finishing
        self._formsets = {"team": formset}
        chosen = chosen_actors(self.process, request.POST.getlist("propose"))
        if not formset.is_valid():
            return self.render_to_response(self.get_context_data(form=self.get_form()))
        services.save_team(self.process, formset, request.user, chosen_actors=chosen, complete=finishing)
        if not finishing:
            messages.success(request, _("Aktørfellesskapet er lagret."), fail_silently=True)
            return HttpResponseRedirect(request.get_full_path())
        return self.complete(_("Aktørfellesskapet er klart. Neste steg er planen."))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        present = set(self.process.team.filter(actor__isnull=False).values_list("actor_id", flat=True))
        context["proposals"] = [actor for actor in proposed_actors(self.process) if actor.pk not in present]
        # A refused submit keeps the ticked proposals ticked.
        context["chosen_ids"] = set(parse_ids(self.request.POST.getlist("propose")))
        return context


class PlanView(TaskFormView):
    """Goals from Min gode dag, measures, meetings, reporting and trigger points; every submit is a new version."""

    form_class = forms.PlanForm
    allows_save = True
    submit_label = _("Send til godkjenning")
    extra_template = "workflows/includes/plan_context.html"
    intro = _("Planen bygger på pasientens mål. Lagre underveis; når du sender til godkjenning blir versjonen låst.")

    def members(self):
        return list(self.process.team.active())

    def get_initial(self):
        plan = self.process.plan_versions.working()
        if plan is None:
            return {"evaluation_interval_months": 6}
        return {
            "meetings": plan.meetings,
            "reporting": plan.reporting,
            "evaluation_interval_months": plan.evaluation_interval_months,
        }

    def _initial_lists(self):
        plan = self.process.plan_versions.working()
        if plan is None:
            return {}
        return {"goals": plan.goals, "measures": plan.measures, "triggers": plan.triggers}

    def get(self, request, *args, **kwargs):
        members = self.members()
        self._formsets = forms.plan_formsets(initial=self._initial_lists(), members=members)
        self._sections = [(s, s.formset(self.process, members)) for s in plan_sections.registered()]
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        members = self.members()
        submit = "_save" not in request.POST
        self._formsets = forms.plan_formsets(request.POST, members=members)
        self._sections = [
            (s, s.formset(self.process, members, request.POST, submit)) for s in plan_sections.registered()
        ]
        form = self.get_form()
        formsets = [*self._formsets.values(), *(formset for _section, formset in self._sections)]
        if not (form.is_valid() and all(fs.is_valid() for fs in formsets)):
            return self.render_to_response(self.get_context_data(form=form))
        data = forms.plan_data(form, self._formsets, members)
        plan = services.save_plan(self.process, data, request.user, submit=submit)
        for section, formset in self._sections:
            section.save(plan, formset, request.user, request.POST)
        if not submit:
            messages.success(request, _("Utkastet er lagret (versjon %(n)s).") % {"n": plan.number}, fail_silently=True)
            return HttpResponseRedirect(request.get_full_path())
        return self.complete(_("Plan versjon %(n)s er sendt til godkjenning.") % {"n": plan.number})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sections = getattr(self, "_sections", [])
        context["sections"] = [{"template": s.template_name, "formset": fs, "section": s} for s, fs in sections]
        context["formsets_have_errors"] |= any(fs.is_bound and fs.total_error_count() for _s, fs in sections)
        context["good_day"] = GoodDay.objects.filter(process=self.process).first()
        # The requests for changes come from the latest version sent round, even once a new draft is saved.
        sent = self.process.plan_versions.sent().first()
        changes = sent is not None and sent.status == PlanVersion.Status.CHANGES
        context["comments"] = sent.answers.filter(decision=ApprovalAnswer.Decision.CHANGES) if changes else []
        return context


class ApprovalView(TaskFormView):
    form_class = forms.ApprovalForm
    submit_label = _("Send svaret")
    extra_template = "workflows/includes/plan_for_approval.html"

    @property
    def role(self):
        return self.activation.flow_task.approver

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.process.plan_versions.under_approval()
        member = self.process.team.active().filter(role=self.role).first()
        context.update(
            plan=plan,
            member=member,
            on_behalf=member is None or member.user_id != self.request.user.pk,
            role_label=_("Pasienten") if self.role == PATIENT else Role(self.role).label,
        )
        return context

    def form_valid(self, form):
        services.record_answer(
            self.process, self.role, form.cleaned_data["decision"], form.cleaned_data["comment"], self.request.user
        )
        return self.complete(_("Svaret er registrert."))


class EvaluationView(TaskFormView):
    form_class = forms.EvaluationForm
    submit_label = _("Registrer evalueringen")
    extra_template = "workflows/includes/plan_for_approval.html"
    intro = _(
        "Planlegg – gjør – studer – handle: gå gjennom hvert mål, og bestem så om planen fortsetter, "
        "revideres eller avsluttes."
    )

    def get(self, request, *args, **kwargs):
        self._formsets = {"goal": forms.goal_evaluation_formset(plan=self.process.plan_versions.active())}
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        goals = forms.goal_evaluation_formset(request.POST, plan=self.process.plan_versions.active())
        self._formsets = {"goal": goals}
        form = self.get_form()
        if not (form.is_valid() and goals.is_valid()):
            return self.render_to_response(self.get_context_data(form=form))
        evaluation = form.save_with_goals(goals)
        services.record_evaluation(self.process, evaluation, request.user)
        return self.complete(_("Evalueringen er registrert: %(o)s.") % {"o": evaluation.get_outcome_display()})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["plan"] = self.process.plan_versions.active()
        return context
