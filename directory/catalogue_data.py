"""National catalogue of actor types (aktørtyper) for LKT actor maps.

Each entry describes a kind of actor defined in Norwegian law or regulation that a
patient with long-term coordinated services (langvarige og koordinerte tjenester)
may meet. One catalogue serves every municipality; the municipality fills in who the
actor is locally. The four mandatory LKT roles are each carried by exactly one entry
(``lkt_role``), and ``required`` marks the types every municipality's actor map must show.

Plain data only: no imports, no logic. Strings are Norwegian bokmål.
"""

# ---------------------------------------------------------------------------------------
# Sources: what each legal reference was checked against (looked up in the stored search corpus).
#
# Act identifiers (lovdata):
#   helse- og omsorgstjenesteloven LOV-2011-06-24-30 - luster.custompublish.com copy of the lovdata
#     header ("Dato LOV-2011-06-24-30") and lovdata.no/dokument/SF/forskrift/2015-11-13-1287 (hjemmel)
#   spesialisthelsetjenesteloven LOV-1999-07-02-61 - lovdata.no/dokument/SF/forskrift/2015-03-20-231
#     (hjemmel "LOV-1999-07-02-61-§2-1a") and regjeringen.no ("lov 2. juli 1999 nr. 61")
#   pasient- og brukerrettighetsloven LOV-1999-07-02-63 - regjeringen.no ("lov 2. juli 1999 nr. 63")
#   barnevernsloven LOV-2021-06-18-97 - juridika.no and stortinget.no Innst. 524 L (2024-2025)
#   NAV-loven LOV-2006-06-16-20 - norgeslover.no export "NL/lov/2006-06-16-20" (with table of sections)
#   sosialtjenesteloven LOV-2009-12-18-131 - rettsdata.no NAV-loven § 1 ("lov 18. desember 2009 nr. 131")
#   lov om kommunenes ansvar på det boligsosiale feltet LOV-2022-12-20-121 (NB: a 2022 act, in force
#     1 July 2023) - karnovgroup.no ("Lov 20. desember 2022 nr. 121"), husbanken.no, statsforvalteren.no
#   opplæringslova (2023) LOV-2023-06-09-30 - several public repositories linking lovdata.no/lov/2023-06-09-30;
#     regjeringen.no Prop. 57 L (2022-2023); stortinget.no vote 2 June 2023; in force 1 Aug 2024 (frambu.no)
#
# Per entry:
#   koordinerende-enhet-kommune: hol § 7-3 and habiliteringsforskriften § 6 - helsedirektoratet.no/veiledere/
#     rehabilitering-habilitering-individuell-plan-og-koordinator/.../lovgrunnlaget-for-koordinerende-enhet-i-kommunene
#   koordinator-kommune: hol § 7-2, pasrl § 2-5 - same Helsedirektoratet page ("pasient- og brukerrettighetsloven
#     § 2-5, helse- og omsorgstjenesteloven § 7-1 og § 7-2"); vinje.kommune.no/koordinerte-tenester
#   barnekoordinator: hol § 7-2 a - regjeringen.no Prop. 100 L (2020-2021) ch. 13; pasrl § 2-5 c -
#     inderoy.kommune.no (barnekoordinator page citing both sections)
#   fastlege: hol § 3-2 første ledd nr. 4 - keff.no/kommune/bakgrunn (text of § 3-2) and helsedirektoratet.no
#     legevakt guidance; fastlegeforskriften cited by short name only (a new regulation with that short name was
#     adopted 2 Dec 2025, so no FOR-number is given)
#   legevakt: hol § 3-2 første ledd nr. 3 bokstav a - keff.no and helsedirektoratet.no/veiledere/
#     legevakt-og-legevaktsentral-horingsutkast; akuttmedisinforskriften - lovdata.no/dokument/SF/forskrift/
#     2015-03-20-231 (section for legevakt not confirmed, so cited without section)
#   kommunal-akutt-dognenhet: hol § 3-5 - helsedirektoratet.no/publikasjoner/kommunenes-plikt-til-oyeblikkelig-
#     hjelp-dognopphold-veiledningsmateriell; forskrift om øyeblikkelig hjelp døgntilbud - lovdata.no/dokument/SF/
#     forskrift/2015-11-13-1287. "Tredje ledd" NOT confirmed, so the section is cited without ledd.
#   tildelingskontor: pasrl § 2-1 a andre ledd - helsedirektoratet.no/rundskriv/pasient-og-brukerrettighetsloven-
#     med-kommentarer/.../rett-til-helse-og-omsorgstjenester-og-transport; pasrl § 2-7 - same rundskriv,
#     .../forvaltningslovens-anvendelse; hol § 3-2 a - lillehammer.custompublish.com (kommunal forskrift citing
#     "helse- og omsorgstjenesteloven § 3-2 a ... pasient- og brukerrettighetsloven § 2-1 e")
#   hjemmesykepleie: hol § 3-2 første ledd nr. 6 bokstav a - keff.no/kommune/bakgrunn
#   praktisk-bistand-personlig-assistanse: hol § 3-2 første ledd nr. 6 bokstav b - regjeringen.no Prop. 86 L
#     (2013-2014) ch. 4; hol § 3-8 and pasrl § 2-1 d - helsedirektoratet.no/rundskriv/helse-og-omsorgstjenesteloven-
#     med-kommentarer/.../-3-8-brukerstyrt-personlig-assistanse
#   sykehjem-institusjon: hol § 3-2 første ledd nr. 6 bokstav c - keff.no; hol § 3-2 a and pasrl § 2-1 e -
#     lillehammer.custompublish.com (see above)
#   avlastning-parorendestotte: hol § 3-6 and pasrl § 2-8 - helsedirektoratet.no/rundskriv/helse-og-
#     omsorgstjenesteloven-med-kommentarer/.../-3-6-kommunens-ansvar-overfor-parorende; regjeringen.no Prop. 49 L
#     (2016-2017). (Avlastning is no longer listed in § 3-2 nr. 6; it moved to § 3-6.)
#   habilitering-rehabilitering-kommune: hol § 3-2 første ledd nr. 5 - keff.no; forskrift om habilitering og
#     rehabilitering, individuell plan og koordinator - Helsedirektoratet veileder (named there)
#   psykisk-helse-rus-kommune: hol § 3-1 andre ledd and § 3-2 - helsedirektoratet.no/rundskriv/helse-og-
#     omsorgstjenesteloven-med-kommentarer/.../-3-2-kommunens-ansvar-for-helse-og-omsorgstjenester
#   kommunepsykolog: act only: section not confirmed (the duty from 1 Jan 2020 to have psychologist competence is
#     confirmed by helsedirektoratet.no/rapporter/psykologer-i-kommunene--arsverk-og-oppgaver and ssb.no, but the
#     paragraph/ledd in hol § 3-2 was not confirmed)
#   helsestasjon-skolehelsetjeneste: hol § 3-2 første ledd nr. 1 bokstav a og b - keff.no/kommune/bakgrunn
#   barnevernstjeneste: act only: section not confirmed (barnevernsloven 2021 section on the municipality's
#     responsibility, presumably in chapter 15, could not be confirmed)
#   boligsosialt-arbeid: lov om kommunenes ansvar på det boligsosiale feltet - act only: section not confirmed
#     (act confirmed as above); sosialtjenesteloven § 15 - karnovgroup.no and veiviseren.no
#   pedagogisk-psykologisk-tjeneste: opplæringslova (2023) - act only: section not confirmed (the old act's § 5-6
#     is confirmed by regjeringen.no Prop. 57 L ch. 27, but the new section number was not confirmed)
#   koordinerende-enhet-spesialisthelsetjenesten: shl § 2-5 b and habiliteringsforskriften § 11 - Helsedirektoratet
#     veileder page above. NB: the brief said § 2-5 a; § 2-5 a is the coordinator, the unit is § 2-5 b.
#   intern-koordinator-spesialisthelsetjenesten: shl § 2-5 a - stortinget.no skriftlig spørsmål qid=62248 (quotes
#     the section text)
#   kontaktlege-kontaktpsykolog: shl § 2-5 c and pasrl § 2-5 a - helsedirektoratet.no/rundskriv/pasient-og-
#     brukerrettighetsloven-med-kommentarer/.../rett-til-kontaktlege
#   dps, tsb, akuttmottak-akuttpsykiatri, habiliteringstjenesten-spesialisthelsetjenesten: shl § 2-1 a -
#     stortinget.no Dokument 8 (2009-2010) nr. 12 (quotes § 2-1a første ledd: sykehustjenester, akuttmedisinsk
#     beredskap, tverrfaglig spesialisert behandling for rusmiddelmisbruk) and akuttmedisinforskriften hjemmel.
#     No narrower section exists for DPS or akuttmottak; none is cited.
#   nav-kontor: NAV-loven § 13 (felles lokale kontorer) and § 15 (individuell plan) - norgeslover.no export of
#     NL/lov/2006-06-16-20 (table of sections); sosialtjenesteloven § 17 (opplysning, råd og veiledning) -
#     helsetilsynet.no tilsynsrapport Stavanger 2021
# ---------------------------------------------------------------------------------------

