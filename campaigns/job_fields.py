"""The job fields a campaign order carries: shown in the wizard's Job details and Target
audience sections, sent to the provider, and saved back to the job when the user asks."""

from distribution.models import TaxonomyKind

JOB_DETAIL_FIELDS = (
    "title",
    "description",
    "address_line1",
    "address_line2",
    "postcode",
    "city",
    "country",
    "allows_remote_work",
    "employment_type",
    "years_of_experience",
    "weekly_hours_from",
    "weekly_hours_to",
    "salary_from",
    "salary_to",
    "salary_currency",
    "salary_period",
)

# Target audience: each field holds one taxonomy term of its kind.
TAXONOMY_FIELDS = {
    "education_level": TaxonomyKind.EDUCATION_LEVEL,
    "seniority": TaxonomyKind.SENIORITY,
    "industry": TaxonomyKind.INDUSTRY,
    "job_function": TaxonomyKind.JOB_FUNCTION,
}

JOB_FIELDS = JOB_DETAIL_FIELDS + tuple(TAXONOMY_FIELDS)
