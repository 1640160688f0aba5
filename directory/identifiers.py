"""The national identifiers an actor carries: organisation number, HER-id and RESH-id.

They are what a FHIR export and a later sync with the national address register key on, so a wrong number
is refused when it is typed, not discovered when a message goes astray. The identifier systems are those of
HL7 Norway's no-basis profiles.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.digits import to_ascii_digits

ORG_NUMBER_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.101"
RESH_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.102"
HER_SYSTEM = "urn:oid:2.16.578.1.12.4.1.2"

ORG_NUMBER_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
_SEPARATORS = re.compile(r"[\s.\-\u00a0]")


def normalise(value):
    """The digits of an identifier as typed with spaces, dots or dashes («974 760 673» → «974760673»)."""
    return _SEPARATORS.sub("", to_ascii_digits(value or ""))


def org_number_check_digit(first_eight):
    """The mod-11 check digit of an organisation number's first eight digits, or None if there is none."""
    remainder = sum(int(d) * w for d, w in zip(first_eight, ORG_NUMBER_WEIGHTS, strict=True)) % 11
    check = (11 - remainder) % 11
    return None if check == 10 else check


def validate_org_number(value):
    if not re.fullmatch(r"[0-9]{9}", value or ""):
        raise ValidationError(
            _("Et organisasjonsnummer har ni sifre, for eksempel 974 760 673."), code="org_number_format"
        )
    if org_number_check_digit(value[:8]) != int(value[8]):
        raise ValidationError(
            _("%(value)s er ikke et gyldig organisasjonsnummer (kontrollsifferet stemmer ikke). Sjekk sifrene."),
            code="org_number_check",
            params={"value": value},
        )


def validate_her_id(value):
    if not re.fullmatch(r"[1-9][0-9]{0,8}", value or ""):
        raise ValidationError(_("En HER-id er et tall med opptil ni sifre, for eksempel 8142519."), code="her_id")


def validate_resh_id(value):
    if not re.fullmatch(r"[1-9][0-9]{0,8}", value or ""):
        raise ValidationError(_("En RESH-id er et tall med opptil ni sifre, for eksempel 100320."), code="resh_id")


class IdentifierField(models.CharField):
    """A number typed by people: spaces, dots and dashes between the digits are dropped before it is checked."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalise(value) if value else value


class IdentifiedMixin(models.Model):
    """Organisation number, HER-id and RESH-id, for actors and health trusts alike."""

    org_number = IdentifierField(
        _("organisasjonsnummer"),
        max_length=9,
        blank=True,
        validators=[validate_org_number],
        help_text=_("Ni sifre fra Enhetsregisteret (Brønnøysund)."),
    )
    her_id = IdentifierField(
        _("HER-id"),
        max_length=9,
        blank=True,
        validators=[validate_her_id],
        help_text=_("Enhetens id i Adresseregisteret (Norsk helsenett), for elektroniske meldinger."),
    )
    resh_id = IdentifierField(
        _("RESH-id"),
        max_length=9,
        blank=True,
        validators=[validate_resh_id],
        help_text=_("Enhetens id i Register for enheter i spesialisthelsetjenesten."),
    )

    class Meta:
        abstract = True

    @property
    def identifiers(self):
        """``[(system, value)]`` as a FHIR ``Organization.identifier`` would carry them."""
        pairs = ((ORG_NUMBER_SYSTEM, self.org_number), (HER_SYSTEM, self.her_id), (RESH_SYSTEM, self.resh_id))
        return [(system, value) for system, value in pairs if value]