CATALOGUE: list[dict] = [
    # --- Kommunale tjenester ------------------------------------------------------------
    {
        "slug": "koordinerende-enhet-kommune",
        "name": "Koordinerende enhet i kommunen",
        "description": (
            "Kommunens kontaktpunkt for pasienter og brukere som trenger langvarige og koordinerte tjenester. "
            "Enheten har overordnet ansvar for arbeidet med individuell plan og for å oppnevne, lære opp og "
            "veilede koordinatorer."
        ),
        "legal_basis": (
            "helse- og omsorgstjenesteloven § 7-3; "
            "forskrift om habilitering og rehabilitering, individuell plan og koordinator § 6"
        ),
        "legal_url": "https://lovdata.no/lov/2011-06-24-30/§7-3",
        "level": "kommune",
        "lkt_role": "",
        "required": True,
        "sort_order": 10,
    },
    {
        "slug": "koordinator-kommune",
        "name": "Koordinator i kommunen",
        "description": (
            "Oppnevnes av kommunen for pasienter og brukere med behov for langvarige og koordinerte tjenester, "
            "også når de ikke ønsker individuell plan. Koordinatoren sørger for nødvendig oppfølging, samordner "
            "tjenestetilbudet og sikrer fremdrift i arbeidet med individuell plan. I LKT er koordinatoren leder "
            "av aktørfellesskapet rundt pasienten."
        ),
        "legal_basis": "helse- og omsorgstjenesteloven § 7-2; pasient- og brukerrettighetsloven § 2-5",
        "legal_url": "https://lovdata.no/lov/2011-06-24-30/§7-2",
        "level": "kommune",
        "lkt_role": "koordinator",
        "required": True,
        "sort_order": 20,
    },
    {
        "slug": "fastlege",
        "name": "Fastlege",
        "description": (
            "Pasientens faste allmennlege, som utreder, behandler og henviser videre, og som har det "
            "medisinskfaglige koordineringsansvaret for pasientene på sin liste. Fastlegen samarbeider med "
            "koordinator og spesialisthelsetjenesten om den langsiktige oppfølgingen."
        ),
        "legal_basis": "helse- og omsorgstjenesteloven § 3-2 første ledd nr. 4; fastlegeforskriften",
        "legal_url": "https://lovdata.no/lov/2011-06-24-30/§3-2",
        "level": "kommune",
        "lkt_role": "fastlege",
        "required": True,
        "sort_order": 30,
    },
    {
        "slug": "barnekoordinator",
        "name": "Barnekoordinator",
        "description": (
            "Kommunen skal tilby barnekoordinator til familier som venter eller har barn med alvorlig sykdom, "
            "skade eller nedsatt funksjonsevne, og som trenger langvarige og sammensatte tjenester. "
            "Barnekoordinatoren samordner tjenestene rundt barnet og gir familien informasjon og veiledning."
        ),
        "legal_basis": "helse- og omsorgstjenesteloven § 7-2 a; pasient- og brukerrettighetsloven § 2-5 c",
        "legal_url": "https://lovdata.no/lov/2011-06-24-30/§7-2a",
        "level": "kommune",
        "lkt_role": "",
        "required": False,
        "sort_order": 40,
    },
    {
        "slug": "tildelingskontor",
        "name": "Tildelingskontor / forvaltningskontor",
        "description": (
            "Kommunens enhet som tar imot søknader, kartlegger behov og fatter enkeltvedtak om helse- og "
            "omsorgstjenester, for eksempel hjemmetjenester, praktisk bistand, avlastning og sykehjemsplass. "
            "Vedtakene kan påklages til statsforvalteren."
        ),
        "legal_basis": (
            "pasient- og brukerrettighetsloven § 2-1 a andre ledd; pasient- og brukerrettighetsloven § 2-7; "
            "helse- og omsorgstjenesteloven § 3-2 a"
        ),
        "legal_url": "https://lovdata.no/lov/1999-07-02-63/§2-1a",
        "level": "kommune",
        "lkt_role": "",
        "required": True,
        "sort_order": 50,
    },
    {
        "slug": "legevakt",
        "name": "Legevakt",
        "description": (
            "Kommunens tilbud om øyeblikkelig hjelp ved akutt sykdom og skade hele døgnet, på legevaktnummeret "
            "116 117. Legevakten vurderer, behandler og henviser videre når fastlegen ikke er tilgjengelig."
        ),
        "legal_basis": ("helse- og omsorgstjenesteloven § 3-2 første ledd nr. 3 bokstav a; akuttmedisinforskriften"),
        "legal_url": "https://lovdata.no/lov/2011-06-24-30/§3-2",
        "level": "kommune",
        "lkt_role": "",
        "required": True,
        "sort_order": 60,
    },
    {
        "slug": "kommunal-akutt-dognenhet",
        "name": "Kommunal akutt døgnenhet (øyeblikkelig hjelp døgnopphold)",
        "description": (
            "Døgnopphold i kommunen for pasienter og brukere med behov for øyeblikkelig hjelp som kommunen kan "
            "utrede, behandle eller yte omsorg til, ved somatisk sykdom og ved psykisk helse- og rusproblemer. "
            "Tilbudet skal være minst like godt som et alternativt opphold i spesialisthelsetjenesten."
        ),
        "legal_basis": "helse- og omsorgstjenesteloven § 3-5; forskrift om øyeblikkelig hjelp døgntilbud",
        "legal_url": "https://lovdata.no/lov/2011-06-24-30/§3-5",
        "level": "kommune",
        "lkt_role": "",
        "required": True,
        "sort_order": 70,
    },
    {
        "slug": "hjemmesykepleie",
        "name": "Hjemmesykepleie (helsetjenester i hjemmet)",
        "description": (
            "Helsetjenester i pasientens eget hjem, for eksempel hjelp med legemidler, sårstell, observasjon "
            "og pleie. Tjenesten tildeles ved vedtak og er ofte den kommunale tjenesten som ser pasienten oftest."
        ),
        "legal_basis": "helse- og omsorgstjenesteloven § 3-2 første ledd nr. 6 bokstav a",
        "legal_url": "https://lovdata.no/lov/2011-06-24-30/§3-2",
        "level": "kommune",
        "lkt_role": "",
        "required": True,
        "sort_order": 80,
    },
    {
        "slug": "praktisk-bistand-personlig-assistanse",
        "name": "Praktisk bistand og personlig assistanse (inkludert BPA)",
        "description": (
            "Hjelp til dagliglivets gjøremål, personlig stell, opplæring og støttekontakt, for eksempel "
            "hjemmehjelp. Tjenesten kan organiseres som brukerstyrt personlig assistanse (BPA), der brukeren "
            "selv styrer assistansen."
        ),
        "legal_basis": (
            "helse- og omsorgstjenesteloven § 3-2 første ledd nr. 6 bokstav b; helse- og omsorgstjenesteloven "
            "§ 3-8; pasient- og brukerrettighetsloven § 2-1 d"
        ),
        "legal_url": "https://lovdata.no/lov/2011-06-24-30/§3-2",
        "level": "kommune",
        "lkt_role": "",
        "required": True,
        "sort_order": 90,
    },
    {
        "slug": "sykehjem-institusjon",
        "name": "Sykehjem og annen helseinstitusjon",
        "description": (
            "Korttids- og langtidsopphold i sykehjem eller tilsvarende bolig særskilt tilrettelagt for "
            "heldøgns tjenester, når pasienten ikke kan få forsvarlig hjelp hjemme. Kommunen tildeler plass "
            "ved vedtak etter egne kriterier og fører venteliste."
        ),
        "legal_basis": (
            "helse- og omsorgstjenesteloven § 3-2 første ledd nr. 6 bokstav c; helse- og omsorgstjenesteloven "
            "§ 3-2 a; pasient- og brukerrettighetsloven § 2-1 e"
        ),
        "legal_url": "https://lovdata.no/lov/2011-06-24-30/§3-2a",
        "level": "kommune",
        "lkt_role": "",
        "required": True,
        "sort_order": 100,
    },
    {
        "slug": "avlastning-parorendestotte",
        "name": "Avlastning og pårørendestøtte",
        "description": (
            "Tilbud til pårørende med særlig tyngende omsorgsarbeid, som avlastning, omsorgsstønad og "
            "opplæring og veiledning. Pårørende kan kreve vedtak om tiltak som letter omsorgsbyrden."
        ),
        "legal_basis": "helse- og omsorgstjenesteloven § 3-6; pasient- og brukerrettighetsloven § 2-8",
        "legal_url": "https://lovdata.no/lov/2011-06-24-30/§3-6",
        "level": "kommune",
        "lkt_role": "",
        "required": True,
        "sort_order": 110,
    },
    {
        "slug": "habilitering-rehabilitering-kommune",
        "name": "Habilitering og rehabilitering i kommunen",
        "description": (
            "Kommunens tilbud om sosial, psykososial og medisinsk habilitering og rehabilitering, blant annet "
            "fysioterapi, ergoterapi, hverdagsrehabilitering og formidling av hjelpemidler. Tjenesten hjelper "
            "pasienten å oppnå best mulig funksjons- og mestringsevne i hverdagen."
        ),
        "legal_basis": (
            "helse- og omsorgstjenesteloven § 3-2 første ledd nr. 5; "
            "forskrift om habilitering og rehabilitering, individuell plan og koordinator"
        ),
        "legal_url": "https://lovdata.no/lov/2011-06-24-30/§3-2",
        "level": "kommune",
        "lkt_role": "",
        "required": True,
        "sort_order": 120,
    },
    {
        "slug": "psykisk-helse-rus-kommune",
        "name": "Psykisk helse- og rustjeneste i kommunen",
        "description": (
            "Kommunens helse- og omsorgstjenester til personer med psykiske helseproblemer eller "
            "rusmiddelproblemer, for eksempel samtaler, oppfølging i hjemmet, lavterskeltilbud og ambulante "
            "team. Tjenesten er en del av kommunens ordinære ansvar for alle pasient- og brukergrupper."
        ),
        "legal_basis": "helse- og omsorgstjenesteloven § 3-1 andre ledd; helse- og omsorgstjenesteloven § 3-2",
        "legal_url": "https://lovdata.no/lov/2011-06-24-30/§3-1",
        "level": "kommune",
        "lkt_role": "",
        "required": True,
        "sort_order": 130,
    },
    {
        "slug": "kommunepsykolog",
        "name": "Kommunepsykolog (psykologkompetanse i kommunen)",
        "description": (
            "Psykolog som kommunen har knyttet til seg i helse- og omsorgstjenesten. Psykologen kan utrede, "
            "behandle og følge opp pasienter og veilede andre tjenester i kommunen."
        ),
        # Act only: the section/ledd for the psychologist competence requirement was not confirmed.
        "legal_basis": "helse- og omsorgstjenesteloven",
        "legal_url": "https://lovdata.no/dokument/NL/lov/2011-06-24-30",
        "level": "kommune",
        "lkt_role": "",
        "required": True,
        "sort_order": 140,
    },
    {
        "slug": "helsestasjon-skolehelsetjeneste",
        "name": "Helsestasjon og skolehelsetjeneste",
        "description": (
            "Helsefremmende og forebyggende tjenester til barn og unge og deres foreldre, på helsestasjonen "
            "og i skolen. Helsesykepleieren er ofte en viktig samarbeidspartner rundt barn og unge med "
            "langvarige behov."
        ),
        "legal_basis": "helse- og omsorgstjenesteloven § 3-2 første ledd nr. 1 bokstav a og b",
        "legal_url": "https://lovdata.no/lov/2011-06-24-30/§3-2",
        "level": "kommune",
        "lkt_role": "",
        "required": True,
        "sort_order": 150,
    },
    {
        "slug": "barnevernstjeneste",
        "name": "Barnevernstjenesten",
        "description": (
            "Kommunens tjeneste som undersøker barns omsorgssituasjon og setter inn hjelpetiltak eller andre "
            "tiltak når barnet trenger det. Barnevernstjenesten skal samarbeide med andre tjenester og med "
            "barnekoordinator når det er nødvendig for et helhetlig tilbud til barnet."
        ),
        # Act only: the section on the municipality's responsibility was not confirmed.
        "legal_basis": "barnevernsloven",
        "legal_url": "https://lovdata.no/dokument/NL/lov/2021-06-18-97",
        "level": "kommune",
        "lkt_role": "",
        "required": True,
        "sort_order": 160,
    },
    {
        "slug": "boligsosialt-arbeid",
        "name": "Boligkontor / boligsosialt arbeid",
        "description": (
            "Kommunens boligsosiale arbeid, som gir vanskeligstilte på boligmarkedet individuelt tilpasset "
            "bistand til å skaffe seg og beholde en egnet bolig. Kommunen skal fatte enkeltvedtak om "
            "boligsosial bistand når noen ber om det."
        ),
        # The 2022 act (in force 1 July 2023) is cited without section: section not confirmed.
        "legal_basis": "lov om kommunenes ansvar på det boligsosiale feltet; sosialtjenesteloven § 15",
        "legal_url": "https://lovdata.no/dokument/NL/lov/2022-12-20-121",
        "level": "kommune",
        "lkt_role": "",
        "required": True,
        "sort_order": 170,
    },
    {
        "slug": "pedagogisk-psykologisk-tjeneste",
        "name": "Pedagogisk-psykologisk tjeneste (PPT)",
        "description": (
            "Sakkyndig instans for barnehage og skole, som utreder barn og elever med særlige behov og "
            "utarbeider sakkyndige vurderinger. PP-tjenesten hjelper også barnehager og skoler med kompetanse- "
            "og organisasjonsutvikling."
        ),
        # Act only: the section of the 2023 act on PP-tenesta was not confirmed.
        "legal_basis": "opplæringslova",
        "legal_url": "https://lovdata.no/dokument/NL/lov/2023-06-09-30",
        "level": "kommune",
        "lkt_role": "",
        "required": True,
        "sort_order": 180,
    },
    # --- Spesialisthelsetjenesten -------------------------------------------------------
    {
        "slug": "intern-koordinator-spesialisthelsetjenesten",
        "name": "Koordinator i spesialisthelsetjenesten (intern koordinator)",
        "description": (
            "Koordinator som oppnevnes i spesialisthelsetjenesten for pasienter med behov for komplekse eller "
            "langvarige og koordinerte tjenester. Koordinatoren sørger for oppfølging, samordner tjenestene ved "
            "institusjonsopphold og overfor andre tjenesteytere, og sikrer fremdrift i arbeidet med individuell "
            "plan."
        ),
        "legal_basis": "spesialisthelsetjenesteloven § 2-5 a",
        "legal_url": "https://lovdata.no/lov/1999-07-02-61/§2-5a",
        "level": "spesialist",
        "lkt_role": "intern_koordinator",
        "required": False,
        "sort_order": 200,
    },
    {
        "slug": "kontaktlege-kontaktpsykolog",
        "name": "Kontaktlege / kontaktpsykolog",
        "description": (
            "Lege eller psykolog som oppnevnes for pasienter med alvorlig sykdom, skade eller lidelse som "
            "trenger behandling eller oppfølging i spesialisthelsetjenesten over en viss tid. Kontaktlegen er "
            "pasientens faste faglige kontakt i sykehuset eller DPS."
        ),
        "legal_basis": "spesialisthelsetjenesteloven § 2-5 c; pasient- og brukerrettighetsloven § 2-5 a",
        "legal_url": "https://lovdata.no/lov/1999-07-02-61/§2-5c",
        "level": "spesialist",
        "lkt_role": "kontaktlege",
        "required": False,
        "sort_order": 210,
    },
    {
        "slug": "koordinerende-enhet-spesialisthelsetjenesten",
        "name": "Koordinerende enhet i spesialisthelsetjenesten",
        "description": (
            "Helseforetakets kontaktpunkt for habilitering og rehabilitering og for arbeidet med individuell "
            "plan og koordinator i spesialisthelsetjenesten. Enheten hjelper kommunen og fastlegen med å finne "
            "rett kontakt i sykehuset."
        ),
        # Confirmed as § 2-5 b (the coordinator is § 2-5 a).
        "legal_basis": (
            "spesialisthelsetjenesteloven § 2-5 b; "
            "forskrift om habilitering og rehabilitering, individuell plan og koordinator § 11"
        ),
        "legal_url": "https://lovdata.no/lov/1999-07-02-61/§2-5b",
        "level": "spesialist",
        "lkt_role": "",
        "required": False,
        "sort_order": 220,
    },
    {
        "slug": "dps",
        "name": "Distriktspsykiatrisk senter (DPS)",
        "description": (
            "Spesialisert psykisk helsevern for voksne med poliklinikk, ambulante team og døgnbehandling. "
            "DPS samarbeider med fastlegen og kommunens psykisk helse- og rustjeneste om pasienter med "
            "langvarige behov."
        ),
        "legal_basis": "spesialisthelsetjenesteloven § 2-1 a",
        "legal_url": "https://lovdata.no/lov/1999-07-02-61/§2-1a",
        "level": "spesialist",
        "lkt_role": "",
        "required": False,
        "sort_order": 230,
    },
    {
        "slug": "tsb",
        "name": "Tverrfaglig spesialisert rusbehandling (TSB)",
        "description": (
            "Spesialisert behandling for rusmiddelavhengighet, med poliklinikk, døgnbehandling og "
            "legemiddelassistert rehabilitering (LAR). Behandlingen gis i helseforetak eller hos private "
            "institusjoner med avtale."
        ),
        "legal_basis": "spesialisthelsetjenesteloven § 2-1 a",
        "legal_url": "https://lovdata.no/lov/1999-07-02-61/§2-1a",
        "level": "spesialist",
        "lkt_role": "",
        "required": False,
        "sort_order": 240,
    },
    {
        "slug": "akuttmottak-akuttpsykiatri",
        "name": "Akuttmottak og akuttpsykiatri i sykehuset",
        "description": (
            "Sykehusets mottak for øyeblikkelig hjelp ved akutt somatisk sykdom og skade, og det akuttpsykiatriske "
            "tilbudet ved akutt psykisk krise. Ved innleggelse og utskrivning er god informasjon til kommunen, "
            "koordinator og fastlegen avgjørende."
        ),
        "legal_basis": "spesialisthelsetjenesteloven § 2-1 a",
        "legal_url": "https://lovdata.no/lov/1999-07-02-61/§2-1a",
        "level": "spesialist",
        "lkt_role": "",
        "required": False,
        "sort_order": 250,
    },
    {
        "slug": "habiliteringstjenesten-spesialisthelsetjenesten",
        "name": "Habiliteringstjenesten i spesialisthelsetjenesten",
        "description": (
            "Spesialisthelsetjenestens tilbud til barn og voksne med medfødte eller tidlig ervervede "
            "funksjonsnedsettelser. Tjenesten utreder, behandler og veileder både familien og kommunen."
        ),
        "legal_basis": (
            "spesialisthelsetjenesteloven § 2-1 a; "
            "forskrift om habilitering og rehabilitering, individuell plan og koordinator"
        ),
        "legal_url": "https://lovdata.no/lov/1999-07-02-61/§2-1a",
        "level": "spesialist",
        "lkt_role": "",
        "required": False,
        "sort_order": 260,
    },
    # --- Andre aktører -------------------------------------------------------------------
    {
        "slug": "nav-kontor",
        "name": "NAV-kontor",
        "description": (
            "Felles lokalt kontor for Arbeids- og velferdsetaten og kommunen, som gir arbeidsrettet oppfølging, "
            "folketrygdytelser og sosiale tjenester som opplysning, råd og veiledning og økonomisk stønad. "
            "NAV-kontoret samarbeider med andre tjenester og kan utarbeide individuell plan."
        ),
        "legal_basis": "NAV-loven § 13; NAV-loven § 15; sosialtjenesteloven § 17",
        "legal_url": "https://lovdata.no/lov/2006-06-16-20/§13",
        "level": "annet",
        "lkt_role": "",
        "required": True,
        "sort_order": 300,
    },
]
