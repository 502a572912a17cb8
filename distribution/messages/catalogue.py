"""The provider's catalogue as the client hands it over: boards (channels), what a contract
with a board needs, and the taxonomies."""

from dataclasses import dataclass, field
from enum import StrEnum

from .facets import Facet


@dataclass(frozen=True)
class ChannelSummary:
    provider_id: int
    name: str
    url: str = ""  # http(s) only: anything else was dropped at the boundary
    type: str = ""
    logo_url: str = ""  # http(s) only
    mc_enabled: bool = True


@dataclass(frozen=True)
class ChannelPage:
    count: int
    channels: list[ChannelSummary]
    has_next: bool = False


@dataclass(frozen=True)
class CredentialOption:
    key: str
    label: str


class CredentialKind(StrEnum):
    OAUTH = "oauth"
    SELECT = "select"
    SECRET = "secret"  # noqa: S105 - a kind of input, not a password
    TEXT = "text"


@dataclass(frozen=True)
class CredentialDefinition:
    """One credential a board needs for a contract. ``kind`` is derived (the provider sends
    none): ``oauth`` when it has a url, ``select`` when it has options, ``secret`` for
    secret-looking names (masked input, never shown back), else ``text``."""

    name: str
    label: str
    kind: CredentialKind
    sort: int = 0
    description: str = ""
    url: str = ""  # the OAuth consent address (http/https only)
    options: list[CredentialOption] = field(default_factory=list)


@dataclass(frozen=True)
class Product:
    product_id: str
    title: str = ""


@dataclass(frozen=True)
class ChannelDetail:
    provider_id: int
    name: str
    url: str
    type: str
    logo_url: str
    mc_enabled: bool
    manual_setup_required: bool
    setup_instructions: str  # HTML from the provider: sanitise before rendering
    credentials: list[CredentialDefinition]
    posting_requirements: list[Facet]
    product: Product | None
    # A per-customer job feed address to register on the board before ordering (notes.md:
    # without it the postings end "not processed" with no error from the provider).
    feed_url: str = ""

    @property
    def needs_customer_feed(self) -> bool:
        return bool(self.feed_url)


@dataclass(frozen=True)
class TaxonomyEntry:
    id: int
    name_en: str
    name_fr: str = ""
    children: list["TaxonomyEntry"] = field(default_factory=list)
