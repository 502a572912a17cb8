"""A realistic organisation for page-level tests (narrow screens, translations, accessibility):
long names and unbroken words, e-mail addresses and links, many rows, every kind of object a
page shows, in every state a page draws differently.

``build_showcase()`` creates it through factories and the real services, and returns the
objects the URL sweep needs (``SHOWCASE_OBJECTS`` in tests/url_sweep_registry.py names them
by URL keyword).
"""

import hashlib
import struct
import zlib
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Invitation, Membership, Organization, User
from campaigns.models import (
    Campaign,
    CampaignDraft,
    CampaignStatus,
    EventSource,
    Posting,
    PostingStatus,
)
from campaigns.services.draft_values import values_to_json
from campaigns.services.ordering import draft_add_contracts, draft_save
from contracts.models import (
    AccessRequest,
    AccessRequestMessage,
    Contract,
    ContractAction,
    ContractEvent,
    ContractGroup,
    ContractStatus,
)
from distribution.models import Channel, TaxonomyKind
from jobs.models import Application, CareerPage, Job, JobStatus
from tests.campaigns.factories import (
    CampaignFactory,
    PostingEventFactory,
    PostingFactory,
    order_payload,
)
from tests.contracts.factories import (
    AccessRequestFactory,
    ChannelFactory,
    ContractFactory,
    ContractGroupFactory,
)
from tests.factories import (
    AdminMembershipFactory,
    InvitationFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from tests.jobs.factories import (
    ApplicationFactory,
    CareerPageFactory,
    CompleteJobFactory,
    JobFactory,
    JobViewCounterFactory,
    TaxonomyTermFactory,
)

# Words that do not break: browsers may only wrap them where the CSS allows it.
LONG_WORD = "Hochverfügbarkeitsdatenbankentwicklungsingenieurin"
LONG_EMAIL = "marie-christine.delatour-beauregard@etablissements-dupont-aignan.example"
LONG_URL = (
    "https://www.computrabajo.com.co/ofertas-de-trabajo/oferta-de-trabajo-de-ingeniera-"
    "de-bases-de-datos-de-alta-disponibilidad-en-lyon-o-teletrabajo-3F2A9C0E1B7D4A61"
)
INVITATION_TOKEN = "showcase-invitation-token"

DESCRIPTION = f"""<h2>Votre mission</h2>
<p>Rejoignez une équipe de {LONG_WORD}s qui fait tourner des bases de données pour des
millions de candidats, <strong>sans interruption</strong>, et <em>en toute sérénité</em>.</p>
<ul><li>Concevoir la réplication entre trois régions</li><li>Automatiser les reprises</li>
<li>Partager ce que vous apprenez</li></ul>
<h3>Ce que nous offrons</h3>
<ol><li>Télétravail jusqu’à quatre jours par semaine</li><li>Budget formation</li></ol>
<p>Plus d’informations : <a href="{LONG_URL}">{LONG_URL}</a></p>"""

MESSAGE = (
    "Bonjour,\n\nJe suis très intéressée par ce poste : j’ai passé six ans à administrer des "
    f"grappes PostgreSQL pour un {LONG_WORD}-Team.\n\nBien cordialement,\nAnne-Sophie"
)

# A board's posting requirements with every kind of field the wizard draws, long labels and
# long option labels included.
SHOWCASE_FACETS = [
    {"name": "company-page-url", "label": "Adresse de la page entreprise sur le site d’emploi",
     "type": "TEXT", "sort": "1", "required": True, "rules": [{"rule": "url", "data": ""}]},
    {"name": "workplace-type", "label": "Type de lieu de travail", "type": "SELECT",
     "sort": "2", "required": True,
     "options": [{"key": "on-site", "label": "Sur site, dans nos locaux du centre-ville"},
                 {"key": "hybrid", "label": "Hybride (deux à quatre jours de télétravail)"},
                 {"key": "remote", "label": "Entièrement à distance, partout en Europe"}]},
    {"name": "notice", "label": f"Les annonces sont relues par une personne ({LONG_WORD}).",
     "type": "STATISCH", "sort": "3"},
    {"name": "skills", "label": "Compétences recherchées", "type": "MULTIPLE", "sort": "4",
     "options": [{"key": "pg", "label": "PostgreSQL"}, {"key": "k8s", "label": "Kubernetes"},
                 {"key": "tf", "label": "Terraform"}]},
    {"name": "benefits", "label": "Avantages mis en avant dans l’annonce", "type": "TEXTAREA",
     "sort": "5", "rules": [{"rule": "maxlength", "data": "500"}]},
]  # fmt: skip


def tiny_png() -> bytes:
    """A real 1×1 PNG (a broken image would draw differently)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x1f\x2a\x44")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@dataclass
class Showcase:
    org: Organization
    admin: User
    recruiter: User
    staff: User
    career_page: CareerPage
    job: Job
    closed_job: Job
    application: Application
    group: ContractGroup
    contract: Contract
    campaign: Campaign
    failed_campaign: Campaign
    posting: Posting
    draft: CampaignDraft
    invitation: Invitation
    membership: Membership
    access_request: AccessRequest
    linkedin: Channel


def _taxonomy() -> dict:
    names = {
        TaxonomyKind.EDUCATION_LEVEL: ("Master or doctorate", "Master ou doctorat (Bac+5 et plus)"),
        TaxonomyKind.SENIORITY: ("Mid-senior level", "Confirmé·e, plusieurs années d’expérience"),
        TaxonomyKind.INDUSTRY: ("Computer software", "Édition de logiciels et services associés"),
        TaxonomyKind.JOB_FUNCTION: ("Database administration", "Administration des données"),
    }  # fmt: skip
    return {
        kind: TaxonomyTermFactory(kind=kind, name_en=english, name_fr=french)
        for kind, (english, french) in names.items()
    }


def _people(org):
    admin = AdminMembershipFactory(
        organization=org,
        user__full_name="Marie-Christine de La Tour-Beauregard",
        user__email=LONG_EMAIL,
    ).user
    recruiter_membership = MembershipFactory(
        organization=org, user__full_name="Jean-Baptiste Oluwaseun Vandenberghe-Martin"
    )
    for number in range(12):
        MembershipFactory(organization=org, user__full_name=f"Recruteuse Numéro {number} Lefebvre")
    staff = UserFactory(is_staff=True, full_name="Sam Support", email="support@jobcast.example")
    return admin, recruiter_membership, staff


def _jobs(org, admin, recruiter, terms):
    job = CompleteJobFactory(
        organization=org,
        recruiter=admin,
        title=f"Senior {LONG_WORD} für verteilte Systeme (m/w/d) — Lyon ou télétravail",
        description=DESCRIPTION,
        address_line1="Tour Part-Dieu, 129 rue Servient, 34e étage, aile nord-est",
        address_line2="Bâtiment B, accès par le parvis",
        allows_remote_work=True,
        education_level=terms[TaxonomyKind.EDUCATION_LEVEL],
        seniority=terms[TaxonomyKind.SENIORITY],
        industry=terms[TaxonomyKind.INDUSTRY],
        job_function=terms[TaxonomyKind.JOB_FUNCTION],
        weekly_hours_from=None,
        weekly_hours_to=40,
    )
    titles = [
        "Chargée de recrutement international",
        "Responsable des relations écoles et universités",
        f"{LONG_WORD} (CDD 18 mois)",
        "Développeur·euse full-stack Python / TypeScript",
    ]
    for number in range(28):
        JobFactory(
            organization=org,
            recruiter=recruiter if number % 2 else admin,
            title=f"{titles[number % len(titles)]} n° {number}",
            city="Villeneuve-d’Ascq" if number % 3 else "Saint-Rémy-de-Provence",
            status=JobStatus.CLOSED if number % 7 == 0 else JobStatus.OPEN,
        )
    closed_job = CompleteJobFactory(
        organization=org, recruiter=admin, title="Poste fermé avec des annonces encore en ligne"
    )
    return job, closed_job


def _contracts(org, admin):
    famous = {
        "naukri": ChannelFactory(provider_id=1001, name="Naukri", search_name="naukri"),
        "bayt": ChannelFactory(provider_id=1002, name="Bayt", search_name="bayt"),
        "computrabajo": ChannelFactory(
            provider_id=1003, name="Computrabajo", search_name="computrabajo"
        ),
        "linkedin": ChannelFactory(
            provider_id=1004, name="LinkedIn", search_name="linkedin", type="social media"
        ),
    }
    regional = ChannelFactory(
        name=f"Regionale Stellenbörse für {LONG_WORD}en Nordrhein-Westfalen",
        url=LONG_URL,
    )
    default = ContractGroupFactory(organization=org, name="Default", is_default=True)
    emea = ContractGroupFactory(organization=org, name="LinkedIn EMEA — compte principal du siège")
    latam = ContractGroupFactory(organization=org, name=f"Amérique latine et {LONG_WORD}")
    contract = ContractFactory(
        group=emea,
        channel=famous["naukri"],
        alias="Compte Naukri du siège (recrutements techniques en Inde et au Moyen-Orient)",
        created_by=admin,
        product_id="prod-naukri",
        posting_requirements=SHOWCASE_FACETS,
        # Long labels in the contract page's defaults and "Default from your admin" marks
        # beside long labels in the wizard.
        requirement_defaults={"workplace-type": "hybrid", "skills": ["pg", "k8s", "tf"]},
    )
    ContractFactory(group=emea, channel=famous["linkedin"], created_by=admin, product_id="p-li")
    ContractFactory(group=emea, channel=regional, created_by=admin, product_id="prod-regional")
    ContractFactory(group=default, channel=famous["bayt"], created_by=admin)
    ContractFactory(
        group=latam,
        channel=famous["computrabajo"],
        status=ContractStatus.NEEDS_ATTENTION,
        provider_errors=[
            "The board answered: your subscription expired on 2026-10-31. Renew it with the "
            f"board, then save the contract again ({LONG_URL})."
        ],
    )
    for action, detail in (
        (ContractAction.CREATED, ""),
        (ContractAction.CHANGED, "changed: alias, password"),
        (ContractAction.USED, "Campagne de rentrée — ingénierie des données"),
    ):
        ContractEvent.objects.create(
            organization=org,
            contract=contract,
            contract_label=str(contract),
            action=action,
            detail=detail,
            by=admin,
        )
    return contract, emea, famous["linkedin"]


def _campaigns(org, job, closed_job, admin, contract):
    now = timezone.now()
    statuses = [
        PostingStatus.SUBMITTED,
        PostingStatus.IN_PROGRESS,
        PostingStatus.ONLINE,
        PostingStatus.OFFLINE,
        PostingStatus.FAILED,
    ]
    campaigns = []
    for number in range(12):
        campaign = CampaignFactory(
            job=job,
            ordered_by=admin,
            contract_group=contract.group,
            name=f"Campagne {number} — {LONG_WORD} (rentrée, Europe et Moyen-Orient)",
            status=CampaignStatus.ONLINE,
            provider_campaign_id=f"showcase-{number}",
        )
        for board in range(3):
            status = statuses[(number + board) % len(statuses)]
            live = status in (PostingStatus.ONLINE, PostingStatus.OFFLINE)
            posting = PostingFactory(
                campaign=campaign,
                contract=contract,
                channel=contract.channel,
                board_name=["Naukri", "LinkedIn", f"Regionale Stellenbörse {LONG_WORD}"][board],
                status=status,
                job_board_link=f"{LONG_URL}-{number}-{board}" if live else "",
                published_at=now - timedelta(days=number + 1) if live else None,
                offline_at=now - timedelta(hours=number)
                if status == PostingStatus.OFFLINE
                else None,
                clicks=number * 37 + board,
                status_description=(
                    f"Le site d’emploi a refusé l’annonce : le champ {LONG_WORD} est trop long."
                    if status == PostingStatus.FAILED
                    else ""
                ),
                status_solution=(
                    "Raccourcissez le titre à 60 caractères puis commandez une nouvelle campagne."
                    if status == PostingStatus.FAILED
                    else ""
                ),
            )
            PostingEventFactory(
                posting=posting,
                from_status=PostingStatus.SUBMITTED,
                to_status=status,
                source=EventSource.WEBHOOK,
                description=f"Statut reçu du fournisseur pour {posting.board_name}.",
                job_board_link=posting.job_board_link,
            )
        campaigns.append(campaign)
    failed = CampaignFactory(
        job=job,
        ordered_by=admin,
        name="Campagne refusée par le fournisseur",
        status=CampaignStatus.FAILED,
        order_error_message="The provider refused the order: some fields are not valid.",
        order_errors={
            "fields": {"weekly_hours_to": ["Ensure this value is at most 60."]},
            "requirements": {str(contract.pk): {"company-page-url": ["Enter a valid URL."]}},
            "general": [f"Le contrat {LONG_WORD} n’est plus valide."],
        },
    )
    failed.payload = {
        **order_payload(failed),
        "products": [{"contract": contract.pk, "board": contract.channel.name}],
    }
    failed.save(update_fields=["payload"])
    PostingFactory(
        campaign=failed, contract=contract, channel=contract.channel, status=PostingStatus.FAILED
    )
    live = CampaignFactory(job=closed_job, ordered_by=admin, status=CampaignStatus.ONLINE)
    PostingFactory(campaign=live, contract=contract, status=PostingStatus.ONLINE)
    return campaigns[2], failed


def _applications(org, job, postings):
    sources = [posting.utm_content for posting in postings] + ["", ""]
    first = None
    for number in range(30):
        utm_content = sources[number % len(sources)]
        application = ApplicationFactory(
            job=job,
            name=f"Anne-Sophie Vandenberghe-Lefebvre-Martin {number}",
            email=f"anne-sophie.vandenberghe-lefebvre-martin.{number}@candidates.example",
            phone="+33 6 12 34 56 78",
            message=MESSAGE,
            utm_source="linkedin" if utm_content else ("newsletter" if number % 2 else ""),
            utm_medium="job_board" if utm_content else ("email" if number % 2 else ""),
            utm_campaign="a3f9c0e1b7d44a61" if utm_content else "",
            utm_content=utm_content,
        )
        first = first or application
    for source in ("linkedin", "newsletter", f"{LONG_WORD}-portal", ""):
        JobViewCounterFactory(job=job, utm_source=source, count=123)
    return first


def _support(org, admin, staff):
    request = AccessRequestFactory(
        organization=org, opened_by=admin, last_message_at=timezone.now()
    )
    for author, from_support, body in (
        (admin, False, f"Bonjour, nous avons des contrats Naukri et LinkedIn. {LONG_EMAIL}"),
        (staff, True, "C’est activé ! Ajoutez vos contrats depuis « Gérer les contrats »."),
    ):
        AccessRequestMessage.objects.create(
            organization=org,
            access_request=request,
            author=author,
            from_support=from_support,
            body=body,
        )
    request.last_message_at = timezone.now()
    request.save(update_fields=["last_message_at"])
    return request


def _target_group_values(job, admin) -> dict:
    """The Target group step, filled in from the job as a recruiter would."""
    fields = ["title", "description", "address_line1", "address_line2", "postcode", "city"]
    fields += ["country", "allows_remote_work", "employment_type", "years_of_experience"]
    fields += ["weekly_hours_from", "weekly_hours_to", "salary_from", "salary_to"]
    fields += ["salary_currency", "salary_period", "education_level", "seniority"]
    fields += ["industry", "job_function"]
    values = {name: getattr(job, name) for name in fields}
    values.update(
        campaign_name=f"{job.title} — campagne de rentrée",
        recruiter_name=admin.get_full_name(),
        recruiter_email=admin.email,
        contact_name="Service recrutement",
        contact_email="",
        contact_phone="+33 4 72 00 00 00",
        save_to_job=False,
    )
    return values_to_json(values)


def build_showcase() -> Showcase:
    org = OrganizationFactory(
        name=f"Établissements Dupont-Aignan & Fils — {LONG_WORD} international",
        slug="etablissements-dupont-aignan",
        my_own_contracts_enabled=True,
    )
    org.logo.save("logo.png", ContentFile(tiny_png()), save=True)
    career_page = CareerPageFactory(
        organization=org,
        slug="etablissements-dupont-aignan",
        intro=f"Nous recrutons des {LONG_WORD}s.\n\nVenez nous rencontrer à Lyon.",
    )
    admin, recruiter_membership, staff = _people(org)
    terms = _taxonomy()
    job, closed_job = _jobs(org, admin, recruiter_membership.user, terms)
    contract, group, linkedin = _contracts(org, admin)
    campaign, failed_campaign = _campaigns(org, job, closed_job, admin, contract)
    application = _applications(org, job, list(campaign.postings.all()))
    invitation = InvitationFactory(
        organization=org,
        email=f"invitee.{LONG_EMAIL}",
        token_hash=hashlib.sha256(INVITATION_TOKEN.encode()).hexdigest(),
    )
    draft = draft_add_contracts(
        org=org,
        by=admin,
        job_id=job.pk,
        contract_ids=list(group.contracts.values_list("pk", flat=True)),
    )
    draft = draft_save(
        draft=draft,
        values=_target_group_values(job, admin),
        requirements={
            str(contract.pk): {
                "company-page-url": LONG_URL,
                "workplace-type": "hybrid",
                "skills": ["pg", "k8s"],
                "benefits": "Tickets restaurant, mutuelle, vélo de fonction.",
            }
        },
        complete=True,
    )
    return Showcase(
        org=org,
        admin=admin,
        recruiter=recruiter_membership.user,
        staff=staff,
        career_page=career_page,
        job=job,
        closed_job=closed_job,
        application=application,
        group=group,
        contract=contract,
        campaign=campaign,
        failed_campaign=failed_campaign,
        posting=campaign.postings.first(),
        draft=draft,
        invitation=invitation,
        membership=recruiter_membership,
        access_request=_support(org, admin, staff),
        linkedin=linkedin,
    )
