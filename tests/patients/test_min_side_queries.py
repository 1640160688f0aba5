"""Min side's pages cost a fixed number of queries, however many plan versions, team members or log entries.

Two patients, one with one plan version, five members and a short trail, the other with 30 versions, 40 members,
300 log entries and 40 messages: every page must cost the same for both, and no more than its pinned bound (as
``tests/test_care_queries.py`` does for the staff pages). A page costs: the session, the citizen's user (with the
citizen), the process by the citizens' rule, the open approval task for the menu badge, the page's own reads, the
audit row and the session save. Raise a bound only with a reason.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.vocabulary import Role
from patients.models import Citizen, NextOfKinGrant, PatientMessage
from tests import factories as steps
from workflows.models import ApprovalAnswer, AuditEntry, PlanVersion, TeamMember
from workflows.national_id import synthetic

pytestmark = pytest.mark.django_db

FEW_PID = synthetic(datetime.date(1950, 5, 17))
MANY_PID = synthetic(datetime.date(1944, 2, 3))
PAGES = {
    "overview": ("/min-side/", 8),
    # +1 each: the plan's self-monitoring section (monitoring.plan_section), one query for the version's parameters.
    "plan": ("/min-side/{pk}/plan/", 11),
    "plan_print": ("/min-side/{pk}/plan/utskrift/", 11),
    "team": ("/min-side/{pk}/team/", 9),
    "good_day": ("/min-side/{pk}/min-gode-dag/", 10),
    "approval": ("/min-side/{pk}/godkjenning/", 12),
    "consent": ("/min-side/{pk}/samtykke/", 10),
    "messages": ("/min-side/{pk}/meldinger/", 10),
    "access_log": ("/min-side/{pk}/hvem-har-sett/", 13),
    "next_of_kin": ("/min-side/{pk}/parorende/", 11),
}


def grow(process, coordinator, members, plans, entries, messages, readers):
    TeamMember.objects.bulk_create(
        TeamMember(process=process, role=Role.ACTOR, name=f"Aktør {i}", organisation="Tjenesten", phone="55 00 00 00")
        for i in range(members)
    )
    latest = process.plan_versions.order_by("-number").first()
    for number in range(latest.number + 1, latest.number + plans):
        plan = PlanVersion.objects.create(
            process=process,
            number=number,
            created_by=coordinator,
            status=PlanVersion.Status.SUPERSEDED,
            goals=[{"text": f"Mål {number}"}],
        )
        ApprovalAnswer.objects.create(plan=plan, role="pasient", decision="godkjent", recorded_by=coordinator)
    AuditEntry.objects.bulk_create(
        AuditEntry(user=reader, process=process, action=AuditEntry.Action.VIEW, what="forlop:detail")
        for i in range(entries)
        for reader in [readers[i % len(readers)]]
    )
    citizen = Citizen.objects.get(pid=process.national_id)
    PatientMessage.objects.bulk_create(
        PatientMessage(process=process, author=citizen, text=f"Melding {i}", answer="Svar") for i in range(messages)
    )
    NextOfKinGrant.objects.bulk_create(
        NextOfKinGrant(process=process, pid=synthetic(datetime.date(1970, 1, 1 + i)), name=f"P {i}", granted_by=citizen)
        for i in range(min(messages, 20))
    )


def measure(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def test_min_side_pages_do_not_grow_with_versions_members_or_log_entries(care, client_for, citizen_client):
    coordinator = client_for(care.coordinator)
    few = steps.to_approval(coordinator, national_id=FEW_PID)
    many = steps.to_approval(coordinator, national_id=MANY_PID, patient_name="Mange Data")
    few_client, many_client = citizen_client(FEW_PID), citizen_client(MANY_PID)
    readers = [care.coordinator, care.colleague, care.gp, care.auditor]
    grow(few, care.coordinator, members=0, plans=1, entries=3, messages=1, readers=readers)
    grow(many, care.coordinator, members=40, plans=30, entries=300, messages=40, readers=readers)
    counts = {}
    for name, (url, bound) in PAGES.items():
        small = measure(few_client, url.format(pk=few.pk))
        large = measure(many_client, url.format(pk=many.pk))
        counts[name] = (small, large)
        assert large == small, (name, small, large)
        assert large <= bound, (name, large, bound)
    print(counts)
