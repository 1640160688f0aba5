"""The daily reminder: each municipality's editors get one e-mail listing the actors overdue for confirmation."""

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import GroupPagePermission

from .models import ActorPage


def overdue_by_municipality(now=None):
    overdue = (
        ActorPage.objects.live()
        .overdue(now)
        .select_related("municipality", "confirmation")
        .order_by("municipality__title", "title")
    )
    grouped = defaultdict(list)
    for actor in overdue:
        grouped[actor.municipality].append(actor)
    return grouped


def recipients_by_municipality(municipalities):
    """Active users with an e-mail address who may edit each municipality's pages."""
    paths = {m.pk: m.path for m in municipalities}
    grants = GroupPagePermission.objects.filter(permission__codename="change_page").select_related("page")
    group_pages = defaultdict(set)
    for grant in grants:
        for municipality_id, path in paths.items():
            if path.startswith(grant.page.path):
                group_pages[grant.group_id].add(municipality_id)
    users = get_user_model().objects.filter(is_active=True, groups__in=group_pages.keys()).exclude(email="")
    result = defaultdict(set)
    for user in users.prefetch_related("groups"):
        for group in user.groups.all():
            for municipality_id in group_pages.get(group.pk, ()):
                result[municipality_id].add(user.email)
    return result


def send_overdue_reminders(now=None):
    """Send the reminders; returns (municipalities notified, e-mails sent)."""
    grouped = overdue_by_municipality(now)
    recipients = recipients_by_municipality(grouped.keys())
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    messages = []
    for municipality, actors in grouped.items():
        to = sorted(recipients.get(municipality.pk, ()))
        if not to:
            continue
        body = render_to_string(
            "directory/email/overdue_reminder.txt",
            {
                "municipality": municipality,
                "actors": [(a, base + reverse("wagtailadmin_pages:edit", args=[a.pk])) for a in actors],
                "report_url": base + reverse("directory_overdue") + f"?municipality={municipality.pk}",
                "today": timezone.localdate(),
            },
        )
        subject = _("Aktørkartet for %(name)s: %(count)d aktører må bekreftes") % {
            "name": municipality.title,
            "count": len(actors),
        }
        # One message per recipient so no editor sees the others' addresses.
        messages.extend((subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in to)
    sent = send_mass_mail(messages, fail_silently=False) if messages else 0
    return len({m for m, actors in grouped.items() if recipients.get(m.pk)}), sent
