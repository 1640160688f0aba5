"""Second-factor enrolment grants and the security trail of sign-ins."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.append_only import AppendOnlyModel, AppendOnlyQuerySet


def hash_code(code):
    return hashlib.sha256(code.encode()).hexdigest()


class EnrolmentGrantQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())

    def expired(self):
        return self.filter(expires_at__lte=timezone.now())


class EnrolmentGrant(models.Model):
    """Permission to attach a second factor to an account, given by something a password thief does not have.

    A grant is issued by an administrator (a code read out or handed over) or sent to the user's registered
    e-mail address (a link), or made for a user who has just re-entered their password in a session already
    verified by a second factor. Only a hash of the code is kept. A grant is redeemed once, into one session,
    and carries that attempt's own authenticator secret until it is confirmed, revoked or expires.
    """

    class Channel(models.TextChoices):
        EMAIL = "epost", _("Lenke sendt på e-post")
        ADMIN = "administrator", _("Kode fra administrator")
        REAUTHENTICATED = "passord", _("Passord bekreftet i verifisert økt")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_grants")
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices)
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    redeemed_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    device = models.OneToOneField(
        "otp_totp.TOTPDevice", on_delete=models.SET_NULL, null=True, blank=True, related_name="enrolment_grant"
    )

    objects = EnrolmentGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("oppsettkode for to-faktor")
        verbose_name_plural = _("oppsettkoder for to-faktor")

    def __str__(self):
        return f"{self.user_id}: {self.get_channel_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self):
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class SecurityEvent(AppendOnlyModel):
    """One sign-in or second-factor event: who, when, from where – never a password, a code or a secret.

    Append-only like the patient audit trail: the model refuses updates and deletes, and the production
    database role may only insert and read (see docs/security.md).
    """

    class Kind(models.TextChoices):
        LOGIN = "innlogging", _("Innlogget med passord")
        LOGIN_FAILED = "innlogging_feilet", _("Mislykket innlogging")
        LOCKED_OUT = "sperret", _("Sperret etter for mange forsøk")
        LOGOUT = "utlogging", _("Logget ut")
        SESSION_EXPIRED = "okt_utlopt", _("Økten nådde største levetid")
        OTP_VERIFIED = "to_faktor", _("Bekreftet med to-faktor")
        OTP_FAILED = "to_faktor_feilet", _("Feil engangskode")
        PASSWORD_CONFIRMED = "passord_bekreftet", _("Passord bekreftet på nytt")
        ENROLMENT_ISSUED = "oppsett_utstedt", _("Oppsettkode utstedt")
        ENROLMENT_REDEEMED = "oppsett_innlost", _("Oppsettkode tatt i bruk")
        ENROLMENT_REFUSED = "oppsett_avvist", _("Ugyldig oppsettkode")
        DEVICE_ADDED = "enhet_lagt_til", _("Enhet lagt til")
        DEVICE_REMOVED = "enhet_fjernet", _("Enhet fjernet")
        BACKUP_CODES_RENEWED = "reservekoder", _("Nye reservekoder")
        SECOND_FACTOR_RESET = "to_faktor_nullstilt", _("To-faktor nullstilt av administrator")

    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("hendelse"), max_length=30, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="security_events",
        verbose_name=_("bruker"),
    )
    username = models.CharField(_("brukernavn oppgitt"), max_length=150, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utført av"),
    )
    ip_address = models.GenericIPAddressField(_("IP-adresse"), null=True, blank=True)
    user_agent = models.CharField(_("nettleser"), max_length=200, blank=True)
    detail = models.CharField(_("detaljer"), max_length=200, blank=True)

    objects = AppendOnlyQuerySet.as_manager()
    trail_name = _("Sikkerhetsloggen")

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="security_event_user_at")]
        verbose_name = _("sikkerhetshendelse")
        verbose_name_plural = _("sikkerhetslogg")
        permissions = [
            ("view_security_trail", _("Kan lese sikkerhetsloggen")),
            ("manage_second_factor", _("Kan nullstille to-faktor og utstede oppsettkoder for andre")),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.username}"
