"""Factories for jobs. Every object leads to one OrganizationFactory."""

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from distribution.models import TaxonomyKind, TaxonomyTerm
from jobs.models import Application, CareerPage, EmploymentType, Job, JobViewCounter, SalaryPeriod
from jobs.pdf import minimal_pdf
from tests.factories import MembershipFactory, OrganizationFactory


class TaxonomyTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxonomyTerm

    kind = TaxonomyKind.INDUSTRY
    provider_id = factory.Sequence(lambda n: 1000 + n)
    name_en = factory.Sequence(lambda n: f"Term {n}")
    name_fr = factory.LazyAttribute(lambda o: f"{o.name_en} (fr)")
    is_active = True


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    organization = factory.SubFactory(OrganizationFactory)
    recruiter = factory.LazyAttribute(lambda o: MembershipFactory(organization=o.organization).user)
    title = factory.Sequence(lambda n: f"Backend engineer {n}")
    description = "<p>Build things that matter.</p>"
    city = "Lyon"
    country = "FR"


class CompleteJobFactory(JobFactory):
    """A job with every field a provider order needs (except the organisation's logo)."""

    address_line1 = "1 Rue de la République"
    postcode = "69001"
    employment_type = EmploymentType.PERMANENT
    weekly_hours_from = 35
    weekly_hours_to = 39
    salary_from = 45000
    salary_to = 55000
    salary_currency = "EUR"
    salary_period = SalaryPeriod.YEARLY
    years_of_experience = 3
    education_level = factory.SubFactory(TaxonomyTermFactory, kind=TaxonomyKind.EDUCATION_LEVEL)
    seniority = factory.SubFactory(TaxonomyTermFactory, kind=TaxonomyKind.SENIORITY)
    industry = factory.SubFactory(TaxonomyTermFactory, kind=TaxonomyKind.INDUSTRY)
    job_function = factory.SubFactory(TaxonomyTermFactory, kind=TaxonomyKind.JOB_FUNCTION)


class CareerPageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareerPage

    organization = factory.SubFactory(OrganizationFactory)
    slug = factory.Sequence(lambda n: f"careers-{n}")
    intro = "We are hiring."


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    job = factory.SubFactory(JobFactory)
    organization = factory.SelfAttribute("job.organization")
    name = factory.Sequence(lambda n: f"Candidate {n}")
    email = factory.Sequence(lambda n: f"candidate{n}@example.test")
    cv = factory.LazyFunction(lambda: ContentFile(minimal_pdf(["Curriculum vitae"]), "cv.pdf"))
    cv_filename = "cv.pdf"
    utm_source = "linkedin"
    utm_medium = "jobboard"


class JobViewCounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobViewCounter

    job = factory.SubFactory(JobFactory)
    organization = factory.SelfAttribute("job.organization")
    day = factory.LazyFunction(timezone.localdate)
    count = 1
