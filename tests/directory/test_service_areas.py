"""Service areas: a whole municipality, a part of it (postal codes, a named district) or several municipalities.

Every postal code of the demo municipalities is resolved and compared with what the areas say; the lookup marks
each actor with its area; an inter-municipal service entered once shows in each municipality it serves; the
editor's area fields refuse what the register does not know.
"""

import pytest
from django.urls import reverse

from directory.forms import MunicipalityListField, PostalCodeListField
from directory.lookup import actors_for
from directory.models import ActorPage, AreaScope, Municipality, MunicipalityIndexPage, MunicipalityPage, PostalCode
from tests import factories
from tests.directory.test_permissions import edit_form_data

DEMO = ("4601", "4623", "4624", "4625")


def with_area(actor, municipalities=(), postal_codes=(), name=""):
    """Publish an actor again with a chosen area."""
    actor.area_scope = AreaScope.CHOSEN
    actor.area_name = name
    actor.area_municipalities.set(Municipality.objects.filter(number__in=municipalities))
    actor.area_postal_codes.set(PostalCode.objects.filter(code__in=postal_codes))
    actor.save_revision().publish()
    return ActorPage.objects.get(pk=actor.pk)


def bergen_halves():
    codes = list(PostalCode.objects.filter(municipality_id="4601").values_list("code", flat=True).order_by("code"))
    middle = len(codes) // 2
    return codes[:middle], codes[middle:]


@pytest.fixture(scope="module")
def _areas(module_db):
    with module_db():
        bergen, _, _ = factories.municipality("4601")
        bjornafjorden, _, _ = factories.municipality("4624")
        north, south = bergen_halves()
        actors = {
            "legevakt": factories.make_actor(bergen, "Bergen legevakt", type_slugs=("legevakt",)),
            "north": with_area(
                factories.make_actor(bergen, "Hjemmesykepleien nord", type_slugs=("hjemmesykepleie",)),
                postal_codes=north,
                name="Bydel Nord",
            ),
            "south": with_area(
                factories.make_actor(bergen, "Hjemmesykepleien sør", type_slugs=("hjemmesykepleie",)),
                postal_codes=south,
                name="Bydel Sør",
            ),
            "crisis": with_area(
                factories.make_actor(bergen, "Krisesenteret i Bergen og omegn", type_slugs=("legevakt",)),
                municipalities=("4601", "4624", "4623"),
            ),
            "ke": factories.make_actor(bjornafjorden, "Koordinerende enhet Bjørnafjorden"),
        }
        return factories.keys_of(actors | {"bergen": bergen, "bjornafjorden": bjornafjorden})


@pytest.fixture
def areas(db, _areas):
    """Bergen split into two districts for home nursing, a whole-municipality emergency room, a crisis centre for
    Bergen, Bjørnafjorden and Samnanger entered once in Bergen, and Bjørnafjorden's coordinating unit."""
    return factories.fresh(_areas)


def expected_titles(code, areas):
    north, south = bergen_halves()
    municipality = PostalCode.objects.get(code=code).municipality_id
    titles = set()
    if municipality == "4601":
        titles |= {"Bergen legevakt", "Hjemmesykepleien nord" if code in north else "Hjemmesykepleien sør"}
    if municipality in ("4601", "4624", "4623"):
        titles.add("Krisesenteret i Bergen og omegn")
    if municipality == "4624":
        titles.add("Koordinerende enhet Bjørnafjorden")
    return titles


def test_every_postal_code_of_the_demo_municipalities_resolves_to_the_actors_serving_it(areas):
    codes = list(PostalCode.objects.filter(municipality_id__in=DEMO).values_list("code", "municipality_id"))
    assert len(codes) > 250
    for code, municipality in codes:
        served = set(ActorPage.objects.live().serving(municipality, code).values_list("title", flat=True))
        assert served == expected_titles(code, areas), code


def test_a_municipality_map_shows_its_districts_and_the_shared_services_entered_elsewhere(client, areas):
    body = factories.page_body(client, areas["bjornafjorden"].url)
    assert "Krisesenteret i Bergen og omegn" in body
    assert "Bergen, Bjørnafjorden og Samnanger" in body  # marked with the area it serves
    assert "Hjemmesykepleien nord" not in body and "Bergen legevakt" not in body
    body = factories.page_body(client, areas["bergen"].url)
    assert "Hjemmesykepleien nord" in body and "Bydel Nord" in body and "Bydel Sør" in body


def test_the_lookup_by_postal_code_shows_what_serves_that_address_marked_with_its_area(client, areas):
    north, south = bergen_halves()
    body = factories.page_body(client, MunicipalityIndexPage.objects.get().url, q=north[0])
    assert f"Du søkte på {north[0]}" in body
    assert "Hjemmesykepleien nord" in body and "Hjemmesykepleien sør" not in body
    assert "Bydel Nord" in body and "Hele kommunen" in body
    assert "Tjenester flere kommuner har sammen" in body
    assert body.index("Bergen legevakt") < body.index("Krisesenteret i Bergen og omegn")


