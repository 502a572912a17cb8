"""Input rules shared by forms and services: rich text sanitising, plain-text fields without
markup, and uploads checked by their content (magic bytes), not by their name."""

import re
import zipfile

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

RICH_TEXT_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "h2", "h3", "h4",
    "blockquote",
}  # fmt: skip
RICH_TEXT_ATTRIBUTES = {"a": {"href", "title"}}


def sanitize_rich_text(html: str) -> str:
    """The limited HTML job boards accept; scripts, styles, handlers and unknown tags go."""
    return nh3.clean(
        html or "",
        tags=RICH_TEXT_TAGS,
        attributes=RICH_TEXT_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


_HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def rich_text_html(value: str) -> str:
    """Sanitised HTML for a description that may be rich text or plain text: plain text
    (no tag at all) keeps its paragraphs and line breaks instead of running together."""
    if value and not _HTML_TAG.search(value):
        value = linebreaks(value, autoescape=True)
    return sanitize_rich_text(value)


_MARKUP = re.compile(r"<\s*[a-zA-Z!/?]|&#|javascript:", re.IGNORECASE)


def validate_no_markup(value: str) -> None:
    if value and _MARKUP.search(value):
        raise ValidationError(
            _("Please remove HTML or script code from this field."), code="markup"
        )


CV_EXTENSIONS = {"pdf", "doc", "docx"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _cv_kind_by_content(uploaded) -> str | None:
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_OLE_MAGIC):
        return "doc"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            uploaded.seek(0)
    return None


def validate_cv(uploaded) -> str:
    """Check a CV upload and return its kind (pdf, doc or docx)."""
    limit = settings.JOBS_CV_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("This file is %(size)s; the largest CV we accept is %(limit)s.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if uploaded.size == 0:
        raise ValidationError(_("This file is empty."), code="empty")
    name = uploaded.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in CV_EXTENSIONS:
        raise ValidationError(_("Please upload your CV as a PDF, DOC or DOCX file."), code="type")
    kind = _cv_kind_by_content(uploaded)
    if kind != extension:
        raise ValidationError(
            _("This file is not a real %(type)s document. Please upload a PDF, DOC or DOCX file.")
            % {"type": extension.upper()},
            code="content",
        )
    return kind
