"""Organisation logos: checked by their content (magic bytes), not by their name, wherever
one is stored (the career page settings, the support admin's organisation form): the rule
lives on the model field, so no form can bypass it."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

LOGO_TYPES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


def logo_kind(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def validate_logo(uploaded) -> str:
    """Check a logo upload and return its kind (png, jpg, gif or webp)."""
    limit = settings.JOBS_LOGO_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("The logo may be at most %(limit)s.") % {"limit": filesizeformat(limit)},
            code="too_large",
        )
    uploaded.seek(0)
    kind = logo_kind(uploaded.read(12))
    uploaded.seek(0)
    if kind is None:
        raise ValidationError(_("Please upload a PNG, JPEG, GIF or WebP image."), code="type")
    return kind


def logo_upload_to(instance, filename: str) -> str:
    """The stored name never contains anything the uploader chose but a known extension."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in LOGO_TYPES:
        extension = "img"
    return f"logos/org-{instance.pk or 'new'}-{uuid.uuid4().hex}.{extension}"
