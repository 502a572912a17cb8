"""The channel catalogue: famous boards with fixed ids, then generated boards.

Everything is derived from the channel id and fixed word lists, so the same ``--channels``
count gives the same ids, names and details on every run and on every machine.
"""

from dataclasses import replace

from . import facet_sets, facets
from .boards import CREDENTIAL_SCHEMES, FAMOUS, FIRST_GENERATED_ID, SETUP_INSTRUCTIONS, Channel
from .i18n import text

ADJECTIVES = [
    "Bright",
    "Prime",
    "Open",
    "Smart",
    "Next",
    "True",
    "Swift",
    "Urban",
    "Global",
    "Local",
    "Green",
    "Blue",
    "North",
    "South",
    "East",
    "West",
    "Metro",
    "Coastal",
    "Alpine",
    "Digital",
    "Tech",
    "Health",
    "Care",
    "Finance",
    "Retail",
    "Student",
    "Senior",
    "Expat",
    "Remote",
    "Creative",
    "Green Energy",
    "Hospitality",
    "Logistics",
    "Engineering",
    "Legal",
    "Public",
    "Startup",
    "Trade",
    "Industry",
    "Talent",
]
NOUNS = [
    "Jobs",
    "Careers",
    "Work",
    "Vacancies",
    "Hiring",
    "Talent",
    "Recruit",
    "Staff",
    "Openings",
    "Opportunities",
    "Employment",
    "Positions",
    "Jobboard",
    "Hub",
    "Network",
    "Market",
    "Connect",
    "Match",
    "Portal",
    "Finder",
    "Search",
    "Direct",
    "Plus",
    "Pro",
    "Today",
    "Now",
    "Board",
    "Desk",
    "Point",
    "Link",
]
COUNTRIES = [
    ("NL", "Netherlands"),
    ("DE", "Germany"),
    ("FR", "France"),
    ("BE", "Belgium"),
    ("GB", "UK"),
    ("IE", "Ireland"),
    ("ES", "Spain"),
    ("PT", "Portugal"),
    ("IT", "Italy"),
    ("CH", "Switzerland"),
    ("AT", "Austria"),
    ("PL", "Poland"),
    ("CZ", "Czechia"),
    ("SK", "Slovakia"),
    ("HU", "Hungary"),
    ("RO", "Romania"),
    ("BG", "Bulgaria"),
    ("GR", "Greece"),
    ("SE", "Sweden"),
    ("NO", "Norway"),
    ("DK", "Denmark"),
    ("FI", "Finland"),
    ("EE", "Estonia"),
    ("LV", "Latvia"),
    ("LT", "Lithuania"),
    ("US", "USA"),
    ("CA", "Canada"),
    ("MX", "Mexico"),
    ("BR", "Brazil"),
    ("AR", "Argentina"),
    ("CL", "Chile"),
    ("CO", "Colombia"),
    ("PE", "Peru"),
    ("IN", "India"),
    ("PK", "Pakistan"),
    ("AE", "UAE"),
    ("SA", "Saudi Arabia"),
    ("EG", "Egypt"),
    ("ZA", "South Africa"),
    ("NG", "Nigeria"),
    ("KE", "Kenya"),
    ("MA", "Morocco"),
    ("AU", "Australia"),
    ("NZ", "New Zealand"),
    ("SG", "Singapore"),
    ("MY", "Malaysia"),
    ("PH", "Philippines"),
    ("JP", "Japan"),
    ("KR", "Korea"),
    ("TR", "Turkey"),
]
SCHEMES = ["apikey", "userpass", "select", "apikey", "oauth", "userpass", "apikey"]
SETS = ["none", "basic", "location", "none", "dates", "basic", "location", "none"]
TYPES = ["job board"] * 7 + ["community", "aggregator", "social media"]


