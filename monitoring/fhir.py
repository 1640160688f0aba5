"""A report as a FHIR R4 Observation (a plain dict): the export the reports are stored ready for.

Codes and units come from the report row, frozen when it was stored. The patient is identified by fødselsnummer or
D-nummer with HL7 Norway's identifier systems; a value registered by a team member on the patient's behalf names
that person as performer, a value the patient reported names the patient.
"""

from .catalogue import LOCAL

FNR = "urn:oid:2.16.578.1.12.4.1.4.1"
DNR = "urn:oid:2.16.578.1.12.4.1.4.2"
UCUM = "http://unitsofmeasure.org"
CATEGORIES = "http://terminology.hl7.org/CodeSystem/observation-category"
ZONES = {"gronn": "green", "gul": "yellow", "rod": "red"}


def patient_identifier(national_id):
    # A D-number's first digit is the day's first digit plus 4.
    system = DNR if national_id[:1] in "4567" else FNR
    return {"system": system, "value": national_id}


def observation(report):
    process = report.process
    subject = {"identifier": patient_identifier(process.national_id)}
    if report.on_behalf:
        performer = {"display": report.recorded_by.get_full_name() or report.recorded_by.get_username()}
    else:
        performer = subject
    resource = {
        "resourceType": "Observation",
        "id": str(report.uuid),
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": CATEGORIES,
                        "code": "survey" if report.code_system == LOCAL else "vital-signs",
                    }
                ]
            }
        ],
        "code": {"coding": [{"system": report.code_system, "code": report.code, "display": report.display}]},
        "subject": subject,
        "effectiveDateTime": report.effective_at.isoformat(),
        "issued": report.recorded_at.isoformat(),
        "performer": [performer],
        "interpretation": [{"coding": [{"system": LOCAL + ":sone", "code": ZONES[report.zone]}]}],
    }
    if report.series.parameter.is_yes_no:
        resource["valueBoolean"] = report.value >= 1
        resource["code"]["text"] = report.series.question
    else:
        number = float(report.value)
        resource["valueQuantity"] = {"value": number, "unit": report.unit, "system": UCUM, "code": report.unit}
    return resource
