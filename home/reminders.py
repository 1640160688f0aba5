"""Reminder e-mail to each pathway's content owner when its review is due or overdue."""

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from .admin_views import pathways_due_for_review


def send_pathway_review_reminders(today=None):
    """One e-mail per owner listing their pathways due for review; returns the number sent."""
    by_owner = defaultdict(list)
    for page in pathways_due_for_review(today).select_related("content_owner"):
        owner = page.content_owner
        if owner is not None and owner.is_active and owner.email:
            by_owner[owner].append(page)
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    messages = []
    for owner, pages in by_owner.items():
        body = render_to_string(
            "home/email/pathway_review_reminder.txt",
            {
                "owner": owner,
                "pages": [(p, base + reverse("wagtailadmin_pages:edit", args=[p.pk])) for p in pages],
                "report_url": base + reverse("pathway_reviews"),
            },
        )
        subject = _("%(count)d forløp skal revideres") % {"count": len(pages)}
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [owner.email]))
    return send_mass_mail(messages, fail_silently=False) if messages else 0
