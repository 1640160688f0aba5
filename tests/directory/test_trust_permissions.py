"""Health trusts are edited by their own editors only: a trust's editor cannot touch a municipality's actors or
another trust's units, and a municipality's editor cannot touch a trust's units – for every action the municipal
permission tests cover (``test_permissions.FORBIDDEN``), with a superuser control on a trust's unit."""

import pytest
from django.urls import reverse
from wagtail.models import Page, PageLogEntry, WorkflowState

from directory.groups import create_health_trust
from directory.models import ActorPage
from tests import factories
from tests.directory import test_permissions as municipal
from tests.directory.test_permissions import FORBIDDEN, NEW_PHONE, OLD_PHONE, _denied, _state, edit_form_data
from tests.factories import verify_client


@pytest.fixture(scope="module")
def _maps(module_db):
    with module_db():
        bjornafjorden, bj_editors, _ = factories.municipality("4624")
        bergen_trust, hb_editors, hb_reviewers = create_health_trust(
            "Helse Bergen HF", catchment=["4601", "4624", "4625", "4623"]
        )
        fonna, hf_editors, _ = create_health_trust("Helse Fonna HF")
        unit = ("kontaktlege-kontaktpsykolog",)
        return factories.keys_of(
            {
                "bjornafjorden": bjornafjorden,
                "helse_bergen": bergen_trust,
                "helse_fonna": fonna,
                "bj_actor": factories.make_actor(bjornafjorden, "Koordinerende enhet Bjørnafjorden", phone=OLD_PHONE),
                "hb_unit": factories.make_actor(bergen_trust, "Bjørgvin DPS", type_slugs=unit, phone=OLD_PHONE),
                "hf_unit": factories.make_actor(fonna, "Stord DPS", type_slugs=unit, phone=OLD_PHONE),
                "bj_editor": factories.make_user("redaktor-bj", groups=[bj_editors]),
                "hb_editor": factories.make_user("redaktor-hb", groups=[hb_editors]),
                "hb_reviewer": factories.make_user("godkjenner-hb", groups=[hb_reviewers]),
                "hf_editor": factories.make_user("redaktor-hf", groups=[hf_editors]),
                "superuser": factories.make_user("admin", superuser=True),
            }
        )


@pytest.fixture
def maps(db, _maps):
    """Bjørnafjorden with an actor, Helse Bergen and Helse Fonna with a unit each, an editor of each, Helse
    Bergen's reviewer and a superuser (built once for the module)."""
    return factories.fresh(_maps)


# (who acts, their own map and actor) against (another map and its actor, that map's editor)
SCENARIOS = {
    "trust-editor-vs-municipality": ("hb_editor", "helse_bergen", "hb_unit", "bjornafjorden", "bj_actor", "bj_editor"),
    "trust-editor-vs-other-trust": ("hb_editor", "helse_bergen", "hb_unit", "helse_fonna", "hf_unit", "hf_editor"),
    "municipal-editor-vs-trust": ("bj_editor", "bjornafjorden", "bj_actor", "helse_bergen", "hb_unit", "hb_editor"),
}


def scenario(maps, name):
    """The objects in the names test_permissions' actions use: they act on «au_*» from «bj_*»."""
    actor, own, own_actor, target, target_actor, target_editor = SCENARIOS[name]
    return {
        "bj_editor": maps[actor],
        "bjornafjorden": maps[own],
        "bj_actor": maps[own_actor],
        "austevoll": maps[target],
        "au_actor": maps[target_actor],
        "au_editor": maps[target_editor],
        "superuser": maps["superuser"],
    }


@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("action", FORBIDDEN, ids=[f.__name__.strip("_") for f in FORBIDDEN])
def test_editors_stay_inside_their_own_trust_or_municipality(client, maps, name, action):
    w = scenario(maps, name)
    before_target, before_own = _state(w["au_actor"]), _state(w["bj_actor"])
    children = w["austevoll"].get_children().count()
    revisions = w["au_actor"].revisions.count()
    verify_client(client, w["bj_editor"])

    response = action(client, w)

    assert _denied(response), (response.status_code, response.get("Location"))
    if action is not municipal._unlock:
        assert _state(w["au_actor"]) == before_target
    else:
        assert _state(w["au_actor"])["locked"]
    assert _state(w["bj_actor"]) == before_own
    assert w["austevoll"].get_children().count() == children
    assert w["au_actor"].revisions.count() == revisions
    assert not Page.objects.filter(slug="falsk-aktor").exists()
    assert not PageLogEntry.objects.filter(page=w["au_actor"], user=w["bj_editor"]).exists()


