import pytest
from tests import care as steps

pytestmark = pytest.mark.django_db


def test_dump(care, client_for):
    c = client_for(care.coordinator)
    process = steps.through_plan(c)
    gp = client_for(care.gp)
    urls = {"inbox": "/prosesser/forlop/inbox/", "queue": "/prosesser/forlop/queue/",
            "archive": "/prosesser/forlop/archive/", "index": "/prosesser/forlop/",
            "detail": f"/prosesser/forlop/{process.pk}/", "chart": f"/prosesser/forlop/{process.pk}/chart/",
            "task": steps.task_url(process, "approve_coordinator"), "start": steps.START_URL,
            "taskdetail": steps.task_url(process, "approve_coordinator", action="index"),
            "audit": "/prosesser/forlop/revisjonslogg/", "root": "/prosesser/",
            "admin": "/admin/"}
    for name, url in urls.items():
        r = c.get(url, follow=True)
        open(f"/tmp/scratch/{name}.html", "wb").write(r.content)
        print(name, url, r.status_code, r.redirect_chain)
    r = gp.get("/prosesser/forlop/inbox/")
    open("/tmp/scratch/gp_inbox.html", "wb").write(r.content)
