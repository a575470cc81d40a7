"""What an import can say about a file or a row: English message ids, translated when shown.

Problems are stored (on an ``ImportJob``) as the untranslated message id and its parameters, so that
a worker in any language records them and each reader sees them in their own language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_noop

# The file as a whole.
EMPTY_FILE = gettext_noop("The file is empty (0 bytes).")
NO_ROWS = gettext_noop("The file holds no rows of data, only a header or nothing at all.")
FILE_TOO_LARGE = gettext_noop("The file is %(size)s bytes; the limit is %(limit)s bytes.")
UNKNOWN_FORMAT = gettext_noop("Upload an .xlsx or a .csv file; “%(name)s” is neither.")
NOT_XLSX = gettext_noop("The file is not a readable XLSX workbook: %(detail)s")
ZIP_BOMB = gettext_noop(
    "The workbook unpacks to more than %(limit)s bytes; it is refused to protect the server. "
    "Save the data as a smaller workbook or as CSV."
)
SHEET_TOO_LARGE = gettext_noop(
    "The first sheet states that it spans %(rows)s rows (%(ref)s); at most %(limit)s rows are accepted. "
    "Delete the empty rows below the data, or copy the data to a new sheet, and save again."
)
SHEET_TOO_LONG = gettext_noop(
    "The first sheet has a cell at %(ref)s, row %(rows)s; at most %(limit)s rows are accepted. "
    "Delete what lies below the data, or copy the data to a new sheet, and save again."
)
SHEET_TOO_WIDE = gettext_noop(
    "The first sheet has a cell at %(ref)s, column %(columns)s; at most %(limit)s columns are accepted. "
    "Delete what lies to the right of the data, or copy the data to a new sheet, and save again."
)
SHEET_TOO_MANY_CELLS = gettext_noop(
    "The first sheet spans %(cells)s cells up to %(ref)s; at most %(limit)s are accepted. "
    "Delete what lies beyond the data, or split the file."
)
OUT_OF_MEMORY = gettext_noop(
    "Checking this file needs more memory than one import may use (%(limit)s MB); nothing was changed. "
    "Split the file, or save it as CSV."
)
HEAVY_IMPORT_BUSY = gettext_noop(
    "Your large file “%(file)s” is still being checked or applied; wait until it is done before you "
    "upload another large file."
)
JOB_STOPPED = gettext_noop(
    "The process working on this file stopped without finishing (it was restarted, or the file needed "
    "more memory than it had); nothing was changed. Upload the file again, or split it into smaller "
    "files; tell the administrator if it happens again."
)
JOB_ERROR = gettext_noop(
    "The server could not finish this import; nothing was changed. Upload the file again, or tell the "
    "administrator if it happens again."
)
TOO_MANY_ROWS = gettext_noop("The file has more than %(limit)s rows of data; split it into smaller files.")
MERGED_HEADER = gettext_noop(
    "The header cells %(cells)s are merged; every column needs its own header cell. "
    "Unmerge the cells and give each column its header."
)
MERGED_CELLS = gettext_noop("The cells %(cells)s are merged; only the first holds a value. Unmerge them.")
NOT_TEXT = gettext_noop("The file is not a text (CSV) file: it contains binary data.")
BAD_ENCODING = gettext_noop(
    "The file's text is neither UTF-8 nor GBK/GB18030; save it as CSV UTF-8 and try again."
)
BAD_CSV = gettext_noop("The CSV file cannot be read: %(detail)s")
MISSING_COLUMN = gettext_noop("The column “%(column)s” (%(zh)s) is missing from the header.")
DUPLICATE_COLUMN = gettext_noop("The column “%(column)s” appears twice in the header.")

# One cell.
REQUIRED = gettext_noop("A value is required.")
TOO_LONG = gettext_noop("At most %(limit)s characters; this value has %(length)s.")
NOT_A_NUMBER = gettext_noop(
    "“%(value)s” is not a number: write digits, with thousands commas if you like, one decimal point "
    "and an optional sign, such as -1,234.56."
)
NEGATIVE = gettext_noop("%(value)s is negative; it must be 0 or more.")
TOO_MANY_DECIMALS = gettext_noop("%(value)s has more than %(places)s decimal places.")
NUMBER_TOO_LARGE = gettext_noop("%(value)s is too large.")
OUT_OF_RANGE = gettext_noop("%(value)s is outside %(low)s–%(high)s.")
NOT_A_YEAR = gettext_noop("“%(value)s” is not a year: write its four digits, such as 2021.")
BAD_DATE = gettext_noop("“%(value)s” is not a valid date (use YYYY-MM-DD).")
BAD_CHOICE = gettext_noop("“%(value)s” is not one of: %(choices)s.")

# References and keys.
UNKNOWN_YEAR = gettext_noop("There is no fiscal year %(value)s.")
UNKNOWN_DEPARTMENT = gettext_noop("There is no department with code %(value)s.")
UNKNOWN_UNIT = gettext_noop("There is no budget unit with code %(value)s.")
UNKNOWN_PROJECT = gettext_noop("There is no project %(value)s in fiscal year %(year)s.")
UNKNOWN_FUNCTION_CLASS = gettext_noop("There is no function class with code %(value)s.")
UNKNOWN_FUND_SOURCE = gettext_noop("There is no fund source %(value)s.")
UNKNOWN_GRANT = gettext_noop("There is no central direct fund grant %(value)s in fiscal year %(year)s.")
DUPLICATE_KEY = gettext_noop("%(key)s appears again: line %(first)s has the same key.")

# Rules of one kind.
SCORE_ABOVE_MAXIMUM = gettext_noop("%(value)s is above the maximum of %(maximum)s for this dimension.")
SELF_EVALUATION_IN_REVIEW = gettext_noop(
    "This project's self-evaluation is being filled or reviewed in the app: it is finalised by its approval, "
    "not by an import."
)
FINALISED_NEEDS_SCORES = gettext_noop(
    "A finalised evaluation needs all four scores; only a draft may leave one blank."
)
PROJECT_OR_DEPARTMENT = gettext_noop(
    "Give either a project code or a department code, not both and not neither."
)
KIND_NEEDS_PROJECT = gettext_noop("“%(kind)s” is of a project: give its project code.")
KIND_NEEDS_DEPARTMENT = gettext_noop(
    "A department-wide evaluation is of a department: give its department code."
)
KEY_CATEGORY_NEEDED = gettext_noop(
    "A key evaluation needs its sub-category (key_category); it cannot be told from this project's category."
)
KEY_CATEGORY_ONLY_FOR_KEY = gettext_noop("Only a key evaluation has a sub-category.")
DEPARTMENT_WIDE_NEEDS_DEPARTMENT = gettext_noop(
    "A department-wide key evaluation is of a department, not a project."
)
TARGET_NEEDED = gettext_noop("A quantitative indicator (≥, ≤, =) needs a target value.")
WRONG_YEAR_GRANT = gettext_noop("The grant %(value)s belongs to another fiscal year.")
PAID_OUTSIDE_YEAR = gettext_noop(
    "The payment date %(date)s is outside fiscal year %(year)s: a payment of %(year)s is dated from "
    "%(year)s-01-01 to %(year)s-12-31."
)
PAID_AFTER_AS_OF = gettext_noop(
    "The payment date %(date)s is after %(as_of)s, the date the figures of %(year)s are computed as of: "
    "the payment is imported, but counts in the figures only once they are computed as of a later date."
)
VOUCHER_OF_ANOTHER_PROJECT = gettext_noop(
    "Voucher %(voucher)s already belongs to project %(stored)s; this line gives project %(given)s. "
    "A voucher is never moved to another project: correct the line, or reverse the payment in its "
    "project and pay the other project under a new voucher."
)
BALANCE_BELOW_ZERO = gettext_noop(
    "The payments of project %(project)s would sum to %(total)s yuan up to %(date)s, below zero: "
    "a reversal may take back at most what was paid up to its date."
)
WRONG_UNIT = gettext_noop(
    "The column “%(column)s” gives its amounts in %(unit)s; amounts are imported in 元 (yuan). "
    "Convert them to 元 and name the column “%(expected)s”."
)

# Rollback.
ROLLBACK_NOT_LATEST = gettext_noop(
    "Only the latest import of a kind can be rolled back; roll back %(latest)s first."
)
ROLLBACK_ALREADY = gettext_noop("This import was already rolled back.")
ROLLBACK_CHANGED_SINCE = gettext_noop(
    "%(count)s rows that this import wrote were changed afterwards (for example line %(line)s); "
    "rolling back would overwrite those changes, so nothing was rolled back."
)
ROLLBACK_IN_USE = gettext_noop(
    "%(count)s %(what)s now refer to rows that this import created (for example line %(line)s); "
    "remove them first, so nothing was rolled back."
)
DATABASE_REFUSED = gettext_noop("The database refused the change (%(detail)s); nothing was changed.")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file (line None) or with a cell or row of it."""

    message: str
    params: dict = field(default_factory=dict)
    line: int | None = None
    column: str = ""

    def text(self) -> str:
        """The message in the active language, parameters filled in."""
        return gettext(self.message) % self.params if self.params else gettext(self.message)

    def as_json(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message, "params": self.params}

    @classmethod
    def from_json(cls, data: dict) -> Problem:
        return cls(
            message=data["message"],
            params=data.get("params") or {},
            line=data.get("line"),
            column=data.get("column") or "",
        )

    def at(self, *, line: int | None, column: str = "") -> Problem:
        return Problem(self.message, self.params, line, column or self.column)


class ImportRefused(Exception):
    """The file or a rollback cannot go ahead; ``problems`` say why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


class CellError(ValueError):
    """A cell's value cannot be used; carries the problem without its line and column."""

    def __init__(self, message: str, **params) -> None:
        super().__init__(message)
        self.problem = Problem(message, {k: str(v) for k, v in params.items()})


def refuse(message: str, **params) -> ImportRefused:
    """A refusal of the whole file for one reason, its parameters as text."""
    return ImportRefused([Problem(message, {k: str(v) for k, v in params.items()})])
