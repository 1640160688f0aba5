"""The people who use Min side, what a patient lets their next of kin see, and messages to the coordinator."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.models import CareProcess
from workflows.national_id import validate_national_id


class Citizen(models.Model):
    """A person who logs in with ID-porten – a patient, a next of kin or both – known by the ``pid`` in the id_token.

    It exists so that a citizen's session, answers and audit entries have a Django user to hang on (the care process's
    trail, consent and approval rows all name a user), while the user itself can never be staff: no password, no
    group, no permission, and a session that counts only under /min-side/ (``patients.middleware``). The pid is the
    key; the user's username is random, so no log or admin list shows the number.
    """

    pid = models.CharField(
        _("fødselsnummer eller D-nummer"), max_length=11, unique=True, validators=[validate_national_id]
    )
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="citizen")
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)
    last_acr = models.CharField(_("sikkerhetsnivå ved siste innlogging"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("innbygger")
        verbose_name_plural = _("innbyggere")

    def __str__(self):
        return _("Innbygger %(pk)s") % {"pk": self.pk}


class NextOfKinGrantQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class NextOfKinGrant(models.Model):
    """A patient's permission for one named person (by fødselsnummer) to read Min plan and Mitt team of one process.

    Kept as a row per grant – revoked, never deleted – so the patient and an auditor can see who had access when. The
    person sees it only while the grant stands and the patient's consent stands (``patients.access``).
    """

    process = models.ForeignKey(CareProcess, on_delete=models.CASCADE, related_name="next_of_kin_grants")
    pid = models.CharField(_("fødselsnummer"), max_length=11, validators=[validate_national_id])
    name = models.CharField(_("navn"), max_length=200)
    relation = models.CharField(_("relasjon"), max_length=100, blank=True)
    granted_by = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="grants_given")
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = NextOfKinGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("innsyn for pårørende")
        verbose_name_plural = _("innsyn for pårørende")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "pid"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_grant_per_person",
            )
        ]
        indexes = [models.Index(fields=["pid"], name="next_of_kin_pid")]

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        return self.revoked_at is None


class PatientMessageQuerySet(models.QuerySet):
    def open(self):
        return self.filter(answered_at__isnull=True)


class PatientMessage(models.Model):
    """A short message or a report of change from the patient, waiting in the coordinator's inbox until answered.

    A task of its own rather than a Viewflow flow: it belongs to one care process (its need-to-know is that process's),
    needs no steps, and must not appear in lists that show tasks across patients. The e-mail that tells the coordinator
    carries only a link; the text stays here.
    """

    class Kind(models.TextChoices):
        MESSAGE = "melding", _("Melding")
        CHANGE = "endring", _("Melding om endring i situasjonen min")
        GOOD_DAY = "min-gode-dag", _("Forslag til endring i Min gode dag")

    # The public id in URLs: a message's number says nothing about how many others there are.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey(CareProcess, on_delete=models.CASCADE, related_name="patient_messages")
    author = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="messages")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.MESSAGE)
    text = models.TextField(_("melding"), max_length=2000)
    sent_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("svar"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = PatientMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("melding fra pasient")
        verbose_name_plural = _("meldinger fra pasienter")
        indexes = [models.Index(fields=["process", "-sent_at"], name="patient_message_process")]

    def __str__(self):
        return _("Melding %(pk)s") % {"pk": self.pk}
