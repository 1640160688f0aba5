"""Forms of each step; every rule a coordinator can break is checked here with a Norwegian message."""

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import formsets
from core.digits import is_ascii_digits, to_ascii_digits
from core.uploads import check_upload_size
from core.vocabulary import LKT_ROLES, Role
from directory.models import PostalCode

from . import access, national_id
from .models import (
    ApprovalAnswer,
    AreaOfNeed,
    CareProcess,
    Consent,
    Evaluation,
    GoodDay,
    TeamMember,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Magic numbers of the file types a signed consent form may have; the extension alone proves nothing.
SIGNATURES = {b"%PDF-": "pdf", b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}


def _today():
    return timezone.localdate()


class RegisterForm(forms.ModelForm):
    # Longer than the 11 digits so a number typed with spaces ("150361 12345") reaches clean_national_id.
    national_id = forms.CharField(label=_("Fødselsnummer eller D-nummer"), max_length=20)
    postal_code_input = forms.CharField(label=_("Postnummer"), max_length=4, min_length=4)
    areas_of_need = forms.MultipleChoiceField(
        label=_("Behovsområder"), choices=AreaOfNeed.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = CareProcess
        fields = ["patient_name", "national_id", "address", "areas_of_need", "need_description", "referred_by"]
        widgets = {"need_description": forms.Textarea(attrs={"rows": 3})}

    field_order = [
        "patient_name",
        "national_id",
        "address",
        "postal_code_input",
        "areas_of_need",
        "need_description",
        "referred_by",
    ]

    def __init__(self, *args, municipalities=(), open_process_message=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities = set(municipalities)
        self.open_process_message = open_process_message
        self.fields["address"].required = True
        self.fields["referred_by"].required = True

    def clean_national_id(self):
        number = national_id.normalise(self.cleaned_data["national_id"])
        existing = CareProcess.objects.open().filter(national_id=number).first()
        if existing is not None and self.open_process_message is not None:
            raise ValidationError(self.open_process_message(existing), code="open_process")
        return number

    def clean_postal_code_input(self):
        code = to_ascii_digits(self.cleaned_data["postal_code_input"].strip())
        if not is_ascii_digits(code) or len(code) != 4:
            raise ValidationError(_("Postnummeret skal være fire sifre."))
        postal = PostalCode.objects.select_related("municipality").filter(code=code).first()
        if postal is None:
            raise ValidationError(_("Ukjent postnummer: %(code)s."), params={"code": code})
        if postal.municipality_id not in self.municipalities:
            raise ValidationError(
                _("%(code)s ligger i %(name)s. Behovet registreres av koordinerende enhet i pasientens kommune."),
                params={"code": code, "name": postal.municipality.name},
            )
        return postal

    def save(self, commit=True):
        postal = self.cleaned_data["postal_code_input"]
        self.instance.postal_code = postal
        self.instance.municipality = postal.municipality
        return super().save(commit=commit)


class ConsentForm(forms.ModelForm):
    granted = forms.TypedChoiceField(
        label=_("Samtykker pasienten?"),
        choices=[("ja", _("Ja, samtykke er gitt")), ("nei", _("Nei, pasienten samtykker ikke"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Consent
        fields = [
            "granted",
            "given_by",
            "guardian_name",
            "guardian_relation",
            "given_at",
            "method",
            "witness",
            "document",
            "covers_community",
            "covers_sharing",
            "valid_until",
        ]
        widgets = {"given_at": DATE_WIDGET, "valid_until": DATE_WIDGET, "given_by": forms.RadioSelect}

    def clean_given_at(self):
        value = self.cleaned_data["given_at"]
        if value > _today():
            raise ValidationError(_("Datoen kan ikke være fram i tid."))
        if value < _today() - datetime.timedelta(days=365):
            raise ValidationError(_("Datoen kan ikke være mer enn ett år tilbake."))
        return value

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if not upload or not hasattr(upload, "read"):
            return upload
        check_upload_size(upload, settings.LKT_UPLOAD_MAX_BYTES)
        head = upload.read(8)
        upload.seek(0)
        if not any(head.startswith(signature) for signature in SIGNATURES):
            raise ValidationError(_("Filen må være PDF, PNG eller JPEG."))
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("granted"):
            return data
        if data.get("given_by") == Consent.GivenBy.GUARDIAN:
            for field in ("guardian_name", "guardian_relation"):
                if not data.get(field):
                    self.add_error(field, _("Fyll ut når samtykket er gitt av verge eller foresatt."))
        method = data.get("method")
        if not method:
            self.add_error("method", _("Velg hvordan samtykket ble gitt."))
        if method == Consent.Method.FORM and not data.get("document"):
            self.add_error("document", _("Last opp det signerte skjemaet."))
        if method == Consent.Method.VERBAL and not data.get("witness"):
            self.add_error("witness", _("Et muntlig samtykke krever et vitne."))
        if not data.get("covers_community"):
            self.add_error(
                "covers_community", _("Uten samtykke til å opprette aktørfellesskap kan ikke forløpet gå videre.")
            )
        valid_until, given_at = data.get("valid_until"), data.get("given_at")
        if valid_until and given_at:
            if valid_until <= given_at:
                self.add_error("valid_until", _("Gyldig til må være etter datoen samtykket ble gitt."))
            elif valid_until > given_at + datetime.timedelta(days=365 * 10):
                self.add_error("valid_until", _("Gyldigheten kan ikke være lengre enn ti år."))
        return data


def _without_blank(form, *names):
    """Radio buttons need no «---------» choice: the field is required and has nothing to pre-select."""
    for name in names:
        form.fields[name].choices = [choice for choice in form.fields[name].choices if choice[0] != ""]


class GoodDayForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _without_blank(self, "severity", "ability")

    class Meta:
        model = GoodDay
        fields = ["good_day", "bad_day", "what_matters", "life_before", "life_now", "challenges", "severity", "ability"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ["good_day", "bad_day", "what_matters", "life_before", "life_now", "challenges"]
        } | {"severity": forms.RadioSelect, "ability": forms.RadioSelect}


class GoodDayDraftForm(GoodDayForm):
    """«Lagre utkast» on Min gode dag: the conversation with the patient may take more than one sitting, so what
    is written so far is kept, however incomplete; the step is finished with the full form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class TeamMemberForm(forms.ModelForm):
    username = forms.CharField(
        label=_("Brukernavn i LKT"), required=False, help_text=_("Bare for den som skal få oppgaver her.")
    )

    class Meta:
        model = TeamMember
        fields = ["role", "name", "organisation", "relation", "phone", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.user_id:
            self.fields["username"].initial = self.instance.user.get_username()

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        # One answer whether the account is missing, inactive or not allowed in a team: the form reveals nothing.
        user = access.team_eligible_users().filter(username=username).first()
        if user is None:
            raise ValidationError(
                _("Finner ingen aktiv bruker med brukernavnet %(name)s som kan være med i et aktørfellesskap."),
                params={"name": username},
            )
        return user

    def save(self, commit=True):
        self.instance.user = self.cleaned_data.get("username")
        return super().save(commit=commit)


class BaseTeamFormSet(formsets.InlineFormSet):
    require_roles = True
    # The team as submitted must be the team as it is: a «Lagre» sent twice would otherwise add its new rows twice.
    require_current_rows = True

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        self._check_accounts(kept)
        self._check_four_people(kept)
        filled = {}
        for form in kept:
            role = form.cleaned_data["role"]
            if role in LKT_ROLES:
                if role in filled:
                    raise ValidationError(
                        _("Rollen %(role)s er fylt av mer enn én person."), params={"role": Role(role).label}
                    )
                filled[role] = form
                if not (form.cleaned_data.get("phone") or form.cleaned_data.get("email")):
                    form.add_error("phone", _("Oppgi telefon eller e-post for en obligatorisk rolle."))
        missing = [role.label for role in LKT_ROLES if role not in filled]
        if missing and self.require_roles:
            raise ValidationError(
                _("Disse rollene må fylles før du går videre: %(roles)s."),
                params={"roles": ", ".join(str(m) for m in missing)},
            )

    def _check_accounts(self, kept):
        """Only where the consent covers sharing may actors with an account see the process (and answer)."""
        process = self.instance
        if process.shares_with_team():
            return
        for form in kept:
            user = form.cleaned_data.get("username")
            if user is not None and user.pk != process.coordinator_id:
                form.add_error(
                    "username",
                    _(
                        "Samtykket omfatter ikke deling med navngitte aktører. Registrer personen uten "
                        "brukernavn; da registrerer koordinator svarene på vegne av personen."
                    ),
                )

    def _check_four_people(self, kept):
        """The four LKT roles are held by four different people, and never by the coordinator twice."""
        coordinator_id = self.instance.coordinator_id
        seen_users, seen_names = set(), set()
        for form in kept:
            role = form.cleaned_data.get("role")
            if role not in LKT_ROLES:
                continue
            user = form.cleaned_data.get("username")
            name = " ".join(form.cleaned_data.get("name", "").casefold().split())
            if (user is not None and user.pk in seen_users) or name in seen_names:
                form.add_error(
                    "name",
                    _("De fire rollene skal ha fire ulike personer. %(name)s står allerede i en annen rolle.")
                    % {"name": form.cleaned_data.get("name", "")},
                )
            elif user is not None and role != Role.COORDINATOR and user.pk == coordinator_id:
                form.add_error(
                    "username",
                    _("Koordinatoren kan ikke også ha rollen %(role)s.") % {"role": Role(role).label},
                )
            if user is not None:
                seen_users.add(user.pk)
            seen_names.add(name)


def team_formset(*args, **kwargs):
    formset_class = formsets.inlineformset_factory(
        CareProcess, TeamMember, form=TeamMemberForm, formset=BaseTeamFormSet, extra=2, can_delete=True
    )
    # Each row shows its member's username: fetch the users with the members, not one query a row.
    kwargs.setdefault("queryset", TeamMember.objects.filter(active=True).select_related("user"))
    return formset_class(*args, **kwargs)


class GoalForm(forms.Form):
    text = forms.CharField(label=_("Mål"), max_length=500)


class MeasureForm(forms.Form):
    text = forms.CharField(label=_("Tiltak"), max_length=500)
    responsible = forms.ChoiceField(label=_("Ansvarlig"))
    deadline = forms.DateField(label=_("Frist"), widget=DATE_WIDGET)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].choices = [("", "---------")] + [(str(m.pk), str(m)) for m in members]

    def clean_deadline(self):
        value = self.cleaned_data["deadline"]
        if value < _today():
            raise ValidationError(_("Fristen kan ikke være passert."))
        if value > _today() + datetime.timedelta(days=365 * 5):
            raise ValidationError(_("Fristen kan ikke være mer enn fem år fram i tid."))
        return value.isoformat()


class TriggerForm(forms.Form):
    signal = forms.CharField(label=_("Varsellampe (tegn på forverring)"), max_length=500)
    response = forms.CharField(label=_("Avtalt respons"), max_length=500)
    takeover = forms.ChoiceField(label=_("Hvem tar over ansvaret"))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["takeover"].choices = [("", "---------")] + [(str(m.pk), str(m)) for m in members]


class PlanForm(forms.Form):
    meetings = forms.CharField(label=_("Møter"), widget=forms.Textarea(attrs={"rows": 2}))
    reporting = forms.CharField(label=_("Rapporteringsrutiner"), widget=forms.Textarea(attrs={"rows": 2}))
    evaluation_interval_months = forms.IntegerField(label=_("Evaluering hver (måneder)"), min_value=1, max_value=24)


def plan_formsets(data=None, initial=None, members=()):
    initial = initial or {}
    goal_set = formsets.formset_factory(GoalForm, extra=1, min_num=1, validate_min=True)
    measure_set = formsets.formset_factory(MeasureForm, extra=1, min_num=1, validate_min=True)
    trigger_set = formsets.formset_factory(TriggerForm, extra=1)
    return {
        "goals": goal_set(data, initial=initial.get("goals"), prefix="goals"),
        "measures": measure_set(
            data, initial=initial.get("measures"), prefix="measures", form_kwargs={"members": members}
        ),
        "triggers": trigger_set(
            data, initial=initial.get("triggers"), prefix="triggers", form_kwargs={"members": members}
        ),
    }


def plan_data(form, formsets, members):
    """What :func:`workflows.services.save_plan` stores from a valid plan form and its formsets.

    Each measure and trigger keeps the chosen member's id and, beside it, the name they had when the version was
    written (``responsible_name``, ``takeover_name``), so a frozen version still reads right after the team changes.
    """
    names = {str(member.pk): str(member) for member in members}
    data = dict(form.cleaned_data)
    for key, formset in formsets.items():
        rows = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        for row in rows:
            row.pop("DELETE", None)
            for ref in ("responsible", "takeover"):
                if ref in row:
                    row[f"{ref}_name"] = names.get(row[ref], "")
        data[key] = rows
    return data


class ApprovalForm(forms.Form):
    decision = forms.ChoiceField(label=_("Svar"), choices=ApprovalAnswer.Decision.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == ApprovalAnswer.Decision.CHANGES and not data.get("comment", "").strip():
            self.add_error("comment", _("Skriv hvilke endringer som trengs."))
        return data


class GoalEvaluationForm(forms.Form):
    goal = forms.CharField(widget=forms.HiddenInput)
    done = forms.CharField(label=_("Hva ble gjort (gjør)"), widget=forms.Textarea(attrs={"rows": 2}))
    achieved = forms.CharField(label=_("Hva ble oppnådd (studer)"), widget=forms.Textarea(attrs={"rows": 2}))
    change = forms.CharField(
        label=_("Hva endrer vi (handle)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BaseGoalEvaluationFormSet(formsets.FormSet):
    """The goals are the plan's, not the form's: the hidden goal text of each row must be the plan's goal in that
    place, and every goal must have its row – a replaced or added goal would record an evaluation of a goal that
    never existed."""

    def __init__(self, *args, goals=(), **kwargs):
        self.goals = list(goals)
        super().__init__(*args, initial=[{"goal": goal} for goal in self.goals], **kwargs)

    def clean(self):
        super().clean()
        posted = [form.cleaned_data.get("goal") for form in self.forms]
        if posted != self.goals:
            raise ValidationError(
                _("Målene i skjemaet stemmer ikke med planen som evalueres. Ingenting er lagret. Last siden på nytt."),
                code="goals_changed",
            )


def goal_evaluation_formset(data=None, plan=None):
    """One row per goal of the plan being evaluated (none without a plan)."""
    goals = [goal["text"] for goal in plan.goals] if plan is not None else []
    formset_class = formsets.formset_factory(GoalEvaluationForm, formset=BaseGoalEvaluationFormSet, extra=0)
    return formset_class(data, goals=goals, prefix="goal")


class EvaluationForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _without_blank(self, "outcome")

    class Meta:
        model = Evaluation
        fields = ["summary", "outcome"]
        widgets = {"outcome": forms.RadioSelect, "summary": forms.Textarea(attrs={"rows": 3})}

    def save_with_goals(self, goal_formset):
        """The unsaved evaluation with each goal's answers from a valid goal formset; the service saves it."""
        evaluation = self.save(commit=False)
        evaluation.per_goal = [f.cleaned_data for f in goal_formset.forms]
        return evaluation


class WithdrawForm(forms.Form):
    note = forms.CharField(label=_("Hvem trakk samtykket, og hvordan?"), widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(label=_("Jeg forstår at forløpet stoppes og at teamet mister tilgang."))


class HandoverForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Ny koordinator"), queryset=TeamMember.objects.none())

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members if members is not None else TeamMember.objects.none()
