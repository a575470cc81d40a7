"""Requests and what a page shows, read as a user reads it: its text, tables, cards, options and charts."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.test import Client


def get(client: Client, user, url: str, **params):
    """GET ``url`` as ``user`` (None: anonymous)."""
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url, params)


def text(response) -> str:
    """The page's HTML with tags dropped and whitespace squeezed: what a user reads."""
    html = response.content.decode()
    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


def download(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.getvalue()


class _Tables(HTMLParser):
    """Every <table> of a page as rows of (the row's class, [each cell's text])."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[tuple[str, list[str]]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._row_class = ""
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and not self._in_head:
            self._row, self._row_class = [], dict(attrs).get("class") or ""
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self.tables:
                self.tables[-1].append((self._row_class, self._row))
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(response) -> list[list[tuple[str, list[str]]]]:
    """The page's tables, each a list of body rows as (row class, cell texts)."""
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser.tables


def rows(response, index: int = -1) -> list[list[str]]:
    """The cell texts of one table's body rows (default: the page's last table)."""
    return [cells for _class, cells in tables(response)[index]]


NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?%?")


def cards(response) -> list[list[str]]:
    """The figures of each headline card ("card stat"), in page order: the numbers a user reads."""
    html = response.content.decode()
    values = re.findall(r'<span class="value">(.*?)</span>\s*(?:<span class="sub|</div>|</a>)', html, re.S)
    return [NUMBER.findall(re.sub(r"<[^>]+>", " ", value)) for value in values]


def card_notes(response) -> list[list[str]]:
    """The numbers of each card's smaller line under its figure."""
    html = response.content.decode()
    subs = re.findall(r'<span class="sub[^"]*">(.*?)</span>\s*(?:</div>|</a>)', html, re.S)
    return [NUMBER.findall(re.sub(r"<[^>]+>", " ", sub)) for sub in subs]


def select_options(response, name: str) -> list[str]:
    """The option labels of the form field ``name`` (the empty choice left out)."""
    html = response.content.decode()
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    return [
        label.strip()
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', select.group(1))
        if value
    ]


def figures(response) -> list[dict]:
    """The Plotly figures the page hands to its charts (as JSON), in page order."""
    return response.context["charts"]


def figure_of(response, kind: str) -> dict:
    """The first of the page's figures whose first trace is of ``kind`` ("bar", "treemap", "scatter")."""
    found = [fig for fig in figures(response) if fig["data"] and fig["data"][0]["type"] == kind]
    assert len(found) >= 1, f"no {kind} chart"
    return found[0]


def listed(response, index: int = -1) -> list[list[str]]:
    """The rows of a list, without the one "nothing to show" row of an empty list."""
    return [cells for cells in rows(response, index) if len(cells) > 1]


def nav_links(response) -> set[str]:
    nav = re.search(r"<nav\b.*?</nav>", response.content.decode(), flags=re.S)
    assert nav, "the page has no navigation"
    return set(re.findall(r'href="([^"]+)"', nav.group(0)))


def rows_of(response, heading: str) -> list[list[str]]:
    """The body rows of the table whose header has ``heading``, as cell texts."""
    html = response.content.decode()
    for table in re.findall(r"<table.*?</table>", html, re.S):
        if heading in table:
            body = table.split("<tbody>", 1)[1]
            return [
                [
                    re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
                    for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
                ]
                for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
            ]
    raise AssertionError(f"no table with {heading!r}")
