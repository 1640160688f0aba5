# ruff: noqa: E501 – the corpus keeps one case per line
"""A corpus of bad input against the public pages, the directory admin, the spreadsheet upload form and the care
process: each kind must get a clear answer (never a server error), a Norwegian message where a person sees one,
and change nothing in the database.

Adding a kind is one line in ``CASES``: who sends it, the method and URL (``{name}`` placeholders come from
``World.urls``), the expected status and a piece of the Norwegian message; for a form, the name of a valid
form (``FORMS``) and what to change in it (``DROP`` removes a field, a callable gets the scenario).

The scenario – municipalities, actors, users and one care process at each step – is built once for the module and
rolled back at its end; every case runs in its own savepoint on top of it.
"""

import hashlib
import html
import time
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from viewflow.workflow.status import STATUS
from wagtail.test.utils.form_data import querydict_from_html

from directory.models import ActorPage, ActorType, ContactPerson
from home.models import HomePage, PathwayIndexPage, PathwayPage
from tests import factories as steps
from workflows import groups
from workflows.flows import ForlopFlow

DROP = object()
START = "/prosesser/forlop/start/"

# Messages (pieces of them) as the person reads them.
CONTROL_URL = "Adressen inneholder tegn som ikke kan brukes"
CONTROL_FORM = "Skjemaet inneholder tegn som ikke kan brukes"
TOO_MANY_FIELDS = "Skjemaet hadde for mange felt"
TOO_MUCH_TEXT = "Skjemaet inneholdt for mye tekst"
TOO_MANY_ROWS = "For mange rader: høyst 50 er tillatt"
MANAGEMENT = "Skjemaet mangler skjulte felt"
BAD_COUNTS = "antall rader stemmer ikke"
FOREIGN_ROW = "En rad i skjemaet finnes ikke her"
STALE = "Dette er endret siden du åpnet siden"
NOT_FOUND = "Fant ikke siden"
REQUIRED = "er påkrevet."
CHOICE = "Velg et gyldig valg"
WHOLE_NUMBER = "Oppgi et heltall."
FNR_LENGTH = "Fødselsnummer og D-nummer har 11 sifre."
OPEN_PROCESS = "Pasienten har allerede et åpent forløp"
BULK_IDS = "Utvalget inneholder noe som ikke er et gyldig nummer"
UNREADABLE = "Innholdet i feltet kunne ikke leses"
NOT_SAVED = "Siden kunne ikke lagres fordi noen felt har feil."
NO_MUNICIPALITY = "Fant ikke kommunen du valgte."
NO_PLACE = "Fant ingen kommune eller poststed"
TASK_DONE = "Oppgaven er allerede fullført."

# What a refusal must never show: Django's, Viewflow's or Wagtail's English.
ENGLISH = [
    "This field is required",
    "Enter a valid",
    "Select a valid",
    "Please submit",
    "ManagementForm",
    "Not Found",
    "Server Error",
    "Bad Request",
    "Forbidden",
    "no transition",
    "Django Material",
    "Ensure this value",
    "The inline value",
    "is not a valid",
    "could not be saved",
]

BIG = "99999999999999999999999"
SUPERSCRIPT = "²"
ARABIC_4624 = "٤٦٢٤"
# A cookie as WSGI hands it to Django: the browser's UTF-8 bytes read as Latin-1.
AS_SENT = lambda text: text.encode().decode("latin-1")  # noqa: E731
MANY_FIELDS = {f"f{i}": "x" for i in range(6000)}
MUCH_TEXT = {"need_description": "x" * (3 * 1024 * 1024)}


@dataclass(frozen=True)
class Case:
    id: str
    who: str
    method: str
    url: str
    status: int | tuple
    text: str | None = None
    form: str | None = None
    data: object = None
    follow: bool = False
    cookies: dict = field(default_factory=dict)


C = Case

