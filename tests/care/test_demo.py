"""load_demo runs only in DEBUG, and adds no patients where synthetic numbers are refused (what it leaves behind:
``tests/demo/test_load_demo.py``)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from demo import care as care_demo
from workflows.models import CareProcess

pytestmark = pytest.mark.django_db


@override_settings(LKT_ALLOW_SYNTHETIC_NATIONAL_IDS=False)
def test_no_demo_patients_where_synthetic_numbers_are_refused():
    assert care_demo.load_processes() == []
    assert not CareProcess.objects.exists()


def test_load_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match=r"bare i utvikling \(DEBUG=True\).*superbruker"):
        call_command("load_demo", stdout=io.StringIO())
    assert not get_user_model().objects.exists()
    assert not CareProcess.objects.exists()