def test_a_municipality_without_a_map_still_shows_the_shared_services_in_a_full_sentence(client, areas):
    body = factories.page_body(client, MunicipalityIndexPage.objects.get().url, q="5650")  # Samnanger, Tysse
    # Samnanger's map is seeded; unpublish it to have a municipality without a published map.
    samnanger, _, _ = factories.municipality("4623")
    samnanger.unpublish()
    body = factories.page_body(client, MunicipalityIndexPage.objects.get().url, q="5650")
    assert "5650 Tysse ligger i Samnanger kommune, som ennå ikke har publisert sitt aktørkart her." in body
    assert "Under ser du tjenestene som dekker kommunen likevel" in body
    assert "Krisesenteret i Bergen og omegn" in body


def test_an_inter_municipal_service_leaves_other_municipalities_alone(areas):
    austevoll = Municipality.objects.get(number="4625")
    assert actors_for(austevoll) == []


# --- the editor's form -------------------------------------------------------------------------------------------


def test_postal_codes_as_text_with_ranges(db):
    field = PostalCodeListField(required=False)
    assert [p.code for p in field.clean("5200-5203, 5640")] == ["5200", "5201", "5202", "5203", "5640"]
    assert field.prepare_value(PostalCode.objects.filter(code__in=["5200", "5201"]).order_by("code")) == "5200, 5201"
    for text, message in [
        ("9999", "finnes ikke i postregisteret: 9999"),
        ("52a0", "Dette er ikke postnumre: «52a0»"),
        ("9990-9995", "Ingen postnumre i registeret ligger mellom 9990-9995"),
    ]:
        with pytest.raises(Exception) as exc:
            field.clean(text)
        assert message in " ".join(exc.value.messages)


def test_a_pasted_flood_of_ranges_or_names_is_answered_at_once(db):
    import time

    codes = PostalCodeListField(required=False)
    text = ", ".join(["5200-5203"] * 1500 + ["9990-9995"])  # under the field's 20,000 characters
    started = time.process_time()
    with pytest.raises(Exception) as exc:
        codes.clean(text)
    assert time.process_time() - started < 1
    assert "Ingen postnumre i registeret ligger mellom 9990-9995" in " ".join(exc.value.messages)
    with pytest.raises(Exception) as exc:
        MunicipalityListField(required=False).clean(", ".join(["Bergen"] * 401))
    assert "Skriv høyst 400 kommuner" in " ".join(exc.value.messages)


def test_the_area_fields_change_only_when_the_rows_change(db):
    # A form that always reports a change makes Wagtail treat a reviewer's approval as an edit.
    codes = PostalCodeListField(required=False)
    initial = list(PostalCode.objects.filter(code__in=["5200", "5201"]))
    assert not codes.has_changed(initial, "5201, 5200")
    assert not codes.has_changed([], "")
    assert codes.has_changed(initial, "5200")
    municipalities = MunicipalityListField(required=False)
    assert not municipalities.has_changed([Municipality.objects.get(number="4601")], "Bergen (4601)")
    assert municipalities.has_changed([], "Bergen")


def test_municipalities_as_text_by_name_or_number(db):
    field = MunicipalityListField(required=False)
    assert [m.number for m in field.clean("Bergen, bjørnafjorden\n4625")] == ["4625", "4601", "4624"]
    with pytest.raises(Exception) as exc:
        field.clean("Atlantis, Bergen")
    assert "Fant ikke disse kommunene i postregisteret: «Atlantis»" in " ".join(exc.value.messages)


@pytest.fixture
def superuser(make_user):
    return make_user("admin", superuser=True)


def _post_area(client, actor, superuser, **fields):
    data = edit_form_data(actor, superuser)
    data.update(fields)
    return client.post(reverse("wagtailadmin_pages:edit", args=[actor.pk]), data)


def test_the_editor_refuses_an_area_outside_the_actors_own_municipality(areas, superuser, verified_client):
    client = verified_client(superuser)
    actor = areas["ke"]
    response = _post_area(client, actor, superuser, area_scope="valgt", area_municipalities="Austevoll")
    assert response.status_code == 200
    assert "Området må omfatte Bjørnafjorden" in response.content.decode()
    response = _post_area(client, actor, superuser, area_scope="valgt", area_postal_codes="9999")
    assert "finnes ikke i postregisteret: 9999" in response.content.decode()
    response = _post_area(client, actor, superuser, area_scope="valgt")
    assert "Skriv hvilke kommuner eller postnumre tjenesten dekker" in response.content.decode()
    assert ActorPage.objects.get(pk=actor.pk).get_latest_revision_as_object().area_scope == AreaScope.WHOLE