# One line per kind of bad input, so adding one is one line (hence no line-length limit or reformatting here).
# fmt: off
CASES = [
    # --- public: the lookup «Finn hjelp der du bor» ------------------------------------------------------------------
    C("lookup-q-nul", "public", "GET", "/finn-hjelp/?q=%00", 400, CONTROL_URL),
    C("lookup-kommune-nul", "public", "GET", "/finn-hjelp/?kommune=%00", 400, CONTROL_URL),
    C("lookup-q-nul-inside", "public", "GET", "/finn-hjelp/?q=52%0000", 400, CONTROL_URL),
    C("lookup-q-soh", "public", "GET", "/finn-hjelp/?q=abc%01def", 400, CONTROL_URL),
    C("lookup-q-del", "public", "GET", "/finn-hjelp/?q=%7F", 400, CONTROL_URL),
    C("lookup-q-escape", "public", "GET", "/finn-hjelp/?q=%1B%5B31m", 400, CONTROL_URL),
    C("lookup-key-nul", "public", "GET", "/finn-hjelp/?q%00=5200", 400, CONTROL_URL),
    C("lookup-path-nul", "public", "GET", "/finn-hjelp/%00/", 400, CONTROL_URL),
    C("lookup-kommune-superscript", "public", "GET", "/finn-hjelp/?kommune=²²²²", 200, NO_MUNICIPALITY),
    C("lookup-kommune-unknown", "public", "GET", "/finn-hjelp/?kommune=9999", 200, NO_MUNICIPALITY),
    C("lookup-kommune-long", "public", "GET", f"/finn-hjelp/?kommune={BIG}", 200, NO_MUNICIPALITY),
    C("lookup-kommune-arabic-digits", "public", "GET", f"/finn-hjelp/?kommune={ARABIC_4624}", 302),
    C("lookup-q-fullwidth-postal-code", "public", "GET", "/finn-hjelp/?q=１２３４", 200, "Postnummeret 1234 finnes ikke"),
    C("lookup-q-superscript", "public", "GET", "/finn-hjelp/?q=²²²²", 200, NO_PLACE),
    C("lookup-q-very-long", "public", "GET", "/finn-hjelp/?q=" + "a" * 5000, 200, NO_PLACE),
    C("lookup-q-emoji", "public", "GET", "/finn-hjelp/?q=%F0%9F%92%A9", 200, NO_PLACE),
    C("lookup-q-sql", "public", "GET", "/finn-hjelp/?q=%27%20OR%201%3D1%20--", 200, NO_PLACE),
    C("lookup-q-script", "public", "GET", "/finn-hjelp/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", 200, NO_PLACE),
    C("lookup-q-bad-percent", "public", "GET", "/finn-hjelp/?q=%ZZ", 200, NO_PLACE),
    C("lookup-q-bad-utf8", "public", "GET", "/finn-hjelp/?q=%C3%28", 200, NO_PLACE),
    C("lookup-q-rtl-override", "public", "GET", "/finn-hjelp/?q=%E2%80%AEnegreb", 200, NO_PLACE),
    C("lookup-q-only-digits", "public", "GET", "/finn-hjelp/?q=123", 200, "Et postnummer har fire sifre"),
    C("lookup-q-array-name", "public", "GET", "/finn-hjelp/?q[]=5200", 200),
    C("lookup-q-repeated", "public", "GET", "/finn-hjelp/?q=zzz&q=%00", 400, CONTROL_URL),
    # --- public: a pathway and its print view -------------------------------------------------------------------------
    C("pathway-q-nul", "public", "GET", "{pathway}?q=%00", 400, CONTROL_URL),
    C("pathway-kommune-nul", "public", "GET", "{pathway}?kommune=%00", 400, CONTROL_URL),
    C("pathway-kommune-superscript", "public", "GET", "{pathway}?kommune=²²²²", 200, NO_MUNICIPALITY),
    C("pathway-kommune-big", "public", "GET", f"{{pathway}}?kommune={BIG}", 200, NO_MUNICIPALITY),
    C("pathway-q-very-long", "public", "GET", "{pathway}?q=" + "a" * 5000, 200, NO_PLACE),
    C("pathway-cookie-superscript", "public", "GET", "{pathway}", 200, None, cookies={"lkt_kommune": "²²²²"}),
    C("pathway-cookie-arabic", "public", "GET", "{pathway}", 200, None, cookies={"lkt_kommune": AS_SENT(ARABIC_4624)}),
    C("pathway-unknown-route", "public", "GET", "{pathway}finnes-ikke/", 404, NOT_FOUND),
    C("pathway-url-kommune-superscript", "public", "GET", "{pathway}kommune/²²²²/", 404, NOT_FOUND),
    C("pathway-url-kommune-arabic", "public", "GET", f"{{pathway}}kommune/{ARABIC_4624}/", 404, NOT_FOUND),
    C("pathway-url-kommune-big", "public", "GET", f"{{pathway}}kommune/{BIG}/utskrift/", 404, NOT_FOUND),
    C("pathway-url-kommune-nul", "public", "GET", "{pathway}kommune/%00/", 400, CONTROL_URL),
    C("print-q-nul", "public", "GET", "{pathway}utskrift/?q=%00", 400, CONTROL_URL),
    C("print-kommune-nul", "public", "GET", "{pathway}utskrift/?kommune=%00", 400, CONTROL_URL),
    C("print-kommune-superscript", "public", "GET", "{pathway}utskrift/?kommune=²", 200, NO_MUNICIPALITY),
    C("print-q-script", "public", "GET", "{pathway}utskrift/?q=%3Cscript%3Eb", 200, NO_PLACE),
    # --- public: search and the rest -------------------------------------------------------------------------------
    C("search-q-nul", "public", "GET", "/sok/?q=%00", 400, CONTROL_URL),
    C("search-q-operators", "public", "GET", "/sok/?q=%22*%3E%20AND%20OR%20NEAR", 200),
    C("search-page-letters", "public", "GET", "/sok/?q=lege&side=abc", 200),
    C("search-page-negative", "public", "GET", "/sok/?q=lege&side=-1", 200),
    C("search-page-big", "public", "GET", f"/sok/?q=lege&side={BIG}", 200),
    C("search-page-superscript", "public", "GET", "/sok/?q=lege&side=²", 200),
    C("search-q-very-long", "public", "GET", "/sok/?q=" + "lege " * 2000, 200),
    C("public-unknown-page", "public", "GET", "/finnes-ikke/", 404, NOT_FOUND),
    C("public-path-nul", "public", "GET", "/%00", 400, CONTROL_URL),
    C("public-document-big-id", "public", "GET", f"/dokumenter/{BIG}/fil.pdf", 404, NOT_FOUND),
    C("public-document-letters", "public", "GET", "/dokumenter/abc/fil.pdf", 404, NOT_FOUND),
    C("public-post-many-fields", "public", "POST", "/finn-hjelp/", 400, TOO_MANY_FIELDS, data=MANY_FIELDS),
    C("public-post-much-text", "public", "POST", "/sok/", 400, TOO_MUCH_TEXT, data=MUCH_TEXT),
    C("public-post-nul", "public", "POST", "/sok/", 400, CONTROL_FORM, data={"q": "\x00"}),
    # --- care process: registration -----------------------------------------------------------------------------------
    C("register-fnr-superscript", "coordinator", "POST", START, 200, FNR_LENGTH, "register", {"national_id": "1503²112345"}),
    C("register-fnr-letters", "coordinator", "POST", START, 200, FNR_LENGTH, "register", {"national_id": "15O3611234S"}),
    C("register-fnr-twelve", "coordinator", "POST", START, 200, FNR_LENGTH, "register", {"national_id": "150361123456"}),
    C("register-fnr-empty", "coordinator", "POST", START, 200, REQUIRED, "register", {"national_id": ""}),
    C("register-fnr-missing", "coordinator", "POST", START, 200, REQUIRED, "register", {"national_id": DROP}),
    C("register-fnr-control", "coordinator", "POST", START, 200, "Kontrollsifrene", "register", lambda w: {"national_id": w.fnr[:-1] + str((int(w.fnr[-1]) + 1) % 10)}),
    C("register-fnr-nul", "coordinator", "POST", START, 400, CONTROL_FORM, "register", {"national_id": "1503611234\x00"}),
    C("register-fnr-open-process", "coordinator", "POST", START, 200, OPEN_PROCESS, "register", lambda w: {"national_id": w.fnr}),
    C("register-fnr-fullwidth-open", "coordinator", "POST", START, 200, OPEN_PROCESS, "register", lambda w: {"national_id": w.fnr.translate(FULLWIDTH)}),
    C("register-fnr-arabic-open", "coordinator", "POST", START, 200, OPEN_PROCESS, "register", lambda w: {"national_id": w.fnr.translate(ARABIC)}),
    C("register-fnr-spaced-open", "coordinator", "POST", START, 200, OPEN_PROCESS, "register", lambda w: {"national_id": f"{w.fnr[:6]} {w.fnr[6:]}"}),
    C("register-postal-superscript", "coordinator", "POST", START, 200, "Postnummeret skal være fire sifre.", "register", {"postal_code_input": "²²²²"}),
    C("register-postal-letters", "coordinator", "POST", START, 200, "Postnummeret skal være fire sifre.", "register", {"postal_code_input": "abcd"}),
    C("register-postal-arabic-unknown", "coordinator", "POST", START, 200, "Ukjent postnummer: 9999.", "register", {"postal_code_input": "٩٩٩٩"}),
    C("register-postal-other-unit", "coordinator", "POST", START, 200, "ligger i Bergen", "register", {"postal_code_input": "5003"}),
    C("register-postal-too-long", "coordinator", "POST", START, 200, "har 4 eller færre tegn (den har nå 5)", "register", {"postal_code_input": "52000"}),
    C("register-area-bogus", "coordinator", "POST", START, 200, CHOICE, "register", {"areas_of_need": ["bogus"]}),
    C("register-area-missing", "coordinator", "POST", START, 200, REQUIRED, "register", {"areas_of_need": DROP}),
    C("register-name-too-long", "coordinator", "POST", START, 200, "har 200 eller færre tegn (den har nå 300)", "register", {"patient_name": "A" * 300}),
    C("register-name-nul", "coordinator", "POST", START, 400, CONTROL_FORM, "register", {"patient_name": "Astrid\x00"}),
    C("register-need-formfeed", "coordinator", "POST", START, 400, CONTROL_FORM, "register", {"need_description": "a\x0cb"}),
    C("register-many-fields", "coordinator", "POST", START, 400, TOO_MANY_FIELDS, "register", MANY_FIELDS),
    C("register-much-text", "coordinator", "POST", START, 400, TOO_MUCH_TEXT, "register", MUCH_TEXT),
    C("register-query-nul", "coordinator", "GET", START + "?x=%00", 400, CONTROL_URL),
    C("register-by-stranger", "stranger", "POST", START, 404, NOT_FOUND, "register"),
    # --- care process: consent ------------------------------------------------------------------------------------------
    C("consent-granted-bogus", "coordinator", "POST", "{consent}", 200, CHOICE, "consent", {"granted": "kanskje"}),
    C("consent-date-future", "coordinator", "POST", "{consent}", 200, "Datoen kan ikke være fram i tid.", "consent", {"given_at": "2099-01-01"}),
    C("consent-date-letters", "coordinator", "POST", "{consent}", 200, "Oppgi en gyldig dato.", "consent", {"given_at": "i går"}),
    C("consent-date-superscript", "coordinator", "POST", "{consent}", 200, "Oppgi en gyldig dato.", "consent", {"given_at": "2026-0²-01"}),
    C("consent-date-old", "coordinator", "POST", "{consent}", 200, "mer enn ett år tilbake", "consent", {"given_at": "1990-01-01"}),
    C("consent-valid-until-before", "coordinator", "POST", "{consent}", 200, "Gyldig til må være etter", "consent", {"valid_until": "2000-01-01"}),
    C("consent-form-without-file", "coordinator", "POST", "{consent}", 200, "Last opp det signerte skjemaet.", "consent", {"method": "skjema"}),
    C("consent-fake-pdf", "coordinator", "POST", "{consent}", 200, "Filen må være PDF, PNG eller JPEG.", "consent", lambda w: {"method": "skjema", "document": SimpleUploadedFile("s.pdf", b"not a pdf")}),
    C("consent-verbal-no-witness", "coordinator", "POST", "{consent}", 200, "krever et vitne", "consent", {"method": "muntlig", "witness": ""}),
    C("consent-without-community", "coordinator", "POST", "{consent}", 200, "Uten samtykke til å opprette", "consent", {"covers_community": DROP}),
    C("consent-guardian-nameless", "coordinator", "POST", "{consent}", 200, "Fyll ut når samtykket er gitt av verge", "consent", {"given_by": "verge"}),
    C("consent-given-by-bogus", "coordinator", "POST", "{consent}", 200, CHOICE, "consent", {"given_by": "nabo"}),
    C("consent-witness-nul", "coordinator", "POST", "{consent}", 400, CONTROL_FORM, "consent", {"witness": "Per\x00"}),
    C("consent-many-fields", "coordinator", "POST", "{consent}", 400, TOO_MANY_FIELDS, "consent", MANY_FIELDS),
    C("consent-by-outsider", "outsider", "POST", "{consent}", 404, NOT_FOUND, "consent"),
    # --- care process: Min gode dag ---------------------------------------------------------------------------------------
    C("good-day-severity-bogus", "coordinator", "POST", "{good_day}", 200, CHOICE, "good_day", {"severity": "middels"}),
    C("good-day-empty", "coordinator", "POST", "{good_day}", 200, REQUIRED, "good_day", {"good_day": ""}),
    C("good-day-ability-missing", "coordinator", "POST", "{good_day}", 200, REQUIRED, "good_day", {"ability": DROP}),
    C("good-day-nul", "coordinator", "POST", "{good_day}", 400, CONTROL_FORM, "good_day", {"what_matters": "\x00"}),
    C("good-day-much-text", "coordinator", "POST", "{good_day}", 400, TOO_MUCH_TEXT, "good_day", {"life_now": "x" * (3 * 1024 * 1024)}),
    # --- care process: the actor map and the team -------------------------------------------------------------------------
    C("team-total-5000", "coordinator", "POST", "{actor_map}", 200, TOO_MANY_ROWS, "team", {"team-TOTAL_FORMS": "5000"}),
    C("team-total-huge", "coordinator", "POST", "{actor_map}", 200, TOO_MANY_ROWS, "team", {"team-TOTAL_FORMS": BIG}),
    C("team-total-negative", "coordinator", "POST", "{actor_map}", 200, BAD_COUNTS, "team", {"team-TOTAL_FORMS": "-1", "_save": "1"}),
    C("team-total-letters", "coordinator", "POST", "{actor_map}", 200, MANAGEMENT, "team", {"team-TOTAL_FORMS": "abc"}),
    C("team-total-superscript", "coordinator", "POST", "{actor_map}", 200, MANAGEMENT, "team", {"team-TOTAL_FORMS": "²"}),
    C("team-management-missing", "coordinator", "POST", "{actor_map}", 200, MANAGEMENT, "team", {"team-TOTAL_FORMS": DROP, "team-INITIAL_FORMS": DROP}),
    C("team-initial-without-ids", "coordinator", "POST", "{actor_map}", 200, FOREIGN_ROW, "team", {"team-INITIAL_FORMS": "3"}),
    C("team-initial-over-total", "coordinator", "POST", "{actor_map}", 200, BAD_COUNTS, "team", {"team-INITIAL_FORMS": "9"}),
    C("team-id-other-process", "coordinator", "POST", "{actor_map}", 200, FOREIGN_ROW, "team", lambda w: {"team-INITIAL_FORMS": "1", "team-0-id": str(w.foreign_member)}),
    C("team-id-other-process-save", "coordinator", "POST", "{actor_map}", 200, FOREIGN_ROW, "team", lambda w: {"team-INITIAL_FORMS": "1", "team-0-id": str(w.foreign_member), "_save": "1"}),
    C("team-id-letters", "coordinator", "POST", "{actor_map}", 200, FOREIGN_ROW, "team", {"team-INITIAL_FORMS": "1", "team-0-id": "abc"}),
    C("team-id-superscript", "coordinator", "POST", "{actor_map}", 200, FOREIGN_ROW, "team", {"team-INITIAL_FORMS": "1", "team-0-id": "²"}),
    C("team-id-big", "coordinator", "POST", "{actor_map}", 200, FOREIGN_ROW, "team", {"team-INITIAL_FORMS": "1", "team-0-id": BIG}),
    C("team-id-negative", "coordinator", "POST", "{actor_map}", 200, FOREIGN_ROW, "team", {"team-INITIAL_FORMS": "1", "team-0-id": "-1"}),
    C("team-process-other", "coordinator", "POST", "{actor_map}", 200, None, "team", lambda w: {"team-0-process": str(w.processes.plan.pk)}),
    C("team-role-bogus", "coordinator", "POST", "{actor_map}", 200, CHOICE, "team", {"team-4-role": "sjef"}),
    C("team-username-unknown", "coordinator", "POST", "{actor_map}", 200, "Finner ingen aktiv bruker", "team", {"team-1-username": "finnes-ikke"}),
    C("team-two-coordinators", "coordinator", "POST", "{actor_map}", 200, "er fylt av mer enn én person", "team", {"team-1-role": "koordinator"}),
    C("team-missing-gp", "coordinator", "POST", "{actor_map}", 200, "Disse rollene må fylles", "team", {"team-1-role": "aktor"}),
    C("team-no-contact", "coordinator", "POST", "{actor_map}", 200, "Oppgi telefon eller e-post", "team", {"team-2-phone": "", "team-2-email": ""}),
    C("team-email-bad", "coordinator", "POST", "{actor_map}", 200, "Oppgi en gyldig e-postadresse", "team", {"team-2-email": "ikke-epost"}),
    C("team-name-too-long", "coordinator", "POST", "{actor_map}", 200, "har 200 eller færre tegn (den har nå 300)", "team", {"team-2-name": "N" * 300}),
    C("team-name-nul", "coordinator", "POST", "{actor_map}", 400, CONTROL_FORM, "team", {"team-2-name": "Per\x00"}),
    C("team-propose-superscript", "coordinator", "POST", "{actor_map}", 200, "Disse rollene må fylles", "team", {"team-1-role": "aktor", "propose": ["²"]}),
    C("team-propose-arabic", "coordinator", "POST", "{actor_map}", 200, "Disse rollene må fylles", "team", {"team-1-role": "aktor", "propose": ["٤"]}),
    C("team-propose-big", "coordinator", "POST", "{actor_map}", 200, "Disse rollene må fylles", "team", {"team-1-role": "aktor", "propose": [BIG]}),
    C("team-propose-letters", "coordinator", "POST", "{actor_map}", 200, "Disse rollene må fylles", "team", {"team-1-role": "aktor", "propose": ["abc", "-1", ""]}),
    C("team-many-fields", "coordinator", "POST", "{actor_map}", 400, TOO_MANY_FIELDS, "team", MANY_FIELDS),
    C("team-stale-save", "coordinator", "POST", "{actor_map_saved}", 200, STALE, "team", {"_save": "1"}),
    C("team-stale-finish", "coordinator", "POST", "{actor_map_saved}", 200, STALE, "team"),
    C("team-by-colleague", "colleague", "POST", "{actor_map}", 403, None, "team"),
    # --- care process: the plan ---------------------------------------------------------------------------------------------
    C("plan-interval-zero", "coordinator", "POST", "{draft_plan}", 200, "Verdien må være større enn eller lik 1.", "plan", {"evaluation_interval_months": "0"}),
    C("plan-interval-25", "coordinator", "POST", "{draft_plan}", 200, "Verdien må være mindre enn eller lik 24.", "plan", {"evaluation_interval_months": "25"}),
    C("plan-interval-letters", "coordinator", "POST", "{draft_plan}", 200, WHOLE_NUMBER, "plan", {"evaluation_interval_months": "seks"}),
    C("plan-interval-superscript", "coordinator", "POST", "{draft_plan}", 200, WHOLE_NUMBER, "plan", {"evaluation_interval_months": "²"}),
    C("plan-interval-big", "coordinator", "POST", "{draft_plan}", 200, "Verdien må være mindre enn eller lik 24.", "plan", {"evaluation_interval_months": BIG}),
    C("plan-deadline-past", "coordinator", "POST", "{draft_plan}", 200, "Fristen kan ikke være passert.", "plan", {"measures-0-deadline": "2000-01-01"}),
    C("plan-deadline-far", "coordinator", "POST", "{draft_plan}", 200, "fem år fram i tid", "plan", {"measures-0-deadline": "2099-01-01"}),
    C("plan-deadline-bogus", "coordinator", "POST", "{draft_plan}", 200, "Oppgi en gyldig dato.", "plan", {"measures-0-deadline": "snart"}),
    C("plan-responsible-other-process", "coordinator", "POST", "{draft_plan}", 200, CHOICE, "plan", lambda w: {"measures-0-responsible": str(w.foreign_member_of_map)}),
    C("plan-responsible-letters", "coordinator", "POST", "{draft_plan}", 200, CHOICE, "plan", {"measures-0-responsible": "abc"}),
    C("plan-takeover-big", "coordinator", "POST", "{draft_plan}", 200, CHOICE, "plan", {"triggers-0-takeover": BIG}),
    C("plan-no-goals", "coordinator", "POST", "{draft_plan}", 200, "Vennligst send inn minst 1 skjema.", "plan", {"goals-TOTAL_FORMS": "0"}),
    C("plan-goals-5000", "coordinator", "POST", "{draft_plan}", 200, TOO_MANY_ROWS, "plan", {"goals-TOTAL_FORMS": "5000"}),
    C("plan-measures-100000", "coordinator", "POST", "{draft_plan}", 200, TOO_MANY_ROWS, "plan", {"measures-TOTAL_FORMS": "100000"}),
    C("plan-triggers-negative", "coordinator", "POST", "{draft_plan}", 200, BAD_COUNTS, "plan", {"triggers-TOTAL_FORMS": "-3"}),
    C("plan-goals-management-missing", "coordinator", "POST", "{draft_plan}", 200, MANAGEMENT, "plan", {"goals-TOTAL_FORMS": DROP}),
    C("plan-goal-too-long", "coordinator", "POST", "{draft_plan}", 200, "har 500 eller færre tegn (den har nå 600)", "plan", {"goals-0-text": "M" * 600}),
    C("plan-goal-nul", "coordinator", "POST", "{draft_plan}", 400, CONTROL_FORM, "plan", {"goals-0-text": "\x00"}),
    C("plan-meetings-empty", "coordinator", "POST", "{draft_plan}", 200, REQUIRED, "plan", {"meetings": ""}),
    C("plan-save-bad-deadline", "coordinator", "POST", "{draft_plan}", 200, "Fristen kan ikke være passert.", "plan", {"measures-0-deadline": "2000-01-01", "_save": "1"}),
    # --- care process: approval, evaluation --------------------------------------------------------------------------------
    C("approval-decision-bogus", "coordinator", "POST", "{approve_coordinator}", 200, CHOICE, "approval", {"decision": "kanskje"}),
    C("approval-changes-no-comment", "coordinator", "POST", "{approve_coordinator}", 200, "Skriv hvilke endringer som trengs.", "approval", {"decision": "endringer"}),
    C("approval-decision-missing", "coordinator", "POST", "{approve_coordinator}", 200, REQUIRED, "approval", {"decision": DROP}),
    C("approval-comment-nul", "coordinator", "POST", "{approve_coordinator}", 400, CONTROL_FORM, "approval", {"comment": "\x00"}),
    C("approval-by-stranger", "stranger", "POST", "{approve_coordinator}", 404, NOT_FOUND, "approval"),
    C("approval-other-owner", "coordinator", "POST", "{approve_gp}", 403, None, "approval"),
    C("evaluation-goal-replaced", "coordinator", "POST", "{evaluate}", 200, "Målene i skjemaet stemmer ikke", "evaluation", {"goal-0-goal": "Et mål som aldri fantes"}),
    C("evaluation-goal-added", "coordinator", "POST", "{evaluate}", 200, "Målene i skjemaet stemmer ikke", "evaluation", {"goal-TOTAL_FORMS": "2", "goal-1-goal": "Nytt mål", "goal-1-done": "x", "goal-1-achieved": "y"}),
    C("evaluation-goal-dropped", "coordinator", "POST", "{evaluate}", 200, "Målene i skjemaet stemmer ikke", "evaluation", {"goal-TOTAL_FORMS": "0", "goal-INITIAL_FORMS": "0"}),
    C("evaluation-goals-5000", "coordinator", "POST", "{evaluate}", 200, TOO_MANY_ROWS, "evaluation", {"goal-TOTAL_FORMS": "5000"}),
    C("evaluation-done-empty", "coordinator", "POST", "{evaluate}", 200, REQUIRED, "evaluation", {"goal-0-done": ""}),
    C("evaluation-outcome-bogus", "coordinator", "POST", "{evaluate}", 200, CHOICE, "evaluation", {"outcome": "glem"}),
    C("evaluation-goal-nul", "coordinator", "POST", "{evaluate}", 400, CONTROL_FORM, "evaluation", {"goal-0-goal": "Bo hjemme\x00"}),
    C("evaluation-management-missing", "coordinator", "POST", "{evaluate}", 200, MANAGEMENT, "evaluation", {"goal-TOTAL_FORMS": DROP}),
    # --- care process: a task already done, withdrawal, hand-over ------------------------------------------------------
    C("task-done-post", "coordinator", "POST", "{done_consent}", 302, TASK_DONE, "consent", follow=True),
    C("task-done-get", "coordinator", "GET", "{done_consent}", 302, TASK_DONE, follow=True),
    C("task-of-other-process", "coordinator", "POST", "{foreign_task}", 404, NOT_FOUND, "consent"),
    C("task-big-id", "coordinator", "GET", "/prosesser/forlop/{plan_pk}/consent/" + BIG + "/execute/", 404, NOT_FOUND),
    C("withdraw-unconfirmed", "coordinator", "POST", "{withdraw}", 200, REQUIRED, "withdraw", {"confirm": DROP}),
    C("withdraw-no-note", "coordinator", "POST", "{withdraw}", 200, REQUIRED, "withdraw", {"note": ""}),
    C("withdraw-note-nul", "coordinator", "POST", "{withdraw}", 400, CONTROL_FORM, "withdraw", {"note": "\x00"}),
    C("withdraw-by-outsider", "outsider", "POST", "{withdraw}", 404, NOT_FOUND, "withdraw"),
    C("handover-member-other-process", "coordinator", "POST", "{handover}", 200, CHOICE, "handover", lambda w: {"member": str(w.foreign_member_of_map)}),
    C("handover-member-letters", "coordinator", "POST", "{handover}", 200, CHOICE, "handover", {"member": "abc"}),
    C("handover-member-superscript", "coordinator", "POST", "{handover}", 200, CHOICE, "handover", {"member": "²"}),
    C("handover-member-missing", "coordinator", "POST", "{handover}", 200, REQUIRED, "handover", {"member": DROP}),
    # --- care process: ids in URLs and query strings ------------------------------------------------------------------
    C("print-version-superscript", "coordinator", "GET", "{plan_print}?versjon=²", 404, NOT_FOUND),
    C("print-version-arabic", "coordinator", "GET", "{plan_print}?versjon=١", 404, NOT_FOUND),
    C("print-version-letters", "coordinator", "GET", "{plan_print}?versjon=abc", 404, NOT_FOUND),
    C("print-version-big", "coordinator", "GET", f"{{plan_print}}?versjon={BIG}", 404, NOT_FOUND),
    C("print-version-negative", "coordinator", "GET", "{plan_print}?versjon=-1", 404, NOT_FOUND),
    C("print-version-unknown", "coordinator", "GET", "{plan_print}?versjon=77", 404, NOT_FOUND),
    C("print-version-nul", "coordinator", "GET", "{plan_print}?versjon=%00", 400, CONTROL_URL),
    C("audit-forlop-superscript", "coordinator", "GET", "/prosesser/forlop/revisjonslogg/?forlop=²", 404, NOT_FOUND),
    C("audit-forlop-arabic", "coordinator", "GET", "/prosesser/forlop/revisjonslogg/?forlop=٣", 404, NOT_FOUND),
    C("audit-forlop-letters", "coordinator", "GET", "/prosesser/forlop/revisjonslogg/?forlop=abc", 404, NOT_FOUND),
    C("audit-forlop-big", "coordinator", "GET", f"/prosesser/forlop/revisjonslogg/?forlop={BIG}", 404, NOT_FOUND),
    C("audit-forlop-nul", "coordinator", "GET", "/prosesser/forlop/revisjonslogg/?forlop=%00", 400, CONTROL_URL),
    C("audit-page-letters", "coordinator", "GET", "/prosesser/forlop/revisjonslogg/?page=abc", 404, NOT_FOUND),
    C("process-big-id", "coordinator", "GET", f"/prosesser/forlop/{BIG}/", 404, NOT_FOUND),
    C("process-outsider", "outsider", "GET", "/prosesser/forlop/{plan_pk}/", 404, NOT_FOUND),
    C("consent-document-unknown", "coordinator", "GET", "/prosesser/forlop/{plan_pk}/samtykke/999999/", 404, NOT_FOUND),
    C("national-id-query-nul", "coordinator", "GET", "/prosesser/forlop/{plan_pk}/fodselsnummer/?x=%00", 400, CONTROL_URL),
    C("process-list-search-nul", "coordinator", "GET", "/prosesser/forlop/?_search=%00", 400, CONTROL_URL),
    # --- directory admin: editing an actor (Wagtail page with contact persons) ---------------------------------------------
    C("actor-description-not-json", "editor", "POST", "{actor_edit}", 200, UNREADABLE, "actor", {"description": "{ikke json"}),
    C("actor-description-json-list", "editor", "POST", "{actor_edit}", 200, UNREADABLE, "actor", {"description": "[]"}),
    C("actor-description-wrong-shape", "editor", "POST", "{actor_edit}", 200, UNREADABLE, "actor", {"description": '{"blocks": 5}'}),
    C("actor-description-json-string", "editor", "POST", "{actor_edit}", 200, UNREADABLE, "actor", {"description": '"tekst"'}),
    C("actor-description-nul", "editor", "POST", "{actor_edit}", 400, CONTROL_FORM, "actor", {"description": "\x00"}),
    C("actor-contact-other-actor", "editor", "POST", "{actor_edit}", 200, FOREIGN_ROW, "actor", lambda w: {"contacts-0-id": str(w.foreign_contact)}),
    C("actor-contact-other-actor-publish", "editor", "POST", "{actor_edit}", 200, FOREIGN_ROW, "actor", lambda w: {"contacts-0-id": str(w.foreign_contact), "action-publish": "action-publish"}),
    C("actor-contact-id-letters", "editor", "POST", "{actor_edit}", 200, FOREIGN_ROW, "actor", {"contacts-0-id": "abc"}),
    C("actor-contact-id-superscript", "editor", "POST", "{actor_edit}", 200, FOREIGN_ROW, "actor", {"contacts-0-id": "²"}),
    C("actor-contact-id-missing", "editor", "POST", "{actor_edit}", 200, FOREIGN_ROW, "actor", {"contacts-0-id": DROP}),
    C("actor-contact-id-big", "editor", "POST", "{actor_edit}", 200, FOREIGN_ROW, "actor", {"contacts-0-id": BIG}),
    C("actor-contacts-100000", "editor", "POST", "{actor_edit}", 200, TOO_MANY_ROWS, "actor", {"contacts-TOTAL_FORMS": "100000"}),
    C("actor-contacts-total-letters", "editor", "POST", "{actor_edit}", 200, MANAGEMENT, "actor", {"contacts-TOTAL_FORMS": "mange"}),
    C("actor-contacts-management-missing", "editor", "POST", "{actor_edit}", 200, MANAGEMENT, "actor", {"contacts-TOTAL_FORMS": DROP, "contacts-INITIAL_FORMS": DROP}),
    C("actor-contacts-initial-over-total", "editor", "POST", "{actor_edit}", 200, BAD_COUNTS, "actor", {"contacts-INITIAL_FORMS": "5"}),
    C("actor-contact-phone-letters", "editor", "POST", "{actor_edit}", 200, "Skriv telefonnummeret med sifre", "actor", {"contacts-0-phone": "ring meg"}),
    C("actor-contact-email-bad", "editor", "POST", "{actor_edit}", 200, "Oppgi en gyldig e-postadresse", "actor", {"contacts-0-email": "ikke-epost"}),
    C("actor-contact-order-letters", "editor", "POST", "{actor_edit}", 200, NOT_SAVED, "actor", {"contacts-0-ORDER": "først"}),
    C("actor-contact-name-nul", "editor", "POST", "{actor_edit}", 400, CONTROL_FORM, "actor", {"contacts-0-name": "Kari\x00"}),
    C("actor-phone-letters", "editor", "POST", "{actor_edit}", 200, "Skriv telefonnummeret med sifre", "actor", {"phone": "ring meg"}),
    C("actor-website-javascript", "editor", "POST", "{actor_edit}", 200, "Oppgi en gyldig nettadresse.", "actor", {"website": "javascript:alert(1)"}),
    C("actor-type-unknown", "editor", "POST", "{actor_edit}", 200, CHOICE, "actor", {"actor_types": ["999999"]}),
    C("actor-type-letters", "editor", "POST", "{actor_edit}", 200, "er ikke en gyldig verdi", "actor", {"actor_types": ["abc"]}),
    C("actor-title-empty", "editor", "POST", "{actor_edit}", 200, REQUIRED, "actor", {"title": ""}),
    C("actor-title-nul", "editor", "POST", "{actor_edit}", 400, CONTROL_FORM, "actor", {"title": "KE\x00"}),
    C("actor-go-live-bogus", "editor", "POST", "{actor_edit}", 200, "Oppgi gyldig dato og tidspunkt.", "actor", {"go_live_at": "snart"}),
    C("actor-many-fields", "editor", "POST", "{actor_edit}", 400, TOO_MANY_FIELDS, "actor", MANY_FIELDS),
    C("actor-other-municipality", "editor", "POST", "{foreign_actor_edit}", (302, 403), None, "actor"),
    # --- directory admin: a pathway's StreamField (numbered hidden fields) -------------------------------------------
    C("pathway-phases-count-letters", "admin", "POST", "{pathway_edit}", 200, UNREADABLE, "pathway", {"phases-count": "mange"}),
    C("pathway-phases-count-superscript", "admin", "POST", "{pathway_edit}", 200, UNREADABLE, "pathway", {"phases-count": "²"}),
    C("pathway-phases-count-without-blocks", "admin", "POST", "{pathway_edit}", 200, UNREADABLE, "pathway", {"phases-count": "3"}),
    C("pathway-phases-count-huge", "admin", "POST", "{pathway_edit}", 200, UNREADABLE, "pathway", {"phases-count": "100000"}),
    C("pathway-phases-order-letters", "admin", "POST", "{pathway_edit}", 200, UNREADABLE, "pathway", {"phases-count": "1", "phases-0-deleted": "", "phases-0-type": "phase", "phases-0-order": "først"}),
    C("pathway-title-nul", "admin", "POST", "{pathway_edit}", 400, CONTROL_FORM, "pathway", {"title": "Forløp\x00"}),
    C("admin-page-big-id", "editor", "GET", f"/admin/pages/{BIG}/edit/", 404),
    C("admin-page-letters", "editor", "GET", "/admin/pages/abc/edit/", 404),
    C("admin-search-nul", "editor", "GET", "/admin/pages/search/?q=%00", 400, CONTROL_URL),
    # --- directory admin: «Bekreft uendret» and the other bulk actions ------------------------------------------------
    C("confirm-id-letters", "editor", "GET", "/admin/bulk/wagtailcore/page/confirm/?id=abc", 400, BULK_IDS),
    C("confirm-id-superscript", "editor", "GET", "/admin/bulk/wagtailcore/page/confirm/?id=²", 400, BULK_IDS),
    C("confirm-id-arabic", "editor", "GET", "/admin/bulk/wagtailcore/page/confirm/?id=٤", 400, BULK_IDS),
    C("confirm-id-big", "editor", "GET", f"/admin/bulk/wagtailcore/page/confirm/?id={BIG}", 400, BULK_IDS),
    C("confirm-id-negative", "editor", "GET", "/admin/bulk/wagtailcore/page/confirm/?id=-1", 400, BULK_IDS),
    C("confirm-id-empty", "editor", "GET", "/admin/bulk/wagtailcore/page/confirm/?id=", 400, BULK_IDS),
    C("confirm-id-nul", "editor", "GET", "/admin/bulk/wagtailcore/page/confirm/?id=%00", 400, CONTROL_URL),
    C("confirm-id-mixed-post", "editor", "POST", "/admin/bulk/wagtailcore/page/confirm/?id={actor_pk}&id=abc", 400, BULK_IDS, data={}),
    C("confirm-id-unknown", "editor", "GET", "/admin/bulk/wagtailcore/page/confirm/?id=999999", 404),
    C("confirm-child-of-letters", "editor", "GET", "/admin/bulk/wagtailcore/page/confirm/?id=all&childOf=abc", 400, "Adressen peker ikke på en gyldig side"),
    C("confirm-child-of-unknown", "editor", "GET", "/admin/bulk/wagtailcore/page/confirm/?id=all&childOf=999999", 404),
    C("confirm-other-municipality", "editor", "POST", "/admin/bulk/wagtailcore/page/confirm/?id={foreign_actor_pk}", (200, 302), None, data={}),
    C("bulk-delete-id-letters", "editor", "GET", "/admin/bulk/wagtailcore/page/delete/?id=abc", 400, BULK_IDS),
    C("bulk-publish-id-superscript", "editor", "POST", "/admin/bulk/wagtailcore/page/publish/?id=²", 400, BULK_IDS, data={}),
    C("bulk-unknown-model", "editor", "GET", "/admin/bulk/nope/nope/confirm/?id=1", 404),
    # --- directory admin: the spreadsheet upload form -----------------------------------------------------------------
    C("upload-no-file", "admin", "POST", "{import}", 200, REQUIRED, data={}),
    C("upload-file-as-text", "admin", "POST", "{import}", 200, REQUIRED, data={"file": "aktorkart.csv"}),
    C("upload-png", "admin", "POST", "{import}", 200, "Velg en .csv- eller .xlsx-fil.", data=lambda w: {"file": SimpleUploadedFile("bilde.png", PNG)}),
    C("upload-png-as-xlsx", "admin", "POST", "{import}", 200, "kunne ikke leses som et Excel-regneark", data=lambda w: {"file": SimpleUploadedFile("bilde.xlsx", PNG)}),
    C("upload-empty-file", "admin", "POST", "{import}", 200, "Filen er tom.", data=lambda w: {"file": SimpleUploadedFile("tom.csv", b"")}),
    C("upload-no-extension", "admin", "POST", "{import}", 200, "Velg en .csv- eller .xlsx-fil.", data=lambda w: {"file": SimpleUploadedFile("aktorkart", b"a;b\n")}),
    C("upload-name-nul", "admin", "POST", "{import}", 400, CONTROL_FORM, data=lambda w: {"file": SimpleUploadedFile("a.csv", b"x"), "note": "\x00"}),
    C("upload-many-fields", "admin", "POST", "{import}", 400, TOO_MANY_FIELDS, data=MANY_FIELDS),
    C("upload-unknown-page", "admin", "POST", "/admin/aktorkart/999999/import/", 404, data={}),
    C("upload-actor-page", "admin", "POST", "/admin/aktorkart/{actor_pk}/import/", 404, data={}),
    C("upload-by-editor", "editor", "POST", "{import}", 404, data=lambda w: {"file": SimpleUploadedFile("a.csv", b"x")}),
    C("export-format-bogus", "editor", "GET", "/admin/aktorkart/{municipality_pk}/eksport/?format=exe", 404),
    C("export-format-nul", "editor", "GET", "/admin/aktorkart/{municipality_pk}/eksport/?format=%00", 400, CONTROL_URL),
]
# fmt: on

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)

