"""HTML the sandbox serves: the job board ad pages, the OAuth consent page and logos.

Ad descriptions come from customers, so they go through an allow-list sanitiser (the tags
the provider allows in ``description``); everything else we print is escaped.
"""

from html import escape
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit, urlunsplit

ALLOWED_TAGS = {
    "a",
    "em",
    "b",
    "br",
    "strong",
    "i",
    "li",
    "ol",
    "p",
    "ul",
    "u",
    "h1",
    "h2",
    "h3",
    "hr",
    "span",
    "sub",
    "sup",
}
VOID_TAGS = {"br", "hr"}
DROP_CONTENT = {"script", "style", "iframe", "object", "template"}


class _Sanitiser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._dropping = 0

    def handle_starttag(self, tag, attrs):
        if tag in DROP_CONTENT:
            self._dropping += 1
            return
        if self._dropping or tag not in ALLOWED_TAGS:
            return
        kept = ""
        if tag == "a":
            for name, value in attrs:
                if (
                    name == "href"
                    and value
                    and urlsplit(value).scheme in ("http", "https", "mailto")
                ):
                    kept += f' href="{escape(value)}" rel="nofollow noopener"'
                elif name == "target" and value == "_blank":
                    kept += ' target="_blank"'
        self.out.append(f"<{tag}{kept}>")

    def handle_endtag(self, tag):
        if tag in DROP_CONTENT:
            self._dropping = max(0, self._dropping - 1)
            return
        if not self._dropping and tag in ALLOWED_TAGS and tag not in VOID_TAGS:
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if not self._dropping:
            self.out.append(escape(data))


def sanitise(html: str) -> str:
    parser = _Sanitiser()
    parser.feed(html or "")
    parser.close()
    return "".join(parser.out)


def add_query(url: str, query: str) -> str:
    """Append ``query`` to ``url``, keeping its own query and fragment."""
    if not query:
        return url
    parts = urlsplit(url)
    merged = f"{parts.query}&{query}" if parts.query else query
    return urlunsplit((parts.scheme, parts.netloc, parts.path, merged, parts.fragment))


def _layout(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;"
        "padding:0 1rem;color:#222}header{border-bottom:2px solid #246;margin-bottom:1rem}"
        "button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem;cursor:pointer}"
        ".muted{color:#666}</style></head><body>"
        f"{body}</body></html>"
    )


def board_page(board: str, campaign: dict, product: dict) -> tuple[int, str]:
    details = campaign.get("postingDetails") or {}
    location = details.get("workingLocation") or {}
    organisation = (details.get("organization") or {}).get("name", "")
    apply_path = f"/_sandbox/boards/{campaign['campaignId']}/{product['productId']}/apply"
    where = ", ".join(str(location[k]) for k in ("city", "country") if location.get(k))
    header = f'<header><p class="muted">{escape(board)}</p></header>'
    if product["status"] != "online":
        body = (
            f"{header}<h1>{escape(str(details.get('title', '')))}</h1>"
            "<p>This job is no longer available on this board.</p>"
        )
        return 410, _layout(board, body)
    body = (
        f"{header}<h1>{escape(str(details.get('title', '')))}</h1>"
        f"<p><strong>{escape(str(organisation))}</strong> · "
        f'<span class="location">{escape(where)}</span></p>'
        f'<article class="description">{sanitise(str(details.get("description", "")))}'
        "</article>"
        f'<form method="post" action="{escape(apply_path)}">'
        '<button type="submit">Apply</button></form>'
        f"{_job_page_link(details.get('jobPageUrl'), str(organisation))}"
    )
    return 200, _layout(f"{details.get('title', '')} - {board}", body)


def _job_page_link(url, organisation: str) -> str:
    """The job on the organisation's own career page, as boards link back to it."""
    if not url or urlsplit(str(url)).scheme not in ("http", "https"):
        return ""
    label = f"See this job on {organisation}'s career page" if organisation else "Career page"
    return (
        f'<p><a class="career-page" href="{escape(str(url))}" rel="noopener">'
        f"{escape(label)}</a></p>"
    )


def consent_page(board: str, channel_id: int, callback_url: str) -> str:
    hidden = (
        f'<input type="hidden" name="channel_id" value="{channel_id}">'
        f'<input type="hidden" name="callbackUrl" value="{escape(callback_url)}">'
    )
    body = (
        f'<header><p class="muted">{escape(board)}</p></header>'
        f"<h1>Allow Jobcast to post on {escape(board)}?</h1>"
        "<p>Jobcast will be able to publish and take down job ads with your account.</p>"
        f'<form method="post" action="/_sandbox/oauth/consent">{hidden}'
        '<button type="submit" name="decision" value="allow">Allow</button>'
        '<button type="submit" name="decision" value="deny">Deny</button></form>'
    )
    return _layout(f"Connect {board}", body)


def consent_redirect(callback_url: str, token: str | None, *, fragment: bool = False) -> str:
    """Back to the callback with the token in its query (``?hash=``) or, as the guides'
    contract-setup scenario describes, in its fragment (``#hash=``); a refusal is always in
    the query (``?error=access_denied``)."""
    if token and fragment:
        return urlunsplit(urlsplit(callback_url)._replace(fragment=urlencode({"hash": token})))
    params = {"hash": token} if token else {"error": "access_denied"}
    return add_query(callback_url, urlencode(params))


def message_page(title: str, text: str) -> str:
    return _layout(title, f"<h1>{escape(title)}</h1><p>{escape(text)}</p>")


COLOURS = ["#1f6feb", "#8250df", "#bf3989", "#cf222e", "#bc4c00", "#4d2d00", "#1a7f37", "#0969da"]


def logo_svg(channel_id: int, name: str) -> str:
    initials = "".join(w[0] for w in name.split()[:2]).upper() or "?"
    colour = COLOURS[channel_id % len(COLOURS)]
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300" viewBox="0 0 300 300">'
        f'<rect width="300" height="300" rx="40" fill="{colour}"/>'
        '<text x="150" y="190" font-family="sans-serif" font-size="120" fill="#fff" '
        f'text-anchor="middle">{escape(initials)}</text></svg>'
    )
