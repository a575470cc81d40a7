"""The dashboard's tables (SPEC §6), django-tables2: sortable, paginated, exported as CSV and XLSX.

Amounts show as 万元 and export as Decimal 万元 to the cent; ratios show as percentages with one decimal
and export as the fraction they show (0.816 for 81.6%); points export as the Decimal they show. Each
figure column names its ``export_format``, the number format its XLSX cells get. Warning levels and
grades show as coloured labels and export as their names."""

from __future__ import annotations

from performance.tables.adjustments import AdjustmentTable, ProposalColumn  # noqa: F401
from performance.tables.columns import (  # noqa: F401
    GRADE_LABELS,
    PERMILLE,
    WARNING_LABELS,
    FlagColumn,
    GradeColumn,
    PercentColumn,
    PointsColumn,
    WarningColumn,
)
from performance.tables.departments import LeaderboardTable, UnitTable  # noqa: F401
from performance.tables.evaluations import EvaluationTable, InflatedSelfScoreTable  # noqa: F401
from performance.tables.funds import DirectFundTable  # noqa: F401
from performance.tables.pool import PoolTable  # noqa: F401
from performance.tables.rectification import RectificationTable, new_item_url, open_item_link  # noqa: F401, E402
from performance.tables.warnings import (  # noqa: F401
    DoubleDeviationTable,
    WarningDepartmentTable,
    WarningTable,
)
