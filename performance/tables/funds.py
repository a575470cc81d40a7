"""The central direct funds table."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from finance.tables import WanYuanColumn
from performance.tables.columns import PercentColumn
from performance.tables.warnings import column_total


class DirectFundTable(tables.Table):
    """Each grant, received, allocated and spent, over a total row of every grant (``totals``)."""

    exportable = True

    code = tables.Column(
        verbose_name=_("Grant code"), footer=lambda table: _("Total") if table.totals else ""
    )
    name = tables.Column(verbose_name=_("Grant"), attrs={"td": {"class": "wrap"}})
    amount = WanYuanColumn(verbose_name=_("Received (10k yuan)"), footer=column_total("amount"))
    allocated = WanYuanColumn(verbose_name=_("Allocated (10k yuan)"), footer=column_total("allocated"))
    allocation_progress = PercentColumn(
        verbose_name=_("Allocation progress"), orderable=False, footer=column_total("allocation_progress")
    )
    spent = WanYuanColumn(verbose_name=_("Spent (10k yuan)"), footer=column_total("spent"))
    spending_progress = PercentColumn(
        verbose_name=_("Spending progress"), orderable=False, footer=column_total("spending_progress")
    )

    class Meta:
        template_name = "performance/_table.html"
        attrs = {"class": "table"}
        per_page = 50
        empty_text = _("Nothing to show.")

    def __init__(self, *args, totals=None, **kwargs):
        self.totals = totals
        super().__init__(*args, **kwargs)
