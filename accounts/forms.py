"""Forms of the sign-in pages: one-time codes, enrolment codes, device names and password confirmation."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from .services import CODE_LENGTH, normalise_code


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Engangskode"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
        help_text=_("Sekssifret kode fra autentiseringsappen, eller en av reservekodene dine."),
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "").strip().lower()


class ConfirmDeviceForm(TokenForm):
    name = forms.CharField(
        label=_("Navn på enheten"),
        max_length=64,
        required=False,
        help_text=_("For eksempel «Jobbtelefon», så du kjenner den igjen i listen over enheter."),
    )
    field_order = ["name", "token"]


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Oppsettkode"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        help_text=_("Koden du har fått fra administratoren, for eksempel ABCD-EFGH-JKMN-PQRS."),
    )

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH:
            raise forms.ValidationError(_("En oppsettkode har 16 tegn (bokstaver og tall)."))
        return code


class PasswordForm(forms.Form):
    """Asked again before a verified session adds a device, removes one or gets new backup codes."""

    password = forms.CharField(
        label=_("Passordet ditt"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class LoginForm(WagtailLoginForm):
    """Wagtail's sign-in form with a label on the password field: Wagtail's has none, so Django derives the English
    «Password» from the field name (``WAGTAILADMIN_USER_LOGIN_FORM``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Passord")
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"
        self.fields["username"].widget.attrs["autocomplete"] = "username"