# Logs, not data: sessions are written on every request, the audit trail records every page of patient data read
# (and every refused access), axes records logins, Wagtail's editing sessions who has an edit form open.
NOT_DATA = {
    "sessions.session",
    "workflows.auditentry",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "wagtailadmin.editingsession",
}


def _data_models():
    for model in apps.get_models():
        if model._meta.label_lower not in NOT_DATA and model._meta.managed and not model._meta.proxy:
            yield model


def snapshot():
    """Row count and a checksum of every row of every table that holds data.

    On PostgreSQL the rows are checksummed where they are, in one query (each row's text form, in primary-key
    order): the corpus takes two snapshots a case, and fetching every row into Python cost most of its time.
    """
    if connection.vendor == "postgresql":
        return _snapshot_in_postgresql()
    state = {}
    for model in _data_models():
        rows = list(model._base_manager.order_by("pk").values_list())
        state[model._meta.label_lower] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return state


# Table and column names come from the models, never from input.
CHECKSUM_SQL = "SELECT {i}, count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t.{pk}), '')) FROM {table} AS t"


def _snapshot_in_postgresql():
    quote = connection.ops.quote_name
    models = list(_data_models())
    parts = [
        CHECKSUM_SQL.format(i=i, pk=quote(model._meta.pk.column), table=quote(model._meta.db_table))
        for i, model in enumerate(models)
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return {models[i]._meta.label_lower: (count, checksum) for i, count, checksum in cursor.fetchall()}


def changed(before, after):
    return sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))