def test_the_editor_saves_a_district_and_an_inter_municipal_area(areas, superuser, verified_client):
    client = verified_client(superuser)
    actor = areas["ke"]
    response = _post_area(
        client,
        actor,
        superuser,
        area_scope="valgt",
        area_name="Os sentrum",
        area_municipalities="Austevoll",
        area_postal_codes="5200-5203",
        **{"action-publish": "action-publish"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    actor = ActorPage.objects.get(pk=actor.pk)
    assert [m.number for m in actor.area_municipalities.all()] == ["4625"]
    assert sorted(p.code for p in actor.area_postal_codes.all()) == ["5200", "5201", "5202", "5203"]
    titles = set(ActorPage.objects.live().serving("4625").values_list("title", flat=True))
    assert "Koordinerende enhet Bjørnafjorden" in titles
    assert "Koordinerende enhet Bjørnafjorden" not in set(
        ActorPage.objects.live().serving("4624", "5640").values_list("title", flat=True)
    )


def test_the_answer_for_an_address_is_cached_and_a_change_to_a_shared_service_shows_at_once(client, areas):
    url = MunicipalityIndexPage.objects.get().url
    cold, body = factories.count_queries(client, url, q="5200")
    warm, _ = factories.count_queries(client, url, q="5200")
    assert warm < cold
    crisis = areas["crisis"]
    crisis.phone = "55 12 12 12"
    crisis.save_revision().publish()
    _, body = factories.count_queries(client, url, q="5200")  # Bjørnafjorden: entered in Bergen
    assert "55 12 12 12" in body


# --- import and export ---------------------------------------------------------------------------------------------


def test_areas_round_trip_through_export_and_import(areas, make_user, make_municipality):
    from django.contrib.auth.models import Group

    from directory.groups import NATIONAL_ADMINS
    from directory.spreadsheet import export_rows, to_csv
    from directory.spreadsheet_import import import_directory

    admin = make_user("nasjonal", groups=[Group.objects.get(name=NATIONAL_ADMINS)])
    rows = export_rows(areas["bergen"])
    crisis = next(r for r in rows if r["enhet"] == "Krisesenteret i Bergen og omegn")
    assert crisis["kommuner"] == "Bergen (4601), Samnanger (4623), Bjørnafjorden (4624)"
    north = next(r for r in rows if r["enhet"] == "Hjemmesykepleien nord")
    assert north["område"] == "Bydel Nord" and north["postnumre"].startswith("5003, 5004")
    # The same file again changes nothing; a changed area is published.
    result = import_directory(areas["bergen"], to_csv(rows), "kart.csv", admin)
    assert result.ok and not result.updated and not result.created, result.errors
    crisis["kommuner"] = "Bergen, Austevoll"
    result = import_directory(areas["bergen"], to_csv(rows), "kart.csv", admin)
    assert result.updated == ["Krisesenteret i Bergen og omegn"], result.errors
    assert "Krisesenteret i Bergen og omegn" in {a.title for a in ActorPage.objects.live().serving("4625")}
    assert "Krisesenteret i Bergen og omegn" not in {a.title for a in ActorPage.objects.live().serving("4624")}


def test_a_wrong_area_in_a_file_is_a_row_error(areas, make_user):
    from django.contrib.auth.models import Group

    from directory.groups import NATIONAL_ADMINS
    from directory.spreadsheet_import import import_directory
    from tests.directory.test_import_export import csv_bytes, row

    admin = make_user("nasjonal", groups=[Group.objects.get(name=NATIONAL_ADMINS)])
    data = csv_bytes(
        [
            row("Ny legevakt", types="legevakt", kommuner="Atlantis"),
            row("Ny tjeneste", types="legevakt", postnumre="9999"),
            row("Feil kommune", types="legevakt", kommuner="Austevoll"),
        ]
    )
    result = import_directory(areas["bergen"], data, "kart.csv", admin)
    assert [(e.row, e.column) for e in result.errors] == [(2, "kommuner"), (3, "postnumre"), (4, "kommuner")]
    assert "Området må omfatte Bergen" in result.errors[2].message
    assert not ActorPage.objects.filter(title__in=["Ny legevakt", "Ny tjeneste", "Feil kommune"]).exists()


def test_the_actor_map_lists_exactly_the_actors_serving_the_municipality(areas):
    """The map's rows (one statement compiled once, ActorPageManager.map_of) are the actors serving() finds."""
    for number in ("4601", "4624", "4623", "4625"):
        page = MunicipalityPage.objects.filter(municipality_id=number).first()
        entries = ActorPage.objects.map_of(number)
        served = ActorPage.objects.live().serving(number).order_by("title", "pk")
        assert [(e.pk, e.title) for e in entries] == list(served.values_list("pk", "title")), number
        if page is not None:
            assert [e.pk for e in page.actors] == [e.pk for e in entries]
    # An empty postal code is no postal code: the whole municipality, as before the statement was compiled once.
    whole = set(ActorPage.objects.live().serving("4624").values_list("pk", flat=True))
    assert set(ActorPage.objects.live().serving("4624", "").values_list("pk", flat=True)) == whole
    assert [e.title for e in ActorPage.objects.map_of("4624")] == [
        "Koordinerende enhet Bjørnafjorden",
        "Krisesenteret i Bergen og omegn",
    ]
