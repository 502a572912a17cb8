"""The provider's status texts as plain text.

A failed board's ``statusSolution`` and ``statusRawError`` may contain markup (the provider's
documentation says so, and its French solution carries a link). Escaped as they are, people
would read raw tags; rendered as HTML, the provider could put anything on our pages. So they
are turned into plain text at display, and the templates still escape the result: the tags
go, the entities are decoded, and a link keeps its address when that is a web address.

The database keeps what the provider said; only what is shown is converted.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

# Tags that end a block of text (a line here); the others (b, span, …) only wrap words.
BLOCK_TAGS = frozenset(
    {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}
    | {"table", "tr", "section", "article", "header", "footer"}
)
# Their content is code or styling, never words for the reader.
HIDDEN_CONTENT_TAGS = frozenset({"script", "style", "template", "noscript"})
LINK_SCHEMES = frozenset({"http", "https"})


def provider_plain_text(markup: str | None) -> str:
    """``markup`` (the provider's text, with or without tags) as plain text: its lines end at
    ``<br>`` and block tags, whitespace within a line is collapsed, and a link to a web
    address reads "label (https://…)" (the address alone when it is the label)."""
    if not markup:
        return ""
    parser = _PlainText()
    parser.feed(markup)
    parser.close()
    return parser.text


def _web_address(href: str | None) -> str:
    """``href`` when it is an http(s) address, else "" (javascript:, mailto:, relative…)."""
    address = (href or "").strip()
    try:
        parts = urlsplit(address)
    except ValueError:  # an unparsable address (a broken IPv6 host) is no address to show
        return ""
    return address if parts.scheme.lower() in LINK_SCHEMES and parts.netloc else ""


class _PlainText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self._lines: list[list[str]] = [[]]
        self._hidden_depth = 0
        # The open link's address and where its label starts in the current line.
        self._link: tuple[str, int] | None = None

    @property
    def text(self) -> str:
        lines = (" ".join("".join(parts).split()) for parts in self._lines)
        return "\n".join(line for line in lines if line)

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_CONTENT_TAGS:
            self._hidden_depth += 1
        elif tag == "br" or tag in BLOCK_TAGS:
            self._end_link()
            self._lines.append([])
        elif tag == "a":
            self._end_link()
            self._link = (_web_address(dict(attrs).get("href")), len(self._lines[-1]))

    def handle_startendtag(self, tag, attrs):
        # <br/>, <script/>: nothing opens, so nothing is left to close.
        if tag not in HIDDEN_CONTENT_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in HIDDEN_CONTENT_TAGS:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag in BLOCK_TAGS:
            self._end_link()
            self._lines.append([])
        elif tag == "a":
            self._end_link()

    def handle_data(self, data):
        if not self._hidden_depth:
            self._lines[-1].append(data)

    def close(self):
        super().close()
        self._end_link()

    def _end_link(self) -> None:
        """Show the open link's address after its label, unless the label already says it."""
        if self._link is None:
            return
        address, start = self._link
        self._link = None
        if not address:
            return
        label = " ".join("".join(self._lines[-1][start:]).split())
        if not label:
            self._lines[-1].append(address)
        elif label.rstrip("/") != address.rstrip("/"):
            self._lines[-1].append(f" ({address})")
