"""Rendering helpers for jobs: sanitised rich text, facts in words, JSON-LD blocks and XML
feed text."""

import json
import re

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

from jobs import display
from jobs.models import SalaryPeriod
from jobs.structured_data import google_employment_type
from jobs.validation import rich_text_html

register = template.Library()

# The same escapes as django.utils.html.json_script: the JSON can never close the element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@register.filter
def rich_text(value):
    """Job descriptions are sanitised on save; sanitise again at render as defence in depth.
    Plain text (written before the editor, or typed without it) keeps its paragraphs."""
    return mark_safe(rich_text_html(value))  # noqa: S308 - nh3-sanitised


@register.simple_tag
def weekly_hours(low, high):
    """E.g. "up to 40 hours a week"; empty when unknown."""
    return display.weekly_hours_text(low, high)


@register.simple_tag
def salary_range(low, high, currency, period):
    """E.g. "45,000 to 55,000 EUR per year"; empty when unknown."""
    return display.salary_text(low, high, currency, period)


@register.filter
def employment_type_label(key):
    return display.employment_type_label(key)


@register.filter
def json_ld(data):
    """A ``<script type="application/ld+json">`` data block (never executed, so the CSP's
    script-src does not apply to it)."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


@register.filter
def cdata(value):
    """Text wrapped in CDATA; a ``]]>`` inside is split across two sections."""
    text = _XML_INVALID.sub("", str(value or ""))
    return mark_safe("<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>")  # noqa: S308


@register.filter
def xml_safe(value):
    """Drop characters XML 1.0 cannot carry (autoescaping handles <, >, & and quotes)."""
    return _XML_INVALID.sub("", str(value or ""))


_FEED_JOB_TYPES = {
    "FULL_TIME": "fulltime",
    "PART_TIME": "parttime",
    "TEMPORARY": "temporary",
    "CONTRACTOR": "contract",
    "INTERN": "internship",
}


# Feeds are read by job aggregators, in English whatever the site's language.
_FEED_SALARY_PERIODS = {
    SalaryPeriod.HOURLY: "per hour",
    SalaryPeriod.MONTHLY: "per month",
    SalaryPeriod.YEARLY: "per year",
}


@register.filter
def feed_job_type(job):
    return _FEED_JOB_TYPES.get(google_employment_type(job) or "", "")


@register.filter
def feed_salary(job):
    """E.g. "45000-55000 EUR per year"; empty when the job has no salary."""
    if not job.salary_currency or (job.salary_from is None and job.salary_to is None):
        return ""
    amounts = [f"{value:.0f}" for value in (job.salary_from, job.salary_to) if value is not None]
    period = _FEED_SALARY_PERIODS.get(job.salary_period, "")
    return " ".join(filter(None, ["-".join(amounts), job.salary_currency, period]))
