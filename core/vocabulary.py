"""Words the directory, the pathways and the care process share, so that each is spelled once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Who a person is in a patient's actor community (aktørfellesskap).

    The first four are the LKT roles every community must fill (LKT framework 2020, element b): the directory
    says which actor type fills each, pathways name them as responsible, and the care process has each of them
    approve the plan. The last two are everyone else a community may include.
    """

    COORDINATOR = "koordinator", _("Koordinator (kommunen)")
    GP = "fastlege", _("Fastlege")
    CONTACT_DOCTOR = "kontaktlege", _("Kontaktlege i spesialisthelsetjenesten")
    INTERNAL_COORDINATOR = "intern_koordinator", _("Intern koordinator i spesialisthelsetjenesten")
    ACTOR = "aktor", _("Annen aktør")
    NEXT_OF_KIN = "parorende", _("Pårørende")


LKT_ROLES = (Role.COORDINATOR, Role.GP, Role.CONTACT_DOCTOR, Role.INTERNAL_COORDINATOR)
LKT_ROLE_CHOICES = [(role.value, role.label) for role in LKT_ROLES]
