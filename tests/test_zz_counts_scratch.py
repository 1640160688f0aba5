import pytest
from tests import test_care_queries as t
from workflows import bulk
from workflows.models import CareProcess, Role
pytestmark = pytest.mark.django_db

def test_print(care, client_for):
    t._populate(10, care, seed=1)
    print("COORD", t._list_counts(client_for(care.coordinator))[0])
    print("GP", t._list_counts(client_for(care.gp))[0])
    c = client_for(care.coordinator)
    for at, page in [("approval", "detail"), ("approval", "approve_coordinator"), ("draft_plan", "draft_plan"), ("actor_map", "actor_map")]:
        p = CareProcess.objects.get(pk=bulk.create_processes(1, "4624", care.coordinator, at=at, team_users={Role.GP: care.gp}, seed=7).process_ids[0])
        t._grow(p, care.coordinator, members=1, plans=1)
        url = f"/prosesser/forlop/{p.pk}/" if page == "detail" else t._task_url(p, page)
        print("PAGE", page, t._measure(c, url)[0])
