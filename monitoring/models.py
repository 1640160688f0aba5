"""Self-monitoring agreed in the plan: what is measured, the zones per patient, the reports and the alerts.

The catalogue (:class:`Parameter`) says what can be measured and how it is coded; a :class:`Series` is one thing a
patient measures over time (it outlives plan versions, so a chart runs across them); a :class:`PlanParameter` binds
a series to one plan version with that version's thresholds and agreed actions, so a value is always judged against
the version active when it was reported. Reports keep the code, unit and zone they were given, ready to export as
FHIR Observations. An :class:`Alert` is a Viewflow process of its own (``monitoring.flows.AlertFlow``).
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin
from wagtail.search import index

from core.vocabulary import Role
from workflows.models import CareProcess, PlanVersion, TeamMember

from .blocks import TemplateParameterBlock
from .catalogue import LOCAL, LOINC

SNOMED = "http://snomed.info/sct"


class Zone(models.TextChoices):
    GREEN = "gronn", _("Grønn")
    YELLOW = "gul", _("Gul")
    RED = "rod", _("Rød")


ZONE_RANK = {Zone.GREEN: 0, Zone.YELLOW: 1, Zone.RED: 2}


class Frequency(models.TextChoices):
    DAILY = "daglig", _("Daglig")
    WEEKLY = "ukentlig", _("Ukentlig")
    ON_SYMPTOMS = "ved_symptomer", _("Ved symptomer")


# How long a period each frequency means for a missed report; «on symptoms» is never missed.
FREQUENCY_HOURS = {Frequency.DAILY: 24, Frequency.WEEKLY: 24 * 7}


class Parameter(index.Indexed, models.Model):
    """One kind of measurement in the national catalogue (weight, pulse, mood 0–10 …), with its code and unit.

    Exists so that every plan, template and report names a measurement the same way, with a LOINC or SNOMED CT
    code where one exists and a UCUM unit – what a FHIR Observation needs – and with the physiological limits
    outside which a typed value must be a typing error (these are plausibility limits, not clinical thresholds).
    """

    class Kind(models.TextChoices):
        NUMBER = "tall", _("Tall")
        SCALE = "skala", _("Skala 0–10")
        YES_NO = "ja_nei", _("Ja/nei")

    class System(models.TextChoices):
        LOINC = LOINC, "LOINC"
        SNOMED = SNOMED, "SNOMED CT"
        LOCAL = LOCAL, _("Lokal kode (ingen nasjonal kode finnes)")

    slug = models.SlugField(_("kode i LKT"), max_length=60, unique=True)
    name = models.CharField(_("navn"), max_length=120)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    code_system = models.CharField(_("kodeverk"), max_length=40, choices=System.choices)
    code = models.CharField(_("kode"), max_length=40)
    display = models.CharField(_("kodens visningsnavn"), max_length=200)
    unit = models.CharField(_("enhet (UCUM)"), max_length=20, blank=True)
    unit_label = models.CharField(_("enhet slik pasienten ser den"), max_length=20, blank=True)
    min_value = models.DecimalField(_("laveste mulige verdi"), max_digits=7, decimal_places=2)
    max_value = models.DecimalField(_("høyeste mulige verdi"), max_digits=7, decimal_places=2)
    decimals = models.PositiveSmallIntegerField(_("desimaler"), default=0)
    sort_order = models.PositiveSmallIntegerField(_("rekkefølge"), default=100)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("code_system"),
        FieldPanel("code"),
        FieldPanel("display"),
        FieldPanel("unit"),
        FieldPanel("unit_label"),
        FieldPanel("min_value"),
        FieldPanel("max_value"),
        FieldPanel("decimals"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("måleparameter")
        verbose_name_plural = _("måleparametere")

    def __str__(self):
        return f"{self.name} ({self.unit_label})" if self.unit_label else self.name

    @property
    def is_yes_no(self):
        return self.kind == self.Kind.YES_NO


class Series(models.Model):
    """One thing one patient measures over time, across plan versions; it carries the latest value and zone.

    Exists so that a chart and a missed-report check follow «weight» for a patient through every plan version,
    and so that the coordinator's overview reads the current zone without touching the reports.
    """

    process = models.ForeignKey(CareProcess, on_delete=models.CASCADE, related_name="monitoring_series")
    parameter = models.ForeignKey(Parameter, on_delete=models.PROTECT, related_name="+")
    question = models.CharField(_("spørsmål"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    latest_at = models.DateTimeField(null=True, blank=True)
    latest_value = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    latest_zone = models.CharField(max_length=10, choices=Zone.choices, blank=True)

    class Meta:
        verbose_name = _("måleserie")
        verbose_name_plural = _("måleserier")

    def __str__(self):
        return self.question or self.parameter.name

    @property
    def label(self):
        return self.question or self.parameter.name


class PlanParameter(models.Model):
    """A series as one plan version agreed it: how often, the thresholds per zone, what the patient does, the
    team's response and who takes over.

    Frozen with its plan version (a new draft copies the rows), so a report is judged against the version that was
    active when it came in. Green is everything outside the yellow and red thresholds.
    """

    plan = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="monitoring_parameters")
    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="plan_parameters")
    frequency = models.CharField(_("hvor ofte"), max_length=20, choices=Frequency.choices)
    tolerance_hours = models.PositiveSmallIntegerField(
        _("slingringsmonn (timer)"),
        default=12,
        help_text=_("Hvor lenge etter avtalt tid en måling kan komme før pasienten får en påminnelse."),
    )
    red_below = models.DecimalField(_("rød under"), max_digits=7, decimal_places=2, null=True, blank=True)
    yellow_below = models.DecimalField(_("gul under"), max_digits=7, decimal_places=2, null=True, blank=True)
    yellow_above = models.DecimalField(_("gul over"), max_digits=7, decimal_places=2, null=True, blank=True)
    red_above = models.DecimalField(_("rød over"), max_digits=7, decimal_places=2, null=True, blank=True)
    yes_zone = models.CharField(
        _("sone ved «ja»"),
        max_length=10,
        choices=[(Zone.YELLOW, Zone.YELLOW.label), (Zone.RED, Zone.RED.label)],
        blank=True,
    )
    patient_action_green = models.CharField(_("pasienten gjør (grønn)"), max_length=500, blank=True)
    patient_action_yellow = models.CharField(_("pasienten gjør (gul)"), max_length=500, blank=True)
    patient_action_red = models.CharField(_("pasienten gjør (rød)"), max_length=500, blank=True)
    team_response_yellow = models.CharField(_("teamets respons (gul)"), max_length=500, blank=True)
    team_response_red = models.CharField(_("teamets respons (rød)"), max_length=500, blank=True)
    responsible_role_yellow = models.CharField(
        _("tar over ved gul (rolle)"), max_length=20, choices=Role.choices, default=Role.COORDINATOR
    )
    responsible_role_red = models.CharField(
        _("tar over ved rød (rolle)"), max_length=20, choices=Role.choices, default=Role.COORDINATOR
    )
    # A named member where the role alone does not say who (several «other actors»); otherwise the role decides,
    # so the alert goes to whoever holds the role when it is raised.
    responsible_member_yellow = models.ForeignKey(
        TeamMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responsible_member_red = models.ForeignKey(
        TeamMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    escalate_after_minutes = models.PositiveIntegerField(
        _("eskaleres til koordinator etter (minutter)"),
        null=True,
        blank=True,
        help_text=_("Et rødt varsel som ingen har kvittert for innen denne tiden, går til koordinatoren."),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "series"], name="one_row_per_series_and_plan")]
        verbose_name = _("parameter i planen")
        verbose_name_plural = _("parametere i planen")

    def __str__(self):
        return str(self.series)

    @property
    def parameter(self):
        return self.series.parameter

    def zone_for(self, value):
        """The zone of a value under this version's thresholds (``value`` is a Decimal; yes is 1, no is 0)."""
        if self.series.parameter.is_yes_no:
            return (self.yes_zone or Zone.GREEN) if value >= 1 else Zone.GREEN
        if (self.red_below is not None and value < self.red_below) or (
            self.red_above is not None and value > self.red_above
        ):
            return Zone.RED
        if (self.yellow_below is not None and value < self.yellow_below) or (
            self.yellow_above is not None and value > self.yellow_above
        ):
            return Zone.YELLOW
        return Zone.GREEN

    def patient_action(self, zone):
        return {
            Zone.GREEN: self.patient_action_green,
            Zone.YELLOW: self.patient_action_yellow,
            Zone.RED: self.patient_action_red,
        }[zone]

    def team_response(self, zone):
        return {Zone.YELLOW: self.team_response_yellow, Zone.RED: self.team_response_red}.get(zone, "")

    def responsible(self, zone):
        """(role, member) agreed to take over at this zone."""
        if zone == Zone.RED:
            return self.responsible_role_red, self.responsible_member_red
        return self.responsible_role_yellow, self.responsible_member_yellow

    def period_hours(self):
        return FREQUENCY_HOURS.get(self.frequency)

    def has_thresholds(self):
        if self.series.parameter.is_yes_no:
            return bool(self.yes_zone)
        return any(v is not None for v in (self.red_below, self.yellow_below, self.yellow_above, self.red_above))


