import time
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from workflows import bulk
from workflows.models import CareProcess, Role
pytestmark = pytest.mark.django_db
S = CareProcess.Stage
PAGES = ["/prosesser/forlop/inbox/", "/prosesser/forlop/queue/", "/prosesser/forlop/archive/", "/prosesser/forlop/"]

def counts(client):
    out = {}
    for url in PAGES:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(url)
        assert r.status_code == 200
        out[url] = (len(ctx), r.content.count(b"<tr"))
        if len(ctx) > 0 and url.endswith("inbox/"):
            for q in ctx.captured_queries: print(q["sql"][:300])
    return out

def make(n, care):
    t = time.time()
    bulk.create_processes(int(n * 0.8), "4624", care.coordinator, stages=[S.REGISTERED, S.APPROVAL, S.ACTIVE, S.CLOSED, S.PLANNING], team_users={Role.GP: care.gp}, seed=n)
    bulk.create_processes(n - int(n * 0.8), "4624", care.coordinator, stages=[S.REGISTERED, S.MAPPING], unassigned=True, seed=n+1)
    print("made", n, time.time() - t)

def test_explore(care, client_for):
    c = client_for(care.coordinator)
    make(10, care)
    print(counts(c))
    make(9990, care)
    print(counts(c))
