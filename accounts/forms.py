from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Engangskode"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
        help_text=_("Sekssifret kode fra autentiseringsappen, eller en av reservekodene dine."),
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "").strip().lower()
