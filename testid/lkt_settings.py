"""TestID's view of the client settings it serves (the same values the patient channel's client uses)."""

from django.conf import settings


def client_id():
    return settings.LKT_OIDC["client_id"]


def client_secret():
    return settings.LKT_OIDC["client_secret"]