# --- the scenario, built once ----------------------------------------------------------------------------------------


def _login(client, user):
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)[
        0
    ].persistent_id
    session.save()
    return client


def _build():
    """On the seed (register slice, site tree, catalogue, municipalities with their groups): actors, a pathway,
    users and one care process at each step."""
    home = HomePage.objects.get()
    bjorna, editors, _reviewers = steps.municipality("4624")
    austevoll, _au_editors, _au_reviewers = steps.municipality("4625")
    actor = _actor(bjorna, "Koordinerende enhet Bjørnafjorden", "Kari Nordmann")
    far = _actor(austevoll, "Koordinerende enhet Austevoll", "Hilde Sæther")
    index = PathwayIndexPage(title="Forløp", slug="forlop")
    home.add_child(instance=index)
    pathway = PathwayPage(title="Psykisk helse", slug="psykisk-helse", phases=[], next_review="2099-01-01")
    index.add_child(instance=pathway)
    pathway.save_revision().publish()

    User = get_user_model()
    unit = groups.ensure_coordinating_unit("4624")
    other_unit = groups.ensure_coordinating_unit("4601")
    team_group = groups.ensure_care_team()
    users = {}
    for username, group_list, superuser in [
        ("koordinator", [unit.group], False),
        ("kollega", [unit.group], False),
        ("fastlege", [team_group], False),
        ("utenforstaende", [other_unit.group], False),
        ("fremmed", [], False),
        ("redaktor", [editors], False),
        ("admin", [], True),
    ]:
        user = User.objects.create_user(username, f"{username}@example.com", "korrekt-hest-batteri")
        user.is_superuser = user.is_staff = superuser
        user.save()
        user.groups.set(group_list)
        users[username] = user

    coordinator = _login(Client(), users["koordinator"])
    gp = _login(Client(), users["fastlege"])
    p = SimpleNamespace()
    p.consent = steps.register_process(coordinator, national_id=steps.fnr(day=1))
    p.good_day = steps.through_consent(coordinator, national_id=steps.fnr(day=2))
    p.map = steps.through_consent(coordinator, national_id=steps.fnr(day=3))
    steps.post_step(coordinator, p.map, "good_day", steps.good_day())
    p.map_saved = steps.through_consent(coordinator, national_id=steps.fnr(day=4))
    steps.post_step(coordinator, p.map_saved, "good_day", steps.good_day())
    steps.post_step(coordinator, p.map_saved, "actor_map", steps.team() | {"_save": "1"})
    p.plan = steps.through_consent(coordinator, national_id=steps.fnr(day=5))
    steps.post_step(coordinator, p.plan, "good_day", steps.good_day())
    steps.post_step(coordinator, p.plan, "actor_map", steps.team())
    p.approval = steps.to_approval(coordinator, national_id=steps.fnr(day=6))
    p.evaluate = steps.to_approval(coordinator, national_id=steps.fnr(day=7))
    steps.approve_all(p.evaluate, {users["koordinator"].pk: coordinator, users["fastlege"].pk: gp})
    steps.fire_timers(p.evaluate)

    edit = _login(Client(), users["redaktor"]).get(f"/admin/pages/{actor.pk}/edit/")
    assert edit.status_code == 200
    actor_form = querydict_from_html(edit.content.decode(), form_id="page-edit-form")
    edit = _login(Client(), users["admin"]).get(f"/admin/pages/{pathway.pk}/edit/")
    assert edit.status_code == 200
    pathway_form = querydict_from_html(edit.content.decode(), form_id="page-edit-form")

    consent_task = p.plan.task_set.get(flow_task=ForlopFlow.consent, status=STATUS.DONE)
    urls = {
        "pathway": pathway.url,
        "consent": steps.task_url(p.consent, "consent"),
        "good_day": steps.task_url(p.good_day, "good_day"),
        "actor_map": steps.task_url(p.map, "actor_map"),
        "actor_map_saved": steps.task_url(p.map_saved, "actor_map"),
        "draft_plan": steps.task_url(p.plan, "draft_plan"),
        "approve_coordinator": steps.task_url(p.approval, "approve_coordinator"),
        "approve_gp": steps.task_url(p.approval, "approve_gp"),
        "evaluate": steps.task_url(p.evaluate, "evaluate"),
        "done_consent": f"/prosesser/forlop/{p.plan.pk}/consent/{consent_task.pk}/execute/",
        "foreign_task": f"/prosesser/forlop/{p.plan.pk}/consent/{p.consent.task_set.order_by('-pk').first().pk}/execute/",
        "withdraw": steps.withdraw_url(p.map),
        "handover": steps.handover_url(p.plan),
        "plan_print": f"/prosesser/forlop/{p.approval.pk}/plan/",
        "plan_pk": p.plan.pk,
        "actor_edit": f"/admin/pages/{actor.pk}/edit/",
        "foreign_actor_edit": f"/admin/pages/{far.pk}/edit/",
        "actor_pk": actor.pk,
        "foreign_actor_pk": far.pk,
        "municipality_pk": bjorna.pk,
        "import": f"/admin/aktorkart/{bjorna.pk}/import/",
        "pathway_edit": f"/admin/pages/{pathway.pk}/edit/",
    }
    return SimpleNamespace(
        users=users,
        processes=p,
        urls=urls,
        fnr=p.map.national_id,
        foreign_member=p.plan.team.get(role="koordinator").pk,
        foreign_member_of_map=p.map_saved.team.get(role="fastlege").pk,
        foreign_contact=ContactPerson.objects.get(page=far).pk,
        forms={"actor": actor_form, "pathway": pathway_form},
    )


