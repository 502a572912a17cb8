"""The order as a plain document: what the review shows and what delivery sends.

``order_document`` builds it from a draft's validated values when the order is placed; it is
frozen on the campaign (``Campaign.payload``) so that every delivery attempt sends the very
same order. ``order_request`` turns it into the provider client's message.
"""

from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Organization
from campaigns.services.requirements import (
    contract_facets,
    requirement_rows,
    requirement_values,
)
from contracts.models import Contract
from distribution import messages as m
from distribution.models import TaxonomyTerm
from jobs.fields import TAXONOMY_FIELDS
from jobs.models import Job, SalaryPeriod
from jobs.selectors import career_page_get, job_application_url, job_public_url

# The label that finds an order again at the provider when its answer was lost.
ORDER_LABEL_KEY = "jobcast_order"


class OrderRefused(Exception):
    """An order that cannot be placed, with a message the user can act on and, when the
    problem is a field, the wizard field it concerns."""

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


def _absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


def career_urls(job: Job) -> tuple[str, str]:
    """(jobPageUrl, applicationUrl): the job's page on the career page, absolute."""
    page = job_public_url(job=job)
    apply = job_application_url(job=job)
    if not page or not apply:
        raise OrderRefused(
            _("Your organisation has no career page yet: an admin must set it up first.")
        )
    return _absolute(page), _absolute(apply)


def company_logo_url(org: Organization) -> str:
    """A public URL of the organisation's logo (the career page serves it)."""
    page = career_page_get(org=org)
    if page is not None and org.logo:
        try:
            return _absolute(reverse("careers:logo", kwargs={"slug": page.slug}))
        except NoReverseMatch:
            pass
    return _absolute(static("campaigns/logo-placeholder.png"))


def utm_query(*, board: str, campaign_reference: str, utm_content: str) -> str:
    return urlencode(
        {
            "utm_source": slugify(board)[:50] or "job-board",
            "utm_medium": "job_board",
            "utm_campaign": campaign_reference,
            "utm_content": utm_content,
        }
    )


def taxonomy_refs(values: dict) -> dict[str, dict]:
    """The four target-group terms; a retired or unknown one refuses the order."""
    ids = {name: values.get(name) for name in TAXONOMY_FIELDS}
    terms = TaxonomyTerm.objects.in_bulk([pk for pk in ids.values() if pk])
    refs, errors = {}, {}
    for name, kind in TAXONOMY_FIELDS.items():
        term = terms.get(ids[name]) if ids[name] else None
        if term is None or term.kind != kind:
            errors[name] = [_("Choose a value.")]
        elif not term.is_active:
            errors[name] = [
                _("“%(term)s” was retired by the job-distribution provider: choose another.")
                % {"term": term.name}
            ]
        else:
            refs[name] = {"vonq_id": term.provider_id, "description": term.name_en}
    if errors:
        raise OrderRefused(
            _("Some target audience values can no longer be used."), field_errors=errors
        )
    return refs


