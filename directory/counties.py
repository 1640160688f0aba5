"""County (fylke) names by the first two digits of a municipality number, 2024 structure."""

COUNTIES = {
    "03": "Oslo",
    "11": "Rogaland",
    "15": "Møre og Romsdal",
    "18": "Nordland",
    "21": "Svalbard",
    "22": "Jan Mayen",
    "31": "Østfold",
    "32": "Akershus",
    "33": "Buskerud",
    "34": "Innlandet",
    "39": "Vestfold",
    "40": "Telemark",
    "42": "Agder",
    "46": "Vestland",
    "50": "Trøndelag",
    "55": "Troms",
    "56": "Finnmark",
}

# Svalbard and Jan Mayen carry municipality numbers in Bring's register but are
# not municipalities of the mainland structure.
NON_MAINLAND_NUMBERS = {"2100", "2211"}


def county_name(municipality_number):
    return COUNTIES.get(municipality_number[:2], "")