class Report(models.Model):
    """One value the patient (or a team member on their behalf) reported, judged and kept as it was judged.

    The code, unit and zone are copied onto the row, so the report reads the same – and exports as the same FHIR
    Observation (code, value, unit, time, performer, patient or on behalf) – after the catalogue or plan changes.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey(CareProcess, on_delete=models.CASCADE, related_name="monitoring_reports")
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="reports")
    plan_parameter = models.ForeignKey(PlanParameter, on_delete=models.PROTECT, related_name="reports")
    value = models.DecimalField(_("verdi"), max_digits=7, decimal_places=2)
    zone = models.CharField(_("sone"), max_length=10, choices=Zone.choices)
    effective_at = models.DateTimeField(_("målt"))
    recorded_at = models.DateTimeField(_("registrert"), default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on_behalf = models.BooleanField(_("registrert på vegne av pasienten"), default=False)
    code_system = models.CharField(max_length=40)
    code = models.CharField(max_length=40)
    display = models.CharField(max_length=200)
    unit = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-effective_at", "-pk"]
        indexes = [models.Index(fields=["series", "-effective_at"], name="report_series_time")]
        verbose_name = _("måling")
        verbose_name_plural = _("målinger")

    def __str__(self):
        return f"{self.display}: {self.value} {self.unit}"

    @property
    def is_yes_no(self):
        return self.series.parameter.is_yes_no

    def shown_value(self):
        if self.series.parameter.is_yes_no:
            return _("Ja") if self.value >= 1 else _("Nei")
        places = self.series.parameter.decimals
        text = f"{self.value.quantize(Decimal(1).scaleb(-places)) if places else int(self.value)}"
        return text.replace(".", ",")


class Alert(Process):
    """A yellow or red value, or a missed report, waiting for the responsible team member: a Viewflow process.

    A flow of its own per alert (``AlertFlow``), started by the service that stored the value: it has its own task
    for the responsible member, its own escalation timer and its own end, and it never holds up the care process.
    The partial unique constraint lets one alert per series and kind be open, so two reports arriving at once
    cannot raise two.
    """

    class Kind(models.TextChoices):
        YELLOW = "gul", _("Gul verdi")
        RED = "rod", _("Rød verdi")
        MISSED = "mangler", _("Manglende måling")

    care_process = models.ForeignKey(CareProcess, on_delete=models.CASCADE, related_name="monitoring_alerts")
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="alerts")
    plan_parameter = models.ForeignKey(PlanParameter, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    report = models.ForeignKey(Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    latest_report = models.ForeignKey(Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    report_count = models.PositiveIntegerField(default=1)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    responsible_role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    opened_at = models.DateTimeField(default=timezone.now)
    escalated_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action_taken = models.TextField(_("hva ble gjort"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("varsel fra egenmåling")
        verbose_name_plural = _("varsler fra egenmåling")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "kind"], condition=models.Q(closed_at__isnull=True), name="one_open_alert_per_kind"
            )
        ]
        indexes = [models.Index(fields=["care_process", "closed_at"], name="alert_process_open")]

    def __str__(self):
        return _("Varsel %(pk)s") % {"pk": self.pk}

    @classmethod
    def care_process_pk_for(cls, pk):
        """The care process whose need-to-know an alert URL is judged by (``workflows.middleware``)."""
        return cls.objects.filter(pk=pk).values_list("care_process_id", flat=True).first()

    @property
    def zone(self):
        return {self.Kind.YELLOW: Zone.YELLOW, self.Kind.RED: Zone.RED}.get(self.kind, "")


class Reminder(models.Model):
    """A missed report the patient is reminded of on Min side; if still missing later, the coordinator gets a task.

    One open reminder per series; a new report closes it.
    """

    process = models.ForeignKey(CareProcess, on_delete=models.CASCADE, related_name="monitoring_reminders")
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="reminders")
    plan_parameter = models.ForeignKey(PlanParameter, on_delete=models.PROTECT, related_name="+")
    due_since = models.DateTimeField(_("manglet fra"))
    created_at = models.DateTimeField(default=timezone.now)
    escalated_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["series"], condition=models.Q(resolved_at__isnull=True), name="one_open_reminder_per_series"
            )
        ]
        verbose_name = _("påminnelse om måling")
        verbose_name_plural = _("påminnelser om måling")

    def __str__(self):
        return _("Påminnelse %(pk)s") % {"pk": self.pk}


class MonitoringStatus(models.Model):
    """Per process: the worst current zone and the oldest unacknowledged alert, kept up to date by the services.

    Exists for «hvem er rød nå»: the coordinator's overview sorts by these two columns, so it reads one row per
    patient however many reports there are.
    """

    process = models.OneToOneField(
        CareProcess, on_delete=models.CASCADE, primary_key=True, related_name="monitoring_status"
    )
    worst_rank = models.PositiveSmallIntegerField(default=0)
    worst_zone = models.CharField(max_length=10, choices=Zone.choices, default=Zone.GREEN)
    latest_report_at = models.DateTimeField(null=True, blank=True)
    open_alerts = models.PositiveIntegerField(default=0)
    oldest_open_alert_at = models.DateTimeField(null=True, blank=True)
    missing = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("status for egenmåling")
        verbose_name_plural = _("status for egenmåling")
        indexes = [models.Index(fields=["-worst_rank", "oldest_open_alert_at"], name="monitoring_status_order")]

    def __str__(self):
        return str(self.process_id)


class MonitoringTemplate(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    """A reusable set of monitoring parameters (heart failure, COPD, early warning signs …) to copy into a plan.

    Kept by content owners as a Wagtail snippet with revisions and the pathways' moderation workflow (clinical
    approval, then publishing). A template carries no thresholds: the team sets them per patient after copying.
    Templates not yet clinically approved say so wherever they are offered.
    """

    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    clinically_approved = models.BooleanField(
        _("klinisk godkjent"),
        default=False,
        help_text=_("Kryss av først når fagmiljøet har godkjent malen. Til da vises den som et eksempel."),
    )
    approval_note = models.CharField(_("godkjent av / merknad"), max_length=300, blank=True)
    parameters = StreamField([("parameter", TemplateParameterBlock())], verbose_name=_("parametere"))

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="monitoringtemplate")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="monitoringtemplate",
        for_concrete_model=False,
    )

    panels = [
        HelpPanel(
            content=_(
                "Malen gir parametere, hyppighet, avtalte handlinger og roller. Grensene for gul og rød settes "
                "av teamet for hver pasient etter at malen er kopiert inn i planen."
            )
        ),
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("parameters"),
        FieldPanel("clinically_approved"),
        FieldPanel("approval_note"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("mal for egenmåling")
        verbose_name_plural = _("maler for egenmåling")

    def __str__(self):
        return self.name
