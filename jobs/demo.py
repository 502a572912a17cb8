"""Demo jobs, career pages, applications and view counters. Idempotent: jobs are matched
by title, applications and counters are only added once."""

import datetime
import struct
import zlib
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organization, Role
from distribution.models import TaxonomyTerm
from jobs import services
from jobs.fields import TAXONOMY_FIELDS
from jobs.models import (
    Application,
    CareerPage,
    EmploymentType,
    Job,
    JobViewCounter,
    SalaryPeriod,
)
from jobs.pdf import minimal_pdf
from jobs.utm import Utm

DESCRIPTION = (
    "<p>{title} at {org}: join a friendly team that ships every week.</p>"
    "<ul><li>Meaningful work with real customers</li><li>Hybrid working and a learning "
    "budget</li><li>25 days of paid holiday</li></ul>"
)

COMPLETE = {
    "address_line1": "12 Rue de la Paix",
    "postcode": "75002",
    "employment_type": EmploymentType.PERMANENT,
    "weekly_hours_from": 35,
    "weekly_hours_to": 39,
    "salary_period": SalaryPeriod.YEARLY,
    "salary_currency": "EUR",
    "years_of_experience": 3,
}

# (title, city, country, remote, complete?, salary range, closed?)
DEMO_JOBS = {
    "acme-talent": [
        ("Senior Backend Engineer", "Paris", "FR", True, True, (55000, 70000), False),
        ("Product Designer", "Lyon", "FR", False, True, (42000, 52000), False),
        ("Sales Development Representative", "Berlin", "DE", False, False, None, False),
        ("Customer Success Manager", "Paris", "FR", True, False, (38000, 45000), False),
        ("Office Manager", "Paris", "FR", False, True, (30000, 34000), True),
    ],
    "initech": [
        ("Data Analyst", "Austin", "US", True, True, (70000, 85000), False),
        ("IT Support Technician", "Austin", "US", False, False, None, False),
        ("TPS Report Coordinator", "Dallas", "US", False, False, (40000, 48000), False),
    ],
    "globex": [
        ("Operations Lead", "Springfield", "US", False, False, None, False),
        ("Junior Accountant", "Springfield", "US", False, True, (45000, 52000), False),
    ],
}
CAREER_SLUGS = {"acme-talent": "acme-talent", "initech": "initech"}
SOURCES = [
    ("linkedin", "jobboard", "spring-hiring"),
    ("indeed", "jobboard", "spring-hiring"),
    ("newsletter", "email", "april"),
    ("", "", ""),
]
CANDIDATES = [
    ("Camille Martin", "camille.martin@example.test", 0),
    ("Lucas Bernard", "lucas.bernard@example.test", 1),
    ("Emma Dubois", "emma.dubois@example.test", 0),
    ("Noah Petit", "noah.petit@example.test", 3),
    ("Léa Moreau", "lea.moreau@example.test", 2),
]


def demo_logo_png(rgb=(11, 94, 215), size=64) -> bytes:
    """A solid-colour PNG square, written by hand (no image library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


def _term(kind: str, index: int):
    terms = list(TaxonomyTerm.objects.active().of_kind(kind).order_by("provider_id")[:5])
    return terms[index % len(terms)] if terms else None


def _owner(org: Organization):
    membership = (
        Membership.objects.for_org(org)
        .select_related("user")
        .order_by("role")  # "admin" sorts before "recruiter"
        .filter(role__in=[Role.RECRUITER, Role.ADMIN])
        .first()
    )
    return membership.user if membership else None


def _seed_jobs(org: Organization, log) -> list[Job]:
    owner = _owner(org)
    if owner is None:
        return []
    jobs = []
    for index, (title, city, country, remote, complete, salary, closed) in enumerate(
        DEMO_JOBS[org.slug]
    ):
        job = Job.objects.for_org(org).filter(title=title).first()
        if job is None:
            fields = {
                "title": title,
                "description": DESCRIPTION.format(title=title, org=org.name),
                "city": city,
                "country": country,
                "allows_remote_work": remote,
            }
            if complete:
                fields.update(COMPLETE)
                for offset, (name, kind) in enumerate(TAXONOMY_FIELDS.items()):
                    fields[name] = _term(kind, index + offset)
                if country != "FR":
                    fields.update(
                        address_line1="100 Main Street", postcode="78701", salary_currency="USD"
                    )
            if salary:
                fields.update(
                    salary_from=Decimal(salary[0]),
                    salary_to=Decimal(salary[1]),
                    salary_currency=fields.get("salary_currency") or "EUR",
                    salary_period=SalaryPeriod.YEARLY,
                )
            job = services.job_create(org=org, by=owner, **fields)
            if closed:
                job = services.job_close(org=org, job_id=job.pk, by=owner)
            log(f"created job {title} ({org.name})")
        jobs.append(job)
    return jobs


def _seed_career_page(org: Organization, log) -> CareerPage | None:
    slug = CAREER_SLUGS.get(org.slug)
    if slug is None:
        return None
    page = CareerPage.objects.for_org(org).first()
    if page is None:
        page = CareerPage.objects.create(
            organization=org,
            slug=slug,
            intro=f"{org.name} is growing. Find your next role with us.",
        )
        log(f"created career page /careers/{slug}/ ({'on' if org.career_page_enabled else 'off'})")
    if org.slug == "acme-talent" and not org.logo:
        org.logo.save(f"org-{org.pk}.png", ContentFile(demo_logo_png()), save=True)
    return page


def _seed_attribution(org: Organization, jobs: list[Job], log) -> None:
    open_jobs = [job for job in jobs if job.is_open][:2]
    if not open_jobs:
        return
    if not Application.objects.for_org(org).exists():
        for number, (name, email, source_index) in enumerate(CANDIDATES):
            source, medium, campaign = SOURCES[source_index]
            job = open_jobs[number % len(open_jobs)]
            services.application_create(
                job=job,
                name=name,
                email=email,
                phone=f"+33 6 00 00 00 0{number}",
                message="I would love to talk about this role.",
                cv=SimpleUploadedFile(
                    f"{name}.pdf",
                    minimal_pdf([name, email, "Curriculum vitae", "Experience: 5 years"]),
                    "application/pdf",
                ),
                utm=Utm(
                    utm_source=source,
                    utm_medium=medium,
                    utm_campaign=campaign,
                    utm_content=f"demo-{source}" if source else "",
                ),
            )
        log(f"created {len(CANDIDATES)} applications ({org.name})")
    today = timezone.localdate()
    for job in open_jobs:
        for days_ago in range(14):
            for weight, (source, medium, campaign) in enumerate(SOURCES, start=1):
                JobViewCounter.objects.update_or_create(
                    job=job,
                    day=today - datetime.timedelta(days=days_ago),
                    utm_source=source,
                    utm_medium=medium,
                    utm_campaign=campaign,
                    utm_content=f"demo-{source}" if source else "",
                    defaults={"organization": org, "count": (days_ago * 7 + weight * 3) % 23 + 1},
                )
    log(f"view counters for {len(open_jobs)} jobs ({org.name})")


@transaction.atomic
def seed(*, log) -> None:
    for slug in DEMO_JOBS:
        org = Organization.objects.filter(slug=slug).first()
        if org is None:
            log(f"organisation {slug} missing: run the accounts demo first")
            continue
        jobs = _seed_jobs(org, log)
        _seed_career_page(org, log)
        if slug == "acme-talent":
            _seed_attribution(org, jobs, log)
