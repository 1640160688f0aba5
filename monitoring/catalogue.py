"""The national catalogue of common self-monitoring parameters, as the data migration and the seed load it.

Codes: LOINC where LOINC has the measurement (the FHIR vital-signs codes where they exist), a local code where no
national code fits a patient's own 0–10 rating or a per-plan symptom question. Units are UCUM. The limits are what a
device or a scale can show – a value outside them is a typing error – not clinical thresholds.
"""

LOINC = "http://loinc.org"
# Measurements without a national code (mood, craving, a symptom question): the project's own code system.
LOCAL = "urn:lkt:egenmaling"

# slug, name, kind, system, code, display, UCUM unit, unit shown, min, max, decimals
CATALOGUE = [
    ("vekt", "Vekt", "tall", LOINC, "29463-7", "Body weight", "kg", "kg", "2", "400", 1),
    (
        "blodtrykk-systolisk",
        "Blodtrykk, øvre (systolisk)",
        "tall",
        LOINC,
        "8480-6",
        "Systolic blood pressure",
        "mm[Hg]",
        "mmHg",
        "40",
        "300",
        0,
    ),
    (
        "blodtrykk-diastolisk",
        "Blodtrykk, nedre (diastolisk)",
        "tall",
        LOINC,
        "8462-4",
        "Diastolic blood pressure",
        "mm[Hg]",
        "mmHg",
        "20",
        "200",
        0,
    ),
    ("puls", "Puls", "tall", LOINC, "8867-4", "Heart rate", "/min", "slag/min", "20", "250", 0),
    (
        "oksygenmetning",
        "Oksygenmetning",
        "tall",
        LOINC,
        "59408-5",
        "Oxygen saturation in Arterial blood by Pulse oximetry",
        "%",
        "%",
        "50",
        "100",
        0,
    ),
    ("temperatur", "Temperatur", "tall", LOINC, "8310-5", "Body temperature", "Cel", "°C", "30", "45", 1),
    (
        "blodsukker",
        "Blodsukker",
        "tall",
        LOINC,
        "14743-9",
        "Glucose [Moles/volume] in Capillary blood by Glucometer",
        "mmol/L",
        "mmol/l",
        "0.5",
        "40",
        1,
    ),
    ("sovn", "Søvn", "tall", LOINC, "93832-4", "Sleep duration", "h", "timer", "0", "24", 1),
    (
        "stemning",
        "Stemning (0–10)",
        "skala",
        LOCAL,
        "stemning-0-10",
        "Self-rated mood, 0-10",
        "{score}",
        "",
        "0",
        "10",
        0,
    ),
    ("sug", "Sug/craving (0–10)", "skala", LOCAL, "sug-0-10", "Self-rated craving, 0-10", "{score}", "", "0", "10", 0),
    (
        "symptom",
        "Symptomspørsmål (ja/nei)",
        "ja_nei",
        LOCAL,
        "symptom-ja-nei",
        "Symptom question, yes/no",
        "",
        "",
        "0",
        "1",
        0,
    ),
]


def load(parameter_model):
    for order, row in enumerate(CATALOGUE):
        slug, name, kind, system, code, display, unit, unit_label, low, high, decimals = row
        parameter_model.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "code_system": system,
                "code": code,
                "display": display,
                "unit": unit,
                "unit_label": unit_label,
                "min_value": low,
                "max_value": high,
                "decimals": decimals,
                "sort_order": (order + 1) * 10,
            },
        )
