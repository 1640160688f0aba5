"""The level an actor type belongs to: it groups an actor map and sets each actor's heading there."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    MUNICIPAL = "kommune", _("Kommunal tjeneste")
    SPECIALIST = "spesialist", _("Spesialisthelsetjenesten")
    OTHER = "annet", _("Annen aktør (for eksempel NAV)")
