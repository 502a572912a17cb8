"""schema.org JobPosting for Google for Jobs, built from a job and its absolute URLs."""

import datetime

from django.utils import timezone

from jobs.models import EmploymentType, Job, SalaryPeriod
from jobs.validation import sanitize_rich_text

# How long an open job is declared valid from today; re-rendered on every crawl, so an open
# job keeps moving its horizon and a closed one disappears (410).
VALID_DAYS = 30

GOOGLE_EMPLOYMENT_TYPES = {
    EmploymentType.PERMANENT: "FULL_TIME",
    EmploymentType.TEMPORARY: "TEMPORARY",
    EmploymentType.FIXED_TERM: "TEMPORARY",
    EmploymentType.FIXED_TERM_WITH_OPTION_FOR_PERMANENT: "TEMPORARY",
    EmploymentType.FREELANCE: "CONTRACTOR",
    EmploymentType.TRAINEESHIP: "INTERN",
    EmploymentType.INTERNSHIP: "INTERN",
}
SALARY_UNITS = {
    SalaryPeriod.HOURLY: "HOUR",
    SalaryPeriod.MONTHLY: "MONTH",
    SalaryPeriod.YEARLY: "YEAR",
}


def google_employment_type(job: Job) -> str | None:
    kind = GOOGLE_EMPLOYMENT_TYPES.get(job.employment_type)
    if kind == "FULL_TIME" and job.weekly_hours_to and job.weekly_hours_to < 30:
        return "PART_TIME"
    return kind


def job_posting(
    *, job: Job, job_url: str, career_url: str, logo_url: str | None, today=None
) -> dict:
    today = today or timezone.localdate()
    org = job.organization
    data: dict = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": job.title,
        "description": sanitize_rich_text(job.description) or job.title,
        "datePosted": job.created_at.date().isoformat(),
        "validThrough": (today + datetime.timedelta(days=VALID_DAYS)).isoformat() + "T23:59:59Z",
        "hiringOrganization": {"@type": "Organization", "name": org.name, "sameAs": career_url},
        "identifier": {"@type": "PropertyValue", "name": org.name, "value": job.reference},
        "directApply": True,
        "url": job_url,
    }
    if logo_url:
        data["hiringOrganization"]["logo"] = logo_url
    address = {
        key: value
        for key, value in (
            ("streetAddress", " ".join(filter(None, [job.address_line1, job.address_line2]))),
            ("addressLocality", job.city),
            ("postalCode", job.postcode),
            ("addressCountry", job.country),
        )
        if value
    }
    if address:
        data["jobLocation"] = {
            "@type": "Place",
            "address": {"@type": "PostalAddress", **address},
        }
    if job.allows_remote_work:
        data["jobLocationType"] = "TELECOMMUTE"
        if job.country:
            data["applicantLocationRequirements"] = {"@type": "Country", "name": job.country}
    employment_type = google_employment_type(job)
    if employment_type:
        data["employmentType"] = employment_type
    if job.salary_currency and (job.salary_from is not None or job.salary_to is not None):
        value: dict = {"@type": "QuantitativeValue"}
        if job.salary_from is not None and job.salary_to is not None:
            value["minValue"], value["maxValue"] = float(job.salary_from), float(job.salary_to)
        else:
            value["value"] = float(
                job.salary_from if job.salary_from is not None else job.salary_to
            )
        if job.salary_period:
            value["unitText"] = SALARY_UNITS[job.salary_period]
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": job.salary_currency,
            "value": value,
        }
    return data
