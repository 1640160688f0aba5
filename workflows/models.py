"""Data of one patient's care-community process (aktørfellesskap) and its audit trail.

The Viewflow process row (:class:`CareProcess`) carries the patient and the
state that decides who may see it; the steps' answers live in their own models
so each can be kept, versioned or cleared on its own terms (consent refusal
keeps the minimum, plan versions are never overwritten, audit rows never change).
"""

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from core.append_only import AppendOnlyModel
from core.dates import add_months
from core.uploads import check_upload_size
from core.vocabulary import LKT_ROLE_CHOICES, LKT_ROLES, Role
from directory.models import ActorPage, Municipality, PostalCode

from .national_id import validate_national_id
from .querysets import AuditQuerySet, CareProcessQuerySet, PlanVersionQuerySet, TeamMemberQuerySet

UPLOAD_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]
# The patient confirms each plan version beside the four LKT roles.
PATIENT = "pasient"
APPROVER_CHOICES = [*LKT_ROLE_CHOICES, (PATIENT, _("Pasienten"))]


class AreaOfNeed(models.TextChoices):
    SOMATIC = "somatisk", _("Somatisk helse")
    MENTAL = "psykisk", _("Psykisk helse")
    SUBSTANCE = "rus", _("Rus")
    OTHER = "annet", _("Annet")


class CoordinatingUnit(models.Model):
    """Ties a municipality's coordinating unit (koordinerende enhet) to the staff group that acts for it.

    Members of the group register needs for patients of that municipality and
    can see every process there; nobody else sees a process unless they are on its team.
    """

    municipality = models.OneToOneField(
        Municipality, on_delete=models.PROTECT, related_name="coordinating_unit", verbose_name=_("kommune")
    )
    group = models.OneToOneField(
        "auth.Group", on_delete=models.PROTECT, related_name="coordinating_unit", verbose_name=_("gruppe")
    )

    class Meta:
        verbose_name = _("koordinerende enhet")
        verbose_name_plural = _("koordinerende enheter")

    def __str__(self):
        return str(self.group)


