"""Loads a citizen's user for their session; nothing here checks a password or can make anyone staff."""

from django.contrib.auth import get_user_model

CITIZEN_BACKEND = "patients.backends.CitizenBackend"


class CitizenBackend:
    """The session backend of users logged in through ID-porten (``patients.views.CallbackView`` calls ``login``).

    ``get_user`` refuses a user who has somehow been given staff rights, a group or a permission (an administrator
    editing the user in Wagtail): such a session ends rather than carry the rights into Min side.
    """

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        user = (
            get_user_model()
            .objects.filter(pk=user_id, is_active=True, is_staff=False, is_superuser=False, citizen__isnull=False)
            .filter(groups__isnull=True, user_permissions__isnull=True)
            .select_related("citizen")
            .first()
        )
        return user

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def get_all_permissions(self, user_obj, obj=None):
        return set()
