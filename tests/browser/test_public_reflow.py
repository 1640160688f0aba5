"""Every public page type, and Min side, on a 320 px phone (WCAG 2.1 AA 1.4.10 reflow) and through axe-core.

Each page is opened at 320 CSS pixels and must not be wider than the screen
(``document.documentElement.scrollWidth <= 320``), with the hard cases in the data: a long e-mail address,
a long street address, long words, several contact persons. axe-core must find no serious or critical
WCAG 2.1 A/AA violation. With LKT_SCREENSHOTS=1, a screenshot of each main screen is kept at 390 and 1280 px (in
the test's tmp_path, or in ``LKT_SCREENSHOT_DIR``) for a person to look at.
"""

import os
from pathlib import Path

import pytest
from wagtail.rich_text import RichText

from directory.models import MunicipalityPage
from home.models import GuidancePage, HomePage

from .axe import serious_violations
from .conftest import SCREENSHOTS, keep_screenshot
from .test_pathway_journey import build_pathway
from .test_patient_journey import PATIENT_PID, approval_in_progress, log_in_with_testid  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_data"),
    pytest.mark.slow,
]

LONG_EMAIL = "koordinerende.enhet.for.langvarige.tjenester@bjornafjorden.kommune.example.com"
LONG_ADDRESS = "Kommunehusvegen 1, inngang fra Hovudvegen ved biblioteket, 5200 Os (Rådhuset, 3. etasje)"
NARROW = 320
WIDTHS = (390, 1280)


@pytest.fixture
def public_site(site_tree, make_municipality, make_actor):
    """The public site as a reader meets it: a front page with its patients' entry, guidance, Bjørnafjorden's
    actor map with long contact details, and a published pathway naming its coordinating unit."""
    home = HomePage.objects.get(pk=site_tree.pk)
    about = GuidancePage(
        title="Om LKT-rammeverket",
        slug="om-lkt",
        summary="Et felles rammeverk for samarbeid med og om pasienter som trenger langvarige tjenester.",
        body=[("paragraph", RichText("<p>Rammeverket har fem obligatoriske elementer og fire roller.</p>"))],
        show_in_menus=True,
    )
    home.add_child(instance=about)
    about.save_revision().publish()
    patients = GuidancePage(
        title="For pasienter og pårørende",
        slug="for-pasienter-og-parorende",
        summary="Hva du kan forvente når flere tjenester skal samarbeide rundt deg.",
        body=[
            ("paragraph", RichText("<p>Du skal ha én koordinator som er ditt faste kontaktpunkt.</p>")),
            ("notice", {"title": "Samtykke", "text": RichText("<p>Du kan trekke samtykket når som helst.</p>")}),
        ],
    )
    about.add_child(instance=patients)
    patients.save_revision().publish()
    home.patient_page = patients
    home.intro = "<p>Her finner pasienter, pårørende og fagfolk hvem som hjelper der du bor.</p>"
    home.save_revision().publish()

    municipality, _editors, _reviewers = make_municipality("4624")
    municipality.intro = "<p>Bjørnafjorden kommune samarbeider med Helse Bergen om langvarige tjenester.</p>"
    municipality.save_revision().publish()
    unit = make_actor(
        municipality,
        "Koordinerende enhet Bjørnafjorden",
        type_slugs=["koordinerende-enhet-kommune", "koordinator-kommune"],
        phone="56 57 50 00",
        contacts=[
            ("Kari Nordmann-Kristiansen", "Leder og fagansvarlig koordinator", "56 57 50 10"),
            ("Per Hansen", "Koordinator", "+47 56 57 50 11"),
        ],
    )
    draft = unit.get_latest_revision_as_object()
    draft.email = LONG_EMAIL
    draft.visiting_address = LONG_ADDRESS
    draft.opening_hours = "Mandag–fredag 08.00–15.30\nTelefontid 09.00–14.00"
    draft.save_revision().publish()
    make_actor(municipality, "Bjørnafjorden legevakt (interkommunal legevaktordning)", type_slugs=["legevakt"])
    make_actor(municipality, "Hjemmesykepleien i Bjørnafjorden", type_slugs=["hjemmesykepleie"])
    make_actor(municipality, "NAV Bjørnafjorden", type_slugs=["nav-kontor"], phone="55 55 33 33")
    pathway = build_pathway(home)
    municipality = MunicipalityPage.objects.get(pk=municipality.pk)
    return {
        "front": "/",
        "guidance": patients.url,
        "lookup": "/finn-hjelp/",
        "lookup with a message": "/finn-hjelp/?q=5914",
        "municipality": municipality.url,
        "actor": unit.url,
        "pathway": pathway.url,
        "pathway with municipality": pathway.municipality_url(municipality),
        "print view": pathway.municipality_url(municipality, printable=True),
        "search": "/sok/?q=legevakt",
        "search without hits": "/sok/?q=sjiraff",
    }


def _folder(tmp_path):
    folder = Path(os.environ.get("LKT_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def page_width_at(page, width):
    """The page's full width (scrollWidth) with the window ``width`` CSS pixels wide."""
    page.set_viewport_size({"width": width, "height": 800})
    return page.evaluate("document.documentElement.scrollWidth")


def check(page, name, folder, screenshots=True):
    page.wait_for_load_state()
    assert page_width_at(page, NARROW) <= NARROW, f"{name} is wider than {NARROW} px"
    assert serious_violations(page) == [], (name, serious_violations(page))
    if screenshots and SCREENSHOTS:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            keep_screenshot(page, folder / f"{name.replace(' ', '-')}-{width}.png")
    page.set_viewport_size({"width": 1280, "height": 1000})


def test_every_public_page_type_reflows_at_320_px_and_passes_axe(public_site, new_page, tmp_path):
    folder = _folder(tmp_path)
    page = new_page()
    for name, url in public_site.items():
        response = page.goto(url)
        assert response.status == 200, (name, url, response.status)
        check(page, name, folder)
    # The phone numbers stay on one line at 320 px: a number's link is no taller than one line of text.
    page.goto(public_site["municipality"])
    page.set_viewport_size({"width": NARROW, "height": 800})
    for link in page.locator("a.tel").all():
        box = link.bounding_box()
        line = link.evaluate("a => parseFloat(getComputedStyle(a).lineHeight)")
        assert box["height"] <= line * 1.2, (link.inner_text(), box, line)
    assert not page.lkt_errors, page.lkt_errors
    print(f"Screenshots of the public pages: {folder}")


def test_min_side_pages_reflow_at_320_px_and_pass_axe(approval_in_progress, new_page, tmp_path):  # noqa: F811
    folder = _folder(tmp_path)
    process = approval_in_progress["process"]
    page = new_page()
    page.goto("/min-side/logg-inn/")
    check(page, "min-side-login", folder)
    log_in_with_testid(page, PATIENT_PID)
    check(page, "min-side-overview", folder)
    for part in (
        "plan",
        "plan/utskrift",
        "team",
        "min-gode-dag",
        "godkjenning",
        "samtykke",
        "meldinger",
        "hvem-har-sett",
        "parorende",
    ):
        response = page.goto(f"/min-side/{process.pk}/{part}/")
        assert response.status == 200, (part, response.status)
        check(page, f"min-side-{part.replace('/', '-')}", folder, screenshots=part in ("plan", "team"))
