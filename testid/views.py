"""TestID's login page: pick or type a synthetic fødselsnummer and a level, and go back to the client with a code.

It is django-oauth-toolkit's authorisation endpoint with one difference: instead of a Django login (TestID shares the
host, and so the session cookie, with LKT itself – a login here would log the browser into LKT directly, around the
OIDC flow), the person is chosen on the page each time, and only the authorisation grant records them. TestID keeps
no session; every login starts from the client's authorisation request and ends in a code for it.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.views import generic
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.models import get_application_model
from oauth2_provider.views import AuthorizationView

from workflows import national_id

LEVELS = [
    ("idporten-loa-substantial", "Betydelig (idporten-loa-substantial)"),
    ("idporten-loa-high", "Høyt (idporten-loa-high)"),
    # Offered so a person trying the product can see the client refuse a level below what it asks for.
    ("idporten-loa-low", "Lavt (idporten-loa-low) – skal avvises"),
]


class PersonForm(forms.Form):
    pid = forms.CharField(label="Syntetisk fødselsnummer (11 sifre)", max_length=20)
    acr = forms.ChoiceField(label="Sikkerhetsnivå", choices=LEVELS, initial=LEVELS[0][0], widget=forms.RadioSelect)

    def clean_pid(self):
        number = national_id.normalise(self.cleaned_data["pid"])
        _birth, kind = national_id.parse(number)
        if kind != "synthetic":
            # Like ID-porten's own test login: only the test register's synthetic people (month + 80).
            raise ValidationError("TestID tar bare syntetiske testnumre (måned + 80).")
        return number


def provider_user(pid):
    """The provider's own record of the person, needed because a grant belongs to a user. It has no password, no
    group and no session in LKT; the patient channel never looks at it (it knows the person only from the token)."""
    user, _created = get_user_model().objects.get_or_create(username=f"testid-{pid}")
    if user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


class TestIdLoginView(AuthorizationView):
    template_name = "testid/login.html"

    def dispatch(self, request, *args, **kwargs):
        # No LoginRequiredMixin: the person is picked on this page, never taken from LKT's session.
        self.oauth2_data = {}
        return generic.View.dispatch(self, request, *args, **kwargs)

    def _validated(self, request):
        try:
            scopes, credentials = self.validate_authorization_request(request)
        except OAuthToolkitError as error:
            return None, None, self.error_response(error, application=None)
        return scopes, credentials, None

    def get(self, request, *args, **kwargs):
        _scopes, _credentials, error = self._validated(request)
        if error is not None:
            return error
        return self.render_to_response({"form": PersonForm(), "people": suggested_people()})

    def post(self, request, *args, **kwargs):
        scopes, credentials, error = self._validated(request)
        if error is not None:
            return error
        form = PersonForm(request.POST)
        if not form.is_valid():
            return self.render_to_response({"form": form, "people": suggested_people()}, status=422)
        request.user = provider_user(form.cleaned_data["pid"])
        application = get_application_model().objects.get(client_id=credentials["client_id"])
        # What the id_token will say about the person: the grant keeps it until the token endpoint asks.
        credentials["claims"] = {"testid": {"pid": form.cleaned_data["pid"], "acr": form.cleaned_data["acr"]}}
        try:
            uri, _headers, _body, _status = self.create_authorization_response(
                request=request, scopes=" ".join(scopes), credentials=credentials, allow=True
            )
        except OAuthToolkitError as error:
            return self.error_response(error, application)
        return self.redirect(uri, application)


def suggested_people():
    """The numbers used here most recently, like TestID's «sist brukte» list (load_demo prints the demo's)."""
    names = (
        get_user_model()
        .objects.filter(username__startswith="testid-")
        .order_by("-date_joined")
        .values_list("username", flat=True)[:8]
    )
    return [name.removeprefix("testid-") for name in names]
