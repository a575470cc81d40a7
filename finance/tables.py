"""What every app's list pages share (django-tables2): amount columns, strict paging, CSV/XLSX export.

Amounts show as 万元 and export as Decimal 万元 to the cent; each figure column names its
``export_format``, the number format its XLSX cells get. ``?export=csv`` or ``?export=xlsx`` on a list
page downloads every row its filters and the user's scope let through, in the table's sort order."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import django_tables2 as tables
from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django_tables2 import RequestConfig

from finance.exporting import AMOUNT_FORMAT, render_csv, render_xlsx
from finance.formatting import TEN_THOUSAND, wan_yuan
from finance.parameters import whole_number

CENT = Decimal("0.01")

EXPORT_FORMATS = ("csv", "xlsx")


class NumberColumn(tables.Column):
    """A right-aligned figure; ``export_format`` is the number format of its XLSX cells."""

    export_format: str | None = "#,##0"

    def __init__(self, *args, export_format: str | None = None, **kwargs):
        if export_format is not None:
            self.export_format = export_format
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}})
        super().__init__(*args, **kwargs)


class WanYuanColumn(NumberColumn):
    """Yuan shown as 万元 with thousands separators; exported as a Decimal in 万元."""

    export_format = AMOUNT_FORMAT

    def render(self, value):
        return wan_yuan(value)

    def value(self, value):
        if value is None:
            return None
        return (Decimal(value) / TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)


def export_formats(table) -> list[str | None]:
    """The number format of each exported column (in ``as_values`` order): 万元, ratio or none."""
    return [
        getattr(bound.column, "export_format", None)
        for bound in table.columns.iterall()
        if not bound.column.exclude_from_export
    ]


def export_response(request: HttpRequest, table, *, name: str, fmt: str) -> HttpResponse:
    """Every row the table's filters and the user's scope let through (not one page), in the table's
    sort order, as CSV (UTF-8 with a BOM) or XLSX: figures as numbers (万元, ratios as fractions with a
    percent format), every text cell escaped against formulas."""
    RequestConfig(request, paginate=False).configure(table)
    rows = table.as_values()
    head = next(rows)
    formats = export_formats(table)
    stamp = timezone.localdate().isoformat()
    filename = f"{name}-{stamp}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            render_csv(head, rows, formats=formats), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    workbook = render_xlsx(head, rows, title=name, formats=formats)
    return FileResponse(
        workbook,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


class ExportableTableMixin:
    """``?export=csv`` or ``?export=xlsx`` on a list page downloads its filtered rows."""

    export_name = "table"

    def exportable(self) -> bool:
        return True

    def render_to_response(self, context, **response_kwargs):
        fmt = self.request.GET.get("export")
        if fmt in EXPORT_FORMATS and self.exportable():
            table = self.get_table_class()(data=self.get_table_data(), **self.get_table_kwargs())
            return export_response(self.request, table, name=self.export_name, fmt=fmt)
        return super().render_to_response(context, **response_kwargs)


class PageParametersMixin:
    """A filtered list whose ``year`` (the page's own choice) and ``export`` (the file asked for) are
    parameters of the page, not filters: the filter set never sees them."""

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = kwargs["data"]
        if data is not None and ("year" in data or "export" in data):
            data = data.copy()
            data.pop("year", None)
            data.pop("export", None)
            kwargs["data"] = data or None
        return kwargs


class PagedRequestConfig(RequestConfig):
    """django-tables2's ``RequestConfig`` reading ``page`` and ``per_page`` strictly (ASCII digits,
    ``finance.parameters``) and holding the page size between 1 and ``settings.TABLE_MAX_PER_PAGE``:
    a page shows at most that many rows, whatever the address asks; the export gives every row."""

    def configure(self, table):
        if not self.paginate:
            return super().configure(table)
        table.request = self.request
        order_by = self.request.GET.getlist(table.prefixed_order_by_field)
        if order_by:
            table.order_by = order_by
        options = dict(self.paginate) if hasattr(self.paginate, "items") else {}
        options.pop("silent", None)
        if page := whole_number(self.request.GET.get(table.prefixed_page_field)):
            options["page"] = page
        per_page = whole_number(self.request.GET.get(table.prefixed_per_page_field))
        per_page = per_page or options.get("per_page") or table._meta.per_page or 25
        options["per_page"] = max(1, min(per_page, settings.TABLE_MAX_PER_PAGE))
        try:
            table.paginate(**options)
        except PageNotAnInteger:
            table.page = table.paginator.page(1)
        except EmptyPage:
            table.page = table.paginator.page(table.paginator.num_pages)
        return table


class PagedTableMixin:
    """A ``SingleTableMixin`` list whose paging goes through ``PagedRequestConfig``."""

    def get_table(self, **kwargs):
        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        return PagedRequestConfig(self.request, paginate=self.get_table_pagination(table)).configure(table)


def table_or_export(request: HttpRequest, table, *, name: str, per_page: int | None = None):
    """For function views: the export when asked for, else the table configured for the page."""
    fmt = request.GET.get("export")
    if fmt in EXPORT_FORMATS:
        return export_response(request, table, name=name, fmt=fmt)
    paginate = {"per_page": per_page or table._meta.per_page or 25}
    PagedRequestConfig(request, paginate=paginate).configure(table)
    return None
