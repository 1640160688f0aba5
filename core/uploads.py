"""The size limit on uploaded files, checked the same way and refused with the same words everywhere."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def too_large_message(limit):
    return _("Filen er for stor. Største tillatte størrelse er %(mb)s MB.") % {"mb": max(1, limit // (1024 * 1024))}


def check_upload_size(upload, limit):
    """Refuse a file larger than ``limit`` bytes before anything reads its contents."""
    if upload.size > limit:
        raise ValidationError(too_large_message(limit), code="too_large")
