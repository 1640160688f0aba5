"""The demo: example templates shipped, and two demo patients who measure at home with real zones and alerts."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from demo import care as care_demo
from demo.content import load_demo
from monitoring.models import Alert, MonitoringTemplate, Report
from tests.factories import page_text

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_patients_measure_and_the_gp_has_a_red_alert(settings, client_for):
    settings.DEBUG = True
    load_demo()
    load_demo()
    assert MonitoringTemplate.objects.filter(live=True).count() == 4
    assert Report.objects.filter(process__patient_name="Kjell Aasen").count() == 12
    assert Report.objects.filter(on_behalf=True).exists()
    gp = get_user_model().objects.get(username=care_demo.GP)
    red = Alert.objects.get(kind=Alert.Kind.RED, closed_at__isnull=True)
    assert red.responsible == gp and red.care_process.patient_name == "Kjell Aasen"
    coordinator = get_user_model().objects.get(username=care_demo.COORDINATOR)
    text = page_text(client_for(coordinator).get(reverse("egenmaling:overview")))
    assert text.index("Kjell Aasen") < text.index("Ragnhild Tveit")
