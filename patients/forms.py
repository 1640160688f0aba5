"""Min side's forms, in plain words; every field has a limit and a Norwegian message."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from workflows import national_id
from workflows.models import ApprovalAnswer

from .models import PatientMessage


class ApprovalForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Hva svarer du?"),
        choices=[
            (ApprovalAnswer.Decision.APPROVED, _("Jeg godkjenner planen")),
            (ApprovalAnswer.Decision.CHANGES, _("Jeg vil ha endringer i planen")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Hva vil du endre? (skriv kort)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == ApprovalAnswer.Decision.CHANGES and not data.get("comment", "").strip():
            self.add_error("comment", _("Skriv hva du vil endre, så vet koordinatoren hva som skal gjøres."))
        return data


class ConsentForm(forms.Form):
    covers_community = forms.BooleanField(
        label=_(
            "Jeg samtykker til at det opprettes et aktørfellesskap rundt meg, med en koordinator som kontaktperson."
        )
    )
    covers_sharing = forms.BooleanField(
        label=_(
            "Jeg samtykker til at aktørene som er med i aktørfellesskapet kan se planen min og opplysningene i den."
        ),
        required=False,
    )
    years = forms.TypedChoiceField(
        label=_("Hvor lenge skal samtykket gjelde?"),
        choices=[(1, _("Ett år")), (2, _("To år")), (3, _("Tre år"))],
        coerce=int,
        initial=1,
        widget=forms.RadioSelect,
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Vil du si hvorfor? (valgfritt)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("Jeg forstår at samarbeidet stopper, og at aktørene ikke lenger kan se opplysningene mine.")
    )


class MessageForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Hva gjelder det?"),
        choices=[
            (PatientMessage.Kind.MESSAGE, _("Et spørsmål eller en beskjed")),
            (PatientMessage.Kind.CHANGE, _("Noe har endret seg for meg")),
        ],
        widget=forms.RadioSelect,
        initial=PatientMessage.Kind.MESSAGE,
    )
    text = forms.CharField(label=_("Meldingen din"), max_length=1000, widget=forms.Textarea(attrs={"rows": 5}))


class GoodDayProposalForm(forms.Form):
    text = forms.CharField(
        label=_("Hva vil du endre eller legge til?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 6})
    )


class NextOfKinForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=200)
    relation = forms.CharField(
        label=_("Hvem er personen for deg? (for eksempel datter)"), max_length=100, required=False
    )
    pid = forms.CharField(label=_("Personens fødselsnummer (11 sifre)"), max_length=20)

    def __init__(self, *args, own_pid="", existing=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.own_pid = own_pid
        self.existing = set(existing)

    def clean_pid(self):
        number = national_id.normalise(self.cleaned_data["pid"])
        national_id.validate_national_id(number)
        if number == self.own_pid:
            raise ValidationError(_("Det er ditt eget fødselsnummer. Skriv fødselsnummeret til den du vil gi innsyn."))
        if number in self.existing:
            raise ValidationError(_("Denne personen har allerede innsyn."))
        return number


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Svar til pasienten"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
