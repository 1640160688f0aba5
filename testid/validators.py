"""The claims TestID puts in its id_token: ID-porten's ``pid`` (the person's number), ``acr`` and ``amr``."""

from oauth2_provider.oauth2_validators import OAuth2Validator


class TestIdValidator(OAuth2Validator):
    # ID-porten gives pid and acr with the openid scope alone.
    oidc_claim_scope = None

    def get_additional_claims(self, request):
        # TestID's login page put the chosen person and level in the grant's claims (see views.TestIdLoginView);
        # the grant carries them to the token endpoint, where this runs.
        chosen = (request.claims or {}).get("testid") or {}
        return {
            "pid": chosen.get("pid", ""),
            "acr": chosen.get("acr", ""),
            "amr": ["TestID"],
            "locale": "nb",
        }