class CareProcess(Process):
    """One patient's LKT process: from the registered need through consent, plan and years of evaluation."""

    class Stage(models.TextChoices):
        REGISTERED = "registrert", _("Registrert, venter på samtykke")
        REFUSED = "avslatt", _("Samtykke ikke gitt")
        MAPPING = "kartlegging", _("Kartlegging")
        PLANNING = "planlegging", _("Plan under arbeid")
        APPROVAL = "godkjenning", _("Plan til godkjenning")
        ACTIVE = "aktiv", _("Aktiv plan")
        EVALUATION = "evaluering", _("Evaluering")
        CLOSED = "avsluttet", _("Avsluttet")
        WITHDRAWN = "trukket", _("Samtykke trukket tilbake")

    patient_name = models.CharField(_("pasientens navn"), max_length=200)
    national_id = models.CharField(_("fødselsnummer eller D-nummer"), max_length=11, validators=[validate_national_id])
    address = models.CharField(_("bostedsadresse"), max_length=255, blank=True)
    postal_code = models.ForeignKey(
        PostalCode, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("postnummer")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="care_processes", verbose_name=_("kommune")
    )
    areas_of_need = models.JSONField(_("behovsområder"), default=list)
    need_description = models.TextField(_("beskrivelse av behovet"), blank=True)
    referred_by = models.CharField(_("henvist av"), max_length=255, blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coordinated_processes",
        verbose_name=_("koordinator"),
    )
    stage = models.CharField(_("fase"), max_length=20, choices=Stage.choices, default=Stage.REGISTERED)
    evaluation_interval_months = models.PositiveSmallIntegerField(_("evalueringsintervall (måneder)"), default=6)
    next_evaluation = models.DateField(_("neste evaluering"), null=True, blank=True)
    # Until when the patient's consent lets named actors in the team see the process (None: it does not).
    shared_until = models.DateField(_("deling med aktørene til og med"), null=True, blank=True)

    objects = CareProcessQuerySet.as_manager()

    # A process in one of these stages is over; any other is open, and a person has at most one open process.
    CLOSED_STAGES = (Stage.REFUSED, Stage.CLOSED, Stage.WITHDRAWN)

    class Meta:
        verbose_name = _("pasientforløp")
        verbose_name_plural = _("pasientforløp")
        permissions = [("view_audit", _("Kan lese revisjonslogg for pasientforløp"))]
        constraints = [
            # Two registrations of one person at the same instant (a double click) cannot both land: the second
            # insert waits for the first and then fails here; the form says which process is open. (The values
            # of CLOSED_STAGES: Meta cannot see the Stage class.)
            models.UniqueConstraint(
                fields=["national_id"],
                condition=~models.Q(stage__in=["avslatt", "avsluttet", "trukket"]),
                name="one_open_process_per_person",
            )
        ]
        indexes = [
            # A team member's need-to-know (``CareProcessQuerySet.visible_to``): the processes whose consent still
            # shares them with the team, answered from the index alone. Without it, counting a GP's 5,000 processes
            # (the process list's paginator) read every one of their rows, or all 50,000 (12 ms; 3 ms with it,
            # bench/README.md). ``NOT (stage = 'trukket')`` is the condition ``visible_to`` writes, so the planner
            # matches it.
            models.Index(
                fields=["process_ptr", "shared_until"],
                condition=~models.Q(stage="trukket"),
                name="process_shared_with_team",
            )
        ]

    def __str__(self):
        return _("Forløp %(pk)s") % {"pk": self.pk}

    @property
    def is_open(self):
        return self.stage not in self.CLOSED_STAGES

    def shares_with_team(self, today=None):
        """Whether the consent covers sharing with the named actors today (and has not been withdrawn)."""
        if self.stage == self.Stage.WITHDRAWN or self.shared_until is None:
            return False
        return self.shared_until >= (today or timezone.localdate())

    def owner_for(self, approver):
        """Who answers an approval: a member with an account answers for themselves, where the consent lets them
        see the process; for the others, and for the patient, the coordinator records the answer."""
        if approver != PATIENT and self.shares_with_team():
            member = self.team.active().filter(role=approver).select_related("user").first()
            if member is not None and member.user is not None and member.user.is_active:
                return member.user
        return self.coordinator

    def evaluation_due_at(self):
        """When the evaluation timer fires: the morning of the next evaluation date."""
        due = self.next_evaluation or add_months(timezone.localdate(), self.evaluation_interval_months)
        return timezone.make_aware(datetime.datetime.combine(due, datetime.time(6, 0)))

    def changes_requested(self):
        """Whether anyone asked for changes to the version now under approval (earlier rounds do not count)."""
        plan = self.plan_versions.under_approval()
        return plan is not None and plan.answers.filter(decision=ApprovalAnswer.Decision.CHANGES).exists()

    def area_labels(self):
        labels = dict(AreaOfNeed.choices)
        return [labels.get(area, area) for area in self.areas_of_need]


