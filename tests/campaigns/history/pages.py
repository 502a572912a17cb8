"""Reading the History's HTML the way a person reads it: the table's rows and their cells."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Row:
    posting: int
    status: str
    cells: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

    @property
    def metrics(self) -> list[str]:
        """Views, clicks and applications as shown."""
        return self.cells[-3:]

    @property
    def badge(self) -> str:
        return self.cells[2]


class _Rows(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[Row] = []
        self._cell: list[str] | None = None
        self._hidden = 0  # depth inside .visually-hidden (text for screen readers only)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "tr" and "data-posting" in attributes:
            self.rows.append(Row(int(attributes["data-posting"]), attributes["data-status"]))
        elif not self.rows:
            return
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "a" and attributes.get("href"):
            self.rows[-1].links.append(attributes["href"])
        elif tag == "span" and (self._hidden or "visually-hidden" in attributes.get("class", "")):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].cells.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "span" and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if self._cell is not None and not self._hidden:
            self._cell.append(data)


def history_rows(html: str) -> dict[int, Row]:
    """The History table's rows by posting id."""
    parser = _Rows()
    parser.feed(html)
    return {row.posting: row for row in parser.rows}
