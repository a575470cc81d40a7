"""A brief as a Word document (python-docx), in the bureau's usual type: the title in 方正小标宋 (宋体
where it is missing), headings in 黑体, the body in 仿宋_GB2312 at 三号 with a two-character indent, on
A4 with the margins of an official document (GB/T 9704)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from reports import numbers as n
from reports.briefs import Brief, Table

#: Word shows 宋体 where 方正小标宋简体 is not installed.
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
TABLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"


def _font(run, *, east_asian: str, size: float, bold: bool = False) -> None:
    """A run's type: Latin and East Asian font (w:eastAsia, which Word reads for Chinese), size."""
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)


def _style_fonts(style, *, east_asian: str, size: float) -> None:
    style.font.name = LATIN_FONT
    style.font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)


def _paragraph(document, text: str, *, east_asian: str, size: float, bold=False, align=None, indent=True):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    form = paragraph.paragraph_format
    form.line_spacing = Pt(28)
    form.space_after = Pt(0)
    if indent:
        form.first_line_indent = Pt(size * 2)
    _font(paragraph.add_run(text), east_asian=east_asian, size=size, bold=bold)
    return paragraph


def brief_document(brief: Brief) -> bytes:
    """The brief's title, date, sections with their paragraphs and tables, and when it was computed."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _style_fonts(document.styles["Normal"], east_asian=BODY_FONT, size=16)
    document.core_properties.title = brief.title
    document.core_properties.author = brief.issuer

    _paragraph(
        document, brief.title, east_asian=TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False
    )
    _paragraph(
        document,
        _("(as of %(date)s)") % {"date": n.full_date(brief.as_of)},
        east_asian=BODY_FONT,
        size=16,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    for heading, part in brief.headings:
        _paragraph(
            document,
            heading,
            east_asian=HEADING_FONT,
            size=16,
        )
        for text in part.paragraphs:
            _paragraph(document, text, east_asian=BODY_FONT, size=16)
    _paragraph(
        document,
        _("%(issuer)s · figures computed at %(time)s")
        % {"issuer": brief.issuer, "time": brief.computed_text},
        east_asian=BODY_FONT,
        size=12,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        indent=False,
    )
    for number, table in enumerate(brief.tables, start=1):
        _table(document, table, number=number)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _table(document, table: Table, *, number: int) -> None:
    """An appended table (附表) on a page of its own: its title in 黑体, the grid in 宋体 五号."""
    title = _paragraph(
        document,
        _("Table %(number)s: %(title)s") % {"number": number, "title": table.title},
        east_asian=HEADING_FONT,
        size=14,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    title.paragraph_format.page_break_before = True
    grid = document.add_table(rows=1, cols=len(table.head))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for index, text in enumerate(table.head):
        _font(grid.rows[0].cells[index].paragraphs[0].add_run(text), east_asian=HEADING_FONT, size=10.5)
    for row in table.rows:
        cells = grid.add_row().cells
        for index, text in enumerate(row):
            paragraph = cells[index].paragraphs[0]
            if index in table.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _font(paragraph.add_run(text), east_asian=TABLE_FONT, size=10.5)
    # Each column as wide as its longest text needs, within the page: a department's name on one line
    # rather than the grid's equal columns breaking it after every few characters.
    for column, width in zip(grid.columns, _column_widths(table), strict=True):
        column.width = width  # the grid's own (LibreOffice reads it), and each cell's (Word does)
        for cell in column.cells:
            cell.width = width


#: The width of the text between the margins (A4, 2.8 cm and 2.6 cm margins), in cm.
TEXT_WIDTH_CM = 21 - 2.8 - 2.6


def _display_width(text: str) -> int:
    """How many half-width characters ``text`` takes: a Chinese character takes two."""
    return sum(2 if ord(character) > 0x2E7F else 1 for character in text)


#: About the width of a half-width character of the tables' 五号 type, in cm.
HALF_WIDTH_CM = 0.19


def _column_widths(table: Table) -> list[Cm]:
    """Figures and codes as wide as their longest cell (the heading counted at half, as it may take
    two lines), so that none breaks a number, and short flags whole; the columns of names share what is
    left in proportion to their longest cells."""
    needs, fixed = [], []
    for index, heading in enumerate(table.head):
        cells = [row[index] for row in table.rows]
        longest = max((_display_width(text) for text in cells), default=0)
        needs.append(max(longest, (_display_width(heading) + 1) // 2, 6) + 2)
        chinese = any(_display_width(text) > len(text) for text in cells)
        fixed.append(index in table.numeric or longest <= 12 or (not chinese and longest <= 14))
    fixed_cm = sum(need * HALF_WIDTH_CM for need, short in zip(needs, fixed, strict=True) if short)
    flexible = sum(need for need, short in zip(needs, fixed, strict=True) if not short)
    if not flexible or fixed_cm >= TEXT_WIDTH_CM:
        total = sum(needs)
        return [Cm(TEXT_WIDTH_CM * need / total) for need in needs]
    share = (TEXT_WIDTH_CM - fixed_cm) / flexible
    return [
        Cm(need * HALF_WIDTH_CM if short else need * share) for need, short in zip(needs, fixed, strict=True)
    ]
