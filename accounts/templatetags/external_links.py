"""Links that leave Jobcast (job ads and boards' sites from the provider, anything a person
typed): every one is rendered by ``{% external_link url %}``.

Only an absolute ``http``/``https`` address becomes a link, so a ``javascript:`` or
``data:`` URL from the provider (which the client already drops at the boundary) or from a
form can never run when clicked; it opens in a new tab without giving that page a handle on
ours (``rel="noopener noreferrer"``) and tells screen-reader users so. Images from the
provider (boards' logos) go through the same check: ``{{ url|external_url }}``.
"""

from urllib.parse import urlsplit

from django import template

register = template.Library()

EXTERNAL_SCHEMES = frozenset({"http", "https"})


@register.filter
def external_url(url) -> str:
    """``url`` when it is an absolute http(s) address without control characters, else ""."""
    url = str(url or "").strip()
    if not url or any(ord(char) < 33 or ord(char) == 127 for char in url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return ""
    if parts.scheme.lower() not in EXTERNAL_SCHEMES or not parts.hostname:
        return ""
    return url


@register.inclusion_tag("includes/external_link.html")
def external_link(url, label="", testid="", empty="", hidden=""):
    """The link, or ``empty`` when ``url`` is not a safe external address. ``label``
    defaults to the address itself; ``hidden`` is said to screen readers after it (e.g.
    which board a "View ad" link goes to), before "(opens in a new tab)"."""
    href = external_url(url)
    return {
        "href": href,
        "label": label or href,
        "testid": testid,
        "empty": empty,
        "hidden": hidden,
    }
