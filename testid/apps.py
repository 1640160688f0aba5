from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class TestIdConfig(AppConfig):
    name = "testid"
    verbose_name = "TestID (utvikling)"

    def ready(self):
        # A second lock beside production.py's: the app refuses to load wherever the settings did not ask for it.
        if not getattr(settings, "LKT_TESTID_ENABLED", False):
            raise ImproperlyConfigured("TestID is for development and tests only (LKT_TESTID_ENABLED is off).")