class TeamMember(models.Model):
    """A person in the patient's actor community, whether or not they have a user account here.

    Members with an account get tasks and may see the process; the rest are
    contacts whose answers the coordinator records on their behalf.
    """

    process = models.ForeignKey(CareProcess, on_delete=models.CASCADE, related_name="team")
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    name = models.CharField(_("navn"), max_length=200)
    organisation = models.CharField(_("virksomhet/tjeneste"), max_length=200, blank=True)
    relation = models.CharField(_("relasjon til pasienten"), max_length=100, blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    actor = models.ForeignKey(
        ActorPage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("aktør")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="care_memberships",
        verbose_name=_("brukerkonto"),
    )
    active = models.BooleanField(_("aktiv"), default=True)

    objects = TeamMemberQuerySet.as_manager()

    class Meta:
        ordering = ["process", "role", "name"]
        verbose_name = _("medlem av aktørfellesskapet")
        verbose_name_plural = _("medlemmer av aktørfellesskapet")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "role"],
                condition=models.Q(active=True, role__in=[role.value for role in LKT_ROLES]),
                name="one_active_member_per_mandatory_role",
            )
        ]
        indexes = [
            # The need-to-know rule's team half: a user's active memberships, answered from the index alone.
            models.Index(fields=["user", "process"], condition=models.Q(active=True), name="team_active_by_user"),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


def private_storage():
    return storages["private"]


def consent_document_path(instance, filename):
    """A random name in the private storage: the uploaded file's own name may carry the patient's name."""
    extension = PurePath(filename).suffix.lower()
    if extension.lstrip(".") not in UPLOAD_EXTENSIONS:
        extension = ""
    return f"samtykke/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"


def validate_upload_size(upload):
    check_upload_size(upload, settings.LKT_UPLOAD_MAX_BYTES)


class Consent(models.Model):
    """The patient's consent (samtykke) to forming the community and sharing information, or its refusal.

    Kept as a row per decision so a withdrawal later is recorded next to what was given.
    """

    class GivenBy(models.TextChoices):
        PATIENT = "pasient", _("Pasienten selv")
        GUARDIAN = "verge", _("Verge eller foresatt")

    class Method(models.TextChoices):
        FORM = "skjema", _("Signert skjema (lastet opp)")
        VERBAL = "muntlig", _("Muntlig, med vitne")
        DIGITAL = "digitalt", _("Digitalt")

    process = models.ForeignKey(CareProcess, on_delete=models.CASCADE, related_name="consents")
    granted = models.BooleanField(_("samtykke gitt"))
    given_by = models.CharField(_("gitt av"), max_length=10, choices=GivenBy.choices, default=GivenBy.PATIENT)
    guardian_name = models.CharField(_("vergens navn"), max_length=200, blank=True)
    guardian_relation = models.CharField(_("vergens relasjon"), max_length=100, blank=True)
    given_at = models.DateField(_("dato"))
    method = models.CharField(_("hvordan"), max_length=10, choices=Method.choices, blank=True)
    witness = models.CharField(_("vitne"), max_length=200, blank=True)
    document = models.FileField(
        _("signert skjema"),
        upload_to=consent_document_path,
        storage=private_storage,
        blank=True,
        validators=[FileExtensionValidator(UPLOAD_EXTENSIONS), validate_upload_size],
    )
    covers_community = models.BooleanField(_("omfatter å opprette aktørfellesskap"), default=False)
    covers_sharing = models.BooleanField(_("omfatter deling av opplysninger med navngitte aktører"), default=False)
    valid_until = models.DateField(_("gyldig til"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = models.TextField(_("merknad om tilbaketrekking"), blank=True)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("samtykke")
        verbose_name_plural = _("samtykker")

    def __str__(self):
        return _("Samtykke %(date)s") % {"date": self.given_at}

    def sharing_until(self):
        """The last day this consent lets named actors see the patient's information (None: not at all)."""
        if not (self.granted and self.covers_sharing) or self.withdrawn_at is not None:
            return None
        return self.valid_until or datetime.date.max


class GoodDay(models.Model):
    """Min gode dag: the patient's own story and where they stand on illness versus ability to cope."""

    class Level(models.TextChoices):
        LOW = "lav", _("Lav")
        HIGH = "hoy", _("Høy")

    process = models.OneToOneField(CareProcess, on_delete=models.CASCADE, related_name="good_day")
    good_day = models.TextField(_("en god dag"))
    bad_day = models.TextField(_("en dårlig dag"))
    what_matters = models.TextField(_("det viktigste for meg"))
    life_before = models.TextField(_("livet før"), blank=True)
    life_now = models.TextField(_("livet nå"), blank=True)
    challenges = models.TextField(_("avklarte utfordringer"))
    severity = models.CharField(_("alvorlighetsgrad av sykdom"), max_length=3, choices=Level.choices)
    ability = models.CharField(_("evne til å mestre"), max_length=3, choices=Level.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("min gode dag")
        verbose_name_plural = _("min gode dag")

    def __str__(self):
        return _("Min gode dag for forløp %(pk)s") % {"pk": self.process_id}

    @property
    def quadrant(self):
        """The matrix cell, phrased as the 2014 report's four patient groups."""
        return {
            ("lav", "hoy"): _("Lav sykdomsgrad, god mestring"),
            ("lav", "lav"): _("Lav sykdomsgrad, svak mestring"),
            ("hoy", "hoy"): _("Høy sykdomsgrad, god mestring"),
            ("hoy", "lav"): _("Høy sykdomsgrad, svak mestring"),
        }.get((self.severity, self.ability), "")


class PlanVersion(models.Model):
    """One version of the plan for cooperation (plan for samarbeid).

    Versions are appended, never edited after they are submitted.
    """

    class Status(models.TextChoices):
        DRAFT = "utkast", _("Utkast")
        SUBMITTED = "til_godkjenning", _("Til godkjenning")
        CHANGES = "endringer", _("Endringer ønsket")
        APPROVED = "godkjent", _("Godkjent")
        SUPERSEDED = "erstattet", _("Erstattet")
        STOPPED = "stoppet", _("Stoppet (samtykke trukket tilbake)")

    process = models.ForeignKey(CareProcess, on_delete=models.CASCADE, related_name="plan_versions")
    number = models.PositiveIntegerField(_("versjon"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    goals = models.JSONField(_("mål"), default=list)
    measures = models.JSONField(_("tiltak"), default=list)
    triggers = models.JSONField(_("varsellamper og avtalt respons"), default=list)
    meetings = models.TextField(_("møter"), blank=True)
    reporting = models.TextField(_("rapporteringsrutiner"), blank=True)
    evaluation_interval_months = models.PositiveSmallIntegerField(_("evalueringsintervall (måneder)"), default=6)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        ordering = ["process", "-number"]
        constraints = [models.UniqueConstraint(fields=["process", "number"], name="unique_plan_version")]
        verbose_name = _("planversjon")
        verbose_name_plural = _("planversjoner")

    def __str__(self):
        return _("Plan versjon %(number)s") % {"number": self.number}


class ApprovalAnswer(models.Model):
    """One mandatory role's (or the patient's) answer to one plan version."""

    class Decision(models.TextChoices):
        APPROVED = "godkjent", _("Godkjent")
        CHANGES = "endringer", _("Ber om endringer")

    plan = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="answers")
    role = models.CharField(_("rolle"), max_length=20, choices=APPROVER_CHOICES)
    member = models.ForeignKey(TeamMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decision = models.CharField(_("svar"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("kommentar"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on_behalf = models.BooleanField(_("registrert på vegne av"), default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "role"]
        constraints = [models.UniqueConstraint(fields=["plan", "role"], name="one_answer_per_role_and_plan")]
        verbose_name = _("godkjenningssvar")
        verbose_name_plural = _("godkjenningssvar")

    def __str__(self):
        return f"{self.role}: {self.get_decision_display()}"


class Evaluation(models.Model):
    """A plan–do–study–act evaluation of the active plan, and what the community decided to do next."""

    class Outcome(models.TextChoices):
        CONTINUE = "fortsett", _("Fortsett med planen")
        REVISE = "revider", _("Revider planen")
        CLOSE = "avslutt", _("Avslutt forløpet")

    process = models.ForeignKey(CareProcess, on_delete=models.CASCADE, related_name="evaluations")
    plan = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="evaluations")
    per_goal = models.JSONField(_("per mål"), default=list)
    outcome = models.CharField(_("beslutning"), max_length=10, choices=Outcome.choices)
    summary = models.TextField(_("oppsummering"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("evaluering")
        verbose_name_plural = _("evalueringer")

    def __str__(self):
        return _("Evaluering %(date)s") % {"date": self.created_at}


class AuditEntry(AppendOnlyModel):
    """Who saw or changed which patient's data, when. Append-only: the model refuses updates and deletes,
    and on PostgreSQL a trigger refuses them too, so not even a staff shell can rewrite history."""

    class Action(models.TextChoices):
        VIEW = "vis", _("Visning")
        CHANGE = "endring", _("Endring")
        CREATE = "opprettet", _("Opprettet")
        DOWNLOAD = "nedlasting", _("Nedlasting")
        LIST = "liste", _("Liste")
        WITHDRAW = "tilbaketrukket", _("Samtykke trukket")
        HANDOVER = "overlevering", _("Koordinator byttet")
        DENIED = "avvist", _("Avvist tilgang")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    process = models.ForeignKey(
        CareProcess, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_entries"
    )
    action = models.CharField(_("handling"), max_length=20, choices=Action.choices)
    what = models.CharField(_("hva"), max_length=255)
    # The process number asked for in a refused access: kept even when no such process exists.
    requested_process_id = models.PositiveBigIntegerField(_("forespurt forløp"), null=True, blank=True)

    objects = AuditQuerySet.as_manager()
    trail_name = _("Revisjonsloggen")

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["process", "-at"], name="audit_process_at")]
        verbose_name = _("revisjonslogg")
        verbose_name_plural = _("revisjonslogg")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.what}"