@pytest.mark.parametrize("action", FORBIDDEN, ids=[f.__name__.strip("_") for f in FORBIDDEN])
def test_each_action_on_a_trust_unit_works_for_someone_allowed(client, maps, action):
    """Control: the same requests against a trust's unit take effect for a superuser."""
    w = scenario(maps, "municipal-editor-vs-trust")
    before = _state(w["au_actor"]) if action is not municipal._unlock else None
    before_own = _state(w["bj_actor"])
    children = w["austevoll"].get_children().count()
    revisions = w["au_actor"].revisions.count()
    verify_client(client, w["superuser"])

    response = action(client, w)

    if action in municipal.OFFERS_A_FORM:
        assert response.status_code == 200
        return
    assert response.status_code == (200 if action is municipal._privacy else 302)
    assert not _denied(response), response.get("Location")
    assert (
        not ActorPage.objects.filter(pk=w["au_actor"].pk).exists()
        or (action is municipal._unlock and not _state(w["au_actor"])["locked"])
        or (before is not None and _state(w["au_actor"]) != before)
        or _state(w["bj_actor"]) != before_own
        or w["austevoll"].get_children().count() != children
        or w["au_actor"].revisions.count() != revisions
    ), (response.status_code, response.get("Location"))


def test_a_trust_editor_is_shown_only_the_trust(client, maps):
    verify_client(client, maps["hb_editor"])
    explorer = client.get(reverse("wagtailadmin_explore", args=[maps["bjornafjorden"].pk]))
    assert explorer.status_code == 302
    assert explorer["Location"] == reverse("wagtailadmin_explore", args=[maps["helse_bergen"].pk])


def test_a_trust_editor_submits_to_the_trusts_reviewers_who_publish(client, maps):
    unit = maps["hb_unit"]
    verify_client(client, maps["hb_editor"])
    data = edit_form_data(unit, maps["hb_editor"])
    data["phone"] = NEW_PHONE
    data["action-submit"] = "Send til godkjenning"
    assert client.post(reverse("wagtailadmin_pages:edit", args=[unit.pk]), data).status_code == 302
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(unit.pk))
    task = state.current_task_state.task.specific
    assert list(task.groups.values_list("name", flat=True)) == ["Godkjennere – Helse Bergen HF"]
    assert ActorPage.objects.get(pk=unit.pk).phone == OLD_PHONE

    reviewer = verify_client(client.__class__(), maps["hb_reviewer"])
    data = edit_form_data(unit, maps["hb_reviewer"])
    data["action-publish"] = "action-publish"
    assert reviewer.post(reverse("wagtailadmin_pages:edit", args=[unit.pk]), data).status_code == 302
    assert ActorPage.objects.get(pk=unit.pk).phone == NEW_PHONE


def test_a_trusts_map_is_exported_by_its_own_editors_only(client, maps):
    url = reverse("directory_export", args=[maps["helse_bergen"].pk])
    verify_client(client, maps["hb_editor"])
    response = client.get(url, {"format": "csv"})
    assert response.status_code == 200
    assert 'filename="aktorkart-helse-bergen-hf-' in response["Content-Disposition"]
    assert "Bjørgvin DPS" in response.content.decode("utf-8-sig")
    for outsider in ("bj_editor", "hf_editor"):
        other = verify_client(client.__class__(), maps[outsider])
        assert other.get(url, {"format": "csv"}).status_code == 404


def test_a_trust_units_freshness_follows_the_trusts_interval(maps):
    from datetime import timedelta

    from django.utils import timezone

    from directory.models import ActorConfirmation

    unit = maps["hb_unit"]
    ActorConfirmation.objects.filter(page=unit).update(confirmed_at=timezone.now() - timedelta(days=200))
    assert ActorPage.objects.overdue().filter(pk=unit.pk).exists()  # default interval: 6 months
    trust = maps["helse_bergen"]
    trust.review_interval_months = 12
    trust.save_revision().publish()
    assert not ActorPage.objects.overdue().filter(pk=unit.pk).exists()
    assert not ActorPage.objects.get(pk=unit.pk).is_overdue()
