"""What a brief is made of: titled sections of paragraphs and tables, the same for the page, the
printout and the DOCX (SPEC §15)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from reports import numbers


@dataclass(frozen=True)
class Table:
    """A table of a brief: its title, column headings and rows of text as the page shows them;
    ``numeric`` marks the columns to align right."""

    title: str
    head: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Section:
    """One section: a heading, its paragraphs, and any tables that go with them."""

    key: str
    heading: str
    paragraphs: list[str]
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class Brief:
    """A brief as written: title, the date it speaks of, when its figures were computed, sections."""

    title: str
    issuer: str
    as_of: datetime.date
    computed_at: datetime.datetime | None
    sections: list[Section]

    @property
    def headings(self) -> list[tuple[str, Section]]:
        """Each section with its numbered heading ("一、民生支出保障")."""
        return [(numbers.heading(number, part.heading), part) for number, part in enumerate(self.sections, 1)]

    @property
    def computed_text(self) -> str:
        """When its figures were computed, local time, in the document's words; "—" if unknown."""
        if self.computed_at is None:
            return "—"
        return numbers.moment(timezone.localtime(self.computed_at))

    @property
    def tables(self) -> list[Table]:
        """The sections' tables in order: a brief prints them after its text, as appended tables
        (附表), each on a page of its own."""
        return [table for section in self.sections for table in section.tables]


#: A section builder: from the data of one run to its section, or None when the data is missing
#: (a sentence without its figures is left out, never filled with zeros).
Builder = Callable[..., Section | None]


def write(builders: list[Builder], data) -> list[Section]:
    """The sections whose data is there, in the builders' order."""
    return [section for builder in builders if (section := builder(data)) is not None]