def _actor(municipality_page, title, contact):
    actor = ActorPage(title=title, phone="55 00 00 00", email="post@example.com")
    municipality_page.add_child(instance=actor)
    actor.actor_types.set(ActorType.objects.filter(slug="koordinerende-enhet-kommune"))
    actor.contacts.add(ContactPerson(name=contact, role="Leder", phone="55 11 22 33", sort_order=0))
    actor.save_revision().publish()
    return ActorPage.objects.get(pk=actor.pk)


@pytest.fixture(scope="module")
def scenario(module_db):
    """Built once for the module on the seed, rolled back when the module is done (see ``module_db``)."""
    with module_db():
        return _build()


WHO = {
    "coordinator": "koordinator",
    "colleague": "kollega",
    "outsider": "utenforstaende",
    "stranger": "fremmed",
    "editor": "redaktor",
    "admin": "admin",
}


def _plain(querydict):
    return {key: values if len(values) > 1 else values[0] for key, values in querydict.lists()}


def form_data(scenario, case):
    """A valid form of the kind ``case.form`` (or none), with the case's changes."""
    p = scenario.processes
    base = {
        None: {},
        "register": steps.registration(national_id=steps.fnr(day=20)),
        "consent": steps.consent(),
        "good_day": steps.good_day(),
        "team": steps.team(),
        "plan": steps.plan(p.plan),
        "approval": {"decision": "godkjent"},
        "evaluation": steps.evaluation(p.evaluate, "fortsett"),
        "withdraw": {"note": "Pasienten ringte og trakk samtykket.", "confirm": "on"},
        "handover": {"member": str(p.plan.team.get(role="fastlege").pk)},
        "actor": _plain(scenario.forms["actor"]),
        "pathway": _plain(scenario.forms["pathway"]),
    }[case.form]
    data = dict(base)
    changes = case.data(scenario) if callable(case.data) else (case.data or {})
    for key, value in changes.items():
        if value is DROP:
            data.pop(key, None)
        else:
            data[key] = value
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_gets_a_clear_answer_and_changes_nothing(scenario, case, settings):
    client = Client(raise_request_exception=False)
    if case.who != "public":
        _login(client, scenario.users[WHO[case.who]])
    for name, value in case.cookies.items():
        client.cookies[name] = value
    url = case.url.format(**scenario.urls)
    data = form_data(scenario, case) if case.method == "POST" else None
    before = snapshot()

    # CPU time of this process, not wall time: the bound is on the work a request costs, which a machine busy
    # with other processes does not change.
    started = time.process_time()
    if case.method == "POST":
        response = client.post(url, data)
    else:
        response = client.get(url)
    elapsed = time.process_time() - started

    statuses = case.status if isinstance(case.status, tuple) else (case.status,)
    assert response.status_code in statuses, (response.status_code, _excerpt(response))
    assert changed(before, snapshot()) == []
    # Bounded: no request of the corpus holds a worker for long.
    assert elapsed < 3, elapsed
    if case.follow:
        response = client.get(response["Location"])
    text = html.unescape(response.content.decode(errors="replace"))
    if case.text:
        assert case.text in text, _excerpt(response)
    for english in ENGLISH:
        assert english not in text, english
    if response.status_code in (400, 404) and not url.startswith("/admin/"):
        assert 'lang="nb"' in text


def _excerpt(response):
    """The error messages of a page (or its start), for the assertion's report."""
    text = html.unescape(response.content.decode(errors="replace"))
    errors = [line.strip() for line in text.splitlines() if "error" in line.lower() and len(line) < 500]
    return "\n".join(errors)[:3000] or text[:1500]


def test_the_corpus_is_large_and_every_case_has_its_own_name():
    assert len(CASES) >= 150
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.django_db
def test_the_snapshot_notices_a_change_to_any_row(scenario):
    """The corpus's «changes nothing» is only a proof if a change shows: one field of one row, and one new row."""
    before = snapshot()
    ContactPerson.objects.filter(pk=scenario.foreign_contact).update(phone="55 99 99 99")
    assert changed(before, snapshot()) == ["directory.contactperson"]
    before = snapshot()
    get_user_model().objects.create_user("ny", "ny@example.com", "korrekt-hest-batteri")
    assert "auth.user" in changed(before, snapshot())
