"""The fields of a job, named once, by what they are for.

A campaign order carries the job's ad (``JOB_AD_FIELDS``): the campaign wizard shows these in
its Job details and Target audience sections, the order document sends them to the
provider, and they are saved back to the job when the user asks. ``job_create`` and
``job_update`` accept those and two more (``JOB_FIELDS``).
"""

from distribution.models import TaxonomyKind

JOB_LOCATION_FIELDS = (
    "address_line1",
    "address_line2",
    "postcode",
    "city",
    "country",
    "allows_remote_work",
)
JOB_CONTRACT_FIELDS = (
    "employment_type",
    "years_of_experience",
    "weekly_hours_from",
    "weekly_hours_to",
    "salary_from",
    "salary_to",
    "salary_currency",
    "salary_period",
)
JOB_DETAIL_FIELDS = ("title", "description", *JOB_LOCATION_FIELDS, *JOB_CONTRACT_FIELDS)

# Target audience: each field holds one taxonomy term of its kind.
TAXONOMY_FIELDS = {
    "education_level": TaxonomyKind.EDUCATION_LEVEL,
    "seniority": TaxonomyKind.SENIORITY,
    "industry": TaxonomyKind.INDUSTRY,
    "job_function": TaxonomyKind.JOB_FUNCTION,
}

JOB_AD_FIELDS = JOB_DETAIL_FIELDS + tuple(TAXONOMY_FIELDS)

# What every provider order needs of the job (postingDetails, weeklyWorkingHours.to and the
# four target-group terms; salaryIndication is optional). The job's "Missing for job boards"
# panel lists these, and the campaign wizard requires exactly these: one list, so the two
# always agree.
ORDER_REQUIRED_FIELDS = (
    "title",
    "description",
    "address_line1",
    "postcode",
    "city",
    "country",
    "employment_type",
    "years_of_experience",
    "weekly_hours_to",
    *TAXONOMY_FIELDS,
)

JOB_FIELDS = (*JOB_AD_FIELDS, "show_on_career_page", "recruiter_id")