def _number(value):
    if value in (None, ""):
        return None
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def order_document(
    *,
    org: Organization,
    job: Job,
    values: dict,
    requirements: dict[str, dict],
    contracts: list[Contract],
    order_reference: str,
    utm_contents: dict[int, str],
    recruiter_id: str,
) -> dict:
    """The whole order. ``values`` are the target-group step's values, ``requirements``
    each board's native facet values by contract id, ``utm_contents`` each posting's
    utm_content by contract id."""
    job_page_url, application_url = career_urls(job)
    salary = None
    if values.get("salary_to") not in (None, ""):
        salary = {
            "period": values.get("salary_period") or SalaryPeriod.YEARLY,
            "from": _number(values.get("salary_from")),
            "to": _number(values.get("salary_to")),
            "currency": (values.get("salary_currency") or "EUR").upper(),
        }
    contact = None
    if values.get("contact_name") or values.get("contact_email") or values.get("contact_phone"):
        contact = {
            "name": values.get("contact_name") or "",
            "email": values.get("contact_email") or "",
            "phone": values.get("contact_phone") or "",
        }
    products = []
    for contract in contracts:
        facets = contract_facets(contract)
        native = requirements.get(str(contract.pk), {})
        products.append(
            {
                "contract": contract.pk,
                "board": contract.channel.name,
                "product_id": contract.product_id,
                "contract_id": contract.provider_contract_id,
                "posting_requirements": requirement_values(facets, native),
                # The same values in words (labels, never keys) for the review and details.
                "requirement_rows": requirement_rows(facets, native),
                "utm": utm_query(
                    board=contract.channel.name,
                    campaign_reference=order_reference,
                    utm_content=utm_contents.get(contract.pk, "preview"),
                ),
                "posting_duration_days": contract.posting_duration_days or None,
            }
        )
    return {
        "company_id": str(org.provider_customer_id),
        "campaign_name": values["campaign_name"],
        "order_reference": order_reference,
        "labels": {ORDER_LABEL_KEY: order_reference},
        "recruiter": {
            "id": recruiter_id,
            "name": values["recruiter_name"],
            "email": values["recruiter_email"],
        },
        "posting": {
            "title": values["title"],
            "description": values["description"],
            "organization_name": org.name,
            "organization_logo": company_logo_url(org),
            "location": {
                "address_line1": values["address_line1"],
                "address_line2": values.get("address_line2") or "",
                "postcode": values["postcode"],
                "city": values["city"],
                "country": values["country"],
                "allows_remote_work": bool(values.get("allows_remote_work")),
            },
            "contact": contact,
            "years_of_experience": int(values["years_of_experience"]),
            "employment_type": values["employment_type"],
            "weekly_hours": {
                "from": values.get("weekly_hours_from"),
                "to": values["weekly_hours_to"],
            },
            "salary": salary,
            "job_page_url": job_page_url,
            "application_url": application_url,
        },
        "target_group": taxonomy_refs(values),
        "products": products,
    }


def order_request(document: dict) -> m.OrderRequest:
    """The provider client's OrderRequest for an order document."""
    posting = document["posting"]
    location = posting["location"]
    contact = posting.get("contact")
    salary = posting.get("salary")
    hours = posting["weekly_hours"]

    def refs(name):
        ref = document["target_group"][name]
        return [m.TaxonomyRef(vonq_id=ref["vonq_id"], description=ref["description"])]

    return m.OrderRequest(
        company_id=document["company_id"],
        campaign_name=document["campaign_name"],
        order_reference=document["order_reference"],
        labels=dict(document.get("labels") or {}),
        recruiter=m.RecruiterInfo(
            id=document["recruiter"]["id"],
            name=document["recruiter"]["name"],
            email=document["recruiter"]["email"],
        ),
        posting=m.PostingDetails(
            title=posting["title"],
            description=posting["description"],
            organization_name=posting["organization_name"],
            organization_logo=posting["organization_logo"],
            working_location=m.WorkingLocation(
                address_line1=location["address_line1"],
                address_line2=location.get("address_line2") or "",
                postcode=location["postcode"],
                city=location["city"],
                country=location["country"],
                allows_remote_work=bool(location.get("allows_remote_work")),
            ),
            years_of_experience=int(posting["years_of_experience"]),
            employment_type=posting["employment_type"],
            job_page_url=posting["job_page_url"],
            application_url=posting["application_url"],
            weekly_working_hours=m.WeeklyWorkingHours(
                to_hours=int(hours["to"]),
                from_hours=None if hours.get("from") in (None, "") else int(hours["from"]),
            ),
            contact_info=m.ContactInfo(
                name=contact.get("name") or "",
                email=contact.get("email") or "",
                phone=contact.get("phone") or "",
            )
            if contact
            else None,
            salary_indication=m.SalaryIndication(
                period=salary["period"],
                to_amount=salary["to"],
                from_amount=salary.get("from"),
                currency=salary.get("currency") or "EUR",
            )
            if salary
            else None,
        ),
        target_group=m.TargetGroup(
            education_level=refs("education_level"),
            seniority=refs("seniority"),
            industry=refs("industry"),
            job_category=refs("job_function"),
        ),
        products=[
            m.OrderedProductSpec(
                product_id=product["product_id"],
                contract_id=product["contract_id"],
                posting_requirements=dict(product["posting_requirements"]),
                utm=product["utm"],
                posting_duration_days=product.get("posting_duration_days"),
            )
            for product in document["products"]
        ],
    )
