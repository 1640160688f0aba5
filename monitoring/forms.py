"""Forms of self-monitoring: a report, an acknowledgement, and the parameters of a plan version."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import formsets
from core.vocabulary import Role

from .models import Frequency, Parameter, Zone

THRESHOLDS = ("red_below", "yellow_below", "yellow_above", "red_above")
ROLE_CHOICES = [(f"rolle:{value}", label) for value, label in Role.choices if value != Role.NEXT_OF_KIN]


class ReportForm(forms.Form):
    """One value for one parameter; the service judges it (and refuses it) under the lock."""

    value = forms.CharField(label=_("Verdi"), max_length=20)
    measured_at = forms.DateTimeField(
        label=_("Når ble det målt? (tomt: nå)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, parameter=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parameter = parameter
        catalogue = parameter.series.parameter if parameter is not None else None
        if catalogue is not None:
            self.fields["value"].label = parameter.series.label
            if catalogue.is_yes_no:
                self.fields["value"] = forms.ChoiceField(
                    label=parameter.series.label,
                    choices=[("ja", _("Ja")), ("nei", _("Nei"))],
                    widget=forms.RadioSelect,
                )
            else:
                if catalogue.unit_label:
                    self.fields["value"].label = f"{parameter.series.label} ({catalogue.unit_label})"
                self.fields["value"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})


class AcknowledgeForm(forms.Form):
    action_taken = forms.CharField(
        label=_("Hva ble gjort?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For eksempel «Ringte pasienten, avtalt time i morgen»."),
    )


def responsible_choices(members):
    named = [(f"medlem:{m.pk}", f"{m.name} ({m.get_role_display()})") for m in members if m.role != Role.NEXT_OF_KIN]
    return [(_("Den som har rollen"), ROLE_CHOICES), (_("En navngitt person"), named)]


class PlanParameterForm(forms.Form):
    """One monitoring parameter of a plan version. Thresholds are the team's, per patient; green is the rest."""

    parameter = forms.TypedChoiceField(label=_("Hva måles"), coerce=int)
    question = forms.CharField(label=_("Spørsmål (bare for ja/nei)"), max_length=200, required=False)
    frequency = forms.ChoiceField(label=_("Hvor ofte"), choices=Frequency.choices)
    tolerance_hours = forms.IntegerField(
        label=_("Påminnelse etter (timer over tiden)"), min_value=1, max_value=24 * 7, initial=12
    )
    red_below = forms.DecimalField(label=_("Rød under"), required=False, max_digits=7, decimal_places=2)
    yellow_below = forms.DecimalField(label=_("Gul under"), required=False, max_digits=7, decimal_places=2)
    yellow_above = forms.DecimalField(label=_("Gul over"), required=False, max_digits=7, decimal_places=2)
    red_above = forms.DecimalField(label=_("Rød over"), required=False, max_digits=7, decimal_places=2)
    yes_zone = forms.ChoiceField(
        label=_("Sone ved «ja»"),
        required=False,
        choices=[("", "---------"), (Zone.YELLOW, Zone.YELLOW.label), (Zone.RED, Zone.RED.label)],
    )
    patient_action_green = forms.CharField(label=_("Pasienten gjør ved grønn"), max_length=500, required=False)
    patient_action_yellow = forms.CharField(label=_("Pasienten gjør ved gul"), max_length=500, required=False)
    patient_action_red = forms.CharField(label=_("Pasienten gjør ved rød"), max_length=500, required=False)
    team_response_yellow = forms.CharField(label=_("Teamets respons ved gul"), max_length=500, required=False)
    team_response_red = forms.CharField(label=_("Teamets respons ved rød"), max_length=500, required=False)
    responsible_yellow = forms.ChoiceField(label=_("Tar over ved gul"))
    responsible_red = forms.ChoiceField(label=_("Tar over ved rød"))
    escalate_after_minutes = forms.IntegerField(
        label=_("Rødt varsel går til koordinator etter (minutter)"), min_value=5, max_value=60 * 24 * 7, required=False
    )

    def __init__(self, *args, members=(), catalogue=None, require_complete=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.require_complete = require_complete
        # The catalogue is read once per formset, not once per row.
        self.catalogue = catalogue if catalogue is not None else {p.pk: p for p in Parameter.objects.all()}
        self.fields["parameter"].choices = [("", "---------")] + [(pk, str(p)) for pk, p in self.catalogue.items()]
        self.members = {m.pk: m for m in members}
        for name in ("responsible_yellow", "responsible_red"):
            self.fields[name].choices = responsible_choices(members)
            self.fields[name].initial = f"rolle:{Role.COORDINATOR}"
        for name in (*THRESHOLDS, "tolerance_hours", "escalate_after_minutes"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal"})

    def _responsible(self, name):
        kind, _sep, value = self.cleaned_data.get(name, "").partition(":")
        if kind == "medlem":
            member = self.members.get(int(value)) if value.isdigit() else None
            if member is None:
                raise ValidationError(_("Personen er ikke lenger med i aktørfellesskapet."))
            return member.role, member
        return value or Role.COORDINATOR, None

    def clean_parameter(self):
        return self.catalogue[self.cleaned_data["parameter"]]

    @property
    def legend(self):
        parameter = self.catalogue.get(self.initial.get("parameter"))
        if parameter is None:
            return ""
        question = self.initial.get("question")
        return f"{parameter.name}: {question}" if question else parameter.name

    def clean(self):
        data = super().clean()
        parameter = data.get("parameter")
        if parameter is None or self.errors:
            return data
        values = {name: data.get(name) for name in THRESHOLDS}
        if parameter.is_yes_no:
            if any(v is not None for v in values.values()):
                self.add_error("red_below", _("En ja/nei-måling har ingen tallgrenser; velg sone ved «ja»."))
            if not data.get("question", "").strip():
                self.add_error("question", _("Skriv spørsmålet pasienten skal svare ja eller nei på."))
        else:
            for name, value in values.items():
                if value is not None and not parameter.min_value <= value <= parameter.max_value:
                    self.add_error(
                        name,
                        _("Grensen må ligge mellom %(low)s og %(high)s %(unit)s.")
                        % {"low": parameter.min_value, "high": parameter.max_value, "unit": parameter.unit_label},
                    )
            lower = [v for v in (values["red_below"], values["yellow_below"]) if v is not None]
            upper = [v for v in (values["yellow_above"], values["red_above"]) if v is not None]
            if lower != sorted(lower) or upper != sorted(upper) or (lower and upper and max(lower) >= min(upper)):
                self.add_error(
                    None,
                    _(
                        "Grensene må komme i rekkefølge: rød under ≤ gul under < gul over ≤ rød over "
                        "(grønn er området mellom)."
                    ),
                )
            if data.get("yes_zone"):
                data["yes_zone"] = ""
        for name in ("responsible_yellow", "responsible_red"):
            try:
                data[name] = self._responsible(name)
            except ValidationError as error:
                self.add_error(name, error)
        if self.require_complete and not self.errors:
            self._check_complete(data, parameter)
        return data

    def _check_complete(self, data, parameter):
        """Before the plan is sent for approval every parameter must say what happens in each zone it uses."""
        zones = set()
        if parameter.is_yes_no:
            if not data.get("yes_zone"):
                self.add_error("yes_zone", _("Velg hvilken sone et «ja» gir."))
            else:
                zones.add(data["yes_zone"])
        else:
            if not any(data.get(name) is not None for name in THRESHOLDS):
                self.add_error(None, _("Sett minst én grense for gul eller rød for %(name)s.") % {"name": parameter})
            if data.get("yellow_below") is not None or data.get("yellow_above") is not None:
                zones.add(Zone.YELLOW)
            if data.get("red_below") is not None or data.get("red_above") is not None:
                zones.add(Zone.RED)
        for zone in zones:
            if not data.get(f"patient_action_{zone_key(zone)}", "").strip():
                self.add_error(f"patient_action_{zone_key(zone)}", _("Skriv hva pasienten gjør i denne sonen."))
            if not data.get(f"team_response_{zone_key(zone)}", "").strip():
                self.add_error(f"team_response_{zone_key(zone)}", _("Skriv teamets avtalte respons."))
        if Zone.RED in zones and data.get("escalate_after_minutes") is None:
            self.add_error(
                "escalate_after_minutes", _("Avtal hvor lenge et rødt varsel kan vente før det går til koordinator.")
            )

    def row(self):
        """The PlanParameter fields of a valid form, for :func:`monitoring.services.save_plan_parameters`."""
        data = self.cleaned_data
        role_yellow, member_yellow = data["responsible_yellow"]
        role_red, member_red = data["responsible_red"]
        return {
            "parameter": data["parameter"],
            "question": data.get("question", "").strip() if data["parameter"].is_yes_no else "",
            "frequency": data["frequency"],
            "tolerance_hours": data["tolerance_hours"],
            **{name: data.get(name) for name in THRESHOLDS},
            "yes_zone": data.get("yes_zone", ""),
            **{
                name: data.get(name, "").strip()
                for name in (
                    "patient_action_green",
                    "patient_action_yellow",
                    "patient_action_red",
                    "team_response_yellow",
                    "team_response_red",
                )
            },
            "responsible_role_yellow": role_yellow,
            "responsible_member_yellow": member_yellow,
            "responsible_role_red": role_red,
            "responsible_member_red": member_red,
            "escalate_after_minutes": data.get("escalate_after_minutes"),
        }


def zone_key(zone):
    return {Zone.YELLOW: "yellow", Zone.RED: "red", Zone.GREEN: "green"}[zone]


def initial_for(plan_parameter):
    """A form's initial data from a stored row (for the next draft of the plan)."""
    row = plan_parameter

    def responsible(role, member):
        return f"medlem:{member.pk}" if member is not None and member.active else f"rolle:{role}"

    return {
        "parameter": row.series.parameter_id,
        "question": row.series.question,
        "frequency": row.frequency,
        "tolerance_hours": row.tolerance_hours,
        **{name: getattr(row, name) for name in THRESHOLDS},
        "yes_zone": row.yes_zone,
        "patient_action_green": row.patient_action_green,
        "patient_action_yellow": row.patient_action_yellow,
        "patient_action_red": row.patient_action_red,
        "team_response_yellow": row.team_response_yellow,
        "team_response_red": row.team_response_red,
        "responsible_yellow": responsible(row.responsible_role_yellow, row.responsible_member_yellow),
        "responsible_red": responsible(row.responsible_role_red, row.responsible_member_red),
        "escalate_after_minutes": row.escalate_after_minutes,
    }


def initial_from_template(block_value):
    """Initial data from one row of a monitoring template: no thresholds – the team sets them for the patient."""
    return {
        "parameter": block_value["parameter"].pk if block_value["parameter"] else None,
        "question": block_value.get("question", ""),
        "frequency": block_value.get("frequency") or Frequency.DAILY,
        "tolerance_hours": 12,
        "patient_action_green": block_value.get("patient_action_green", ""),
        "patient_action_yellow": block_value.get("patient_action_yellow", ""),
        "patient_action_red": block_value.get("patient_action_red", ""),
        "team_response_yellow": block_value.get("team_response_yellow", ""),
        "team_response_red": block_value.get("team_response_red", ""),
        "responsible_yellow": f"rolle:{block_value.get('responsible_role_yellow') or Role.COORDINATOR}",
        "responsible_red": f"rolle:{block_value.get('responsible_role_red') or Role.COORDINATOR}",
    }


class ParameterFormSet(formsets.FormSet):
    """The plan's monitoring rows. ``carry_over``: the plan step was posted without this section (an older client);
    the formset is then shown unbound with the previous rows and counts as valid, and the rows are copied on save."""

    carry_over = False

    def is_valid(self):
        if self.carry_over and not self.is_bound:
            return True
        return super().is_valid()


def parameter_formset(data=None, initial=None, members=(), require_complete=False):
    formset_class = formsets.formset_factory(PlanParameterForm, formset=ParameterFormSet, extra=0, can_delete=True)
    return formset_class(
        data,
        initial=initial,
        prefix="monitoring",
        form_kwargs={
            "members": members,
            "require_complete": require_complete,
            "catalogue": {p.pk: p for p in Parameter.objects.all()},
        },
    )