def generated(index: int) -> Channel:
    """The ``index``-th generated board (0-based); unique names for the first 60,000."""
    code, country = COUNTRIES[index % len(COUNTRIES)]
    noun = NOUNS[(index // len(COUNTRIES)) % len(NOUNS)]
    adjective = ADJECTIVES[(index // (len(COUNTRIES) * len(NOUNS))) % len(ADJECTIVES)]
    cycle = index // (len(COUNTRIES) * len(NOUNS) * len(ADJECTIVES))
    name = f"{adjective} {noun} {country}" + (f" {cycle + 1}" if cycle else "")
    slug = "".join(ch for ch in name.lower() if ch.isalnum())
    return Channel(
        id=FIRST_GENERATED_ID + index,
        name=name,
        url=f"https://www.{slug}.example",
        country=code,
        type=TYPES[index % len(TYPES)],
        credentials=SCHEMES[index % len(SCHEMES)],
        validates=index % 5 == 0,
        facet_set=SETS[index % len(SETS)],
        manual_setup="generic" if index % 23 == 0 else None,
    )


class Catalogue:
    def __init__(self, count: int, public_url: str, id_offset: int = 0):
        self.public_url = public_url.rstrip("/")
        extra = max(0, count - len(FAMOUS))
        channels = list(FAMOUS) + [generated(i) for i in range(extra)]
        # Another provider numbers its channels its own way: the same boards, other ids.
        if id_offset:
            channels = [replace(c, id=c.id + id_offset) for c in channels]
        self.channels: list[Channel] = channels
        self.by_id = {c.id: c for c in self.channels}
        self.by_product = {c.product_id: c for c in self.channels}
        self._lower_names = [c.name.lower() for c in self.channels]

    def search(self, term: str | None, ids: set[int] | None = None) -> list[Channel]:
        if ids is not None:
            pool = [c for c in self.channels if c.id in ids]
        else:
            pool = self.channels
        if not term:
            return pool
        needle = term.lower()
        if ids is None:
            return [c for c, n in zip(self.channels, self._lower_names, strict=True) if needle in n]
        return [c for c in pool if needle in c.name.lower()]

    def logo(self, channel: Channel) -> list[dict]:
        return [{"size": "300x300", "url": f"{self.public_url}/_sandbox/logos/{channel.id}.svg"}]

    def summary(self, channel: Channel) -> dict:
        logo = self.logo(channel)
        return {
            "id": channel.id,
            "name": channel.name,
            "url": channel.url,
            "type": channel.type,
            "mc_enabled": True,
            "logo_url": logo,
            "logo_rectangle_url": logo,
            "logo_square_url": logo,
        }

    def credentials(self, channel: Channel, lang: str) -> list[dict]:
        out = []
        for c in CREDENTIAL_SCHEMES[channel.credentials]:
            item = {
                "name": c["name"],
                "label": text(c["label"], lang),
                "sort": c["sort"],
                "description": text(c["description"], lang),
            }
            if c["url"]:
                item["url"] = c["url"].format(public_url=self.public_url, channel_id=channel.id)
            if c["options"]:
                item["options"] = [
                    {"key": o["key"], "label": text(o["label"], lang)} for o in c["options"]
                ]
            out.append(item)
        return out

    def facets(self, channel: Channel) -> list[dict]:
        return facet_sets.FACET_SETS[channel.facet_set]

    def product(self, channel: Channel) -> dict:
        return {"product_id": channel.product_id, "title": channel.product_title}

    def feed_url(self, channel: Channel, customer_id: str | None) -> str | None:
        """The job feed address a customer registers on a feed board (``notes.md``)."""
        if not channel.feed:
            return None
        return f"{self.public_url}/_sandbox/feeds/{customer_id or 'customer'}/{channel.id}.xml"

    def details(self, channel: Channel, lang: str, customer_id: str | None = None) -> dict:
        data = self.summary(channel)
        data.update(
            {
                "manual_setup_required": channel.manual_setup is not None,
                "setup_instructions": SETUP_INSTRUCTIONS.get(channel.manual_setup, ""),
                "contract_credentials": self.credentials(channel, lang),
                "posting_requirements": facets.render(self.facets(channel), lang),
                "product": {**self.product(channel), "allows_edit": False},
                "feed_url": self.feed_url(channel, customer_id),
            }
        )
        return data
