"""Django admin of the workflow: rounds (opened on /rounds/, their deadline may be moved here) and the
timeline (read only: every step is written by the workflow)."""

from __future__ import annotations

from django.contrib import admin

from workflow.models import Round, Transition


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records only the workflow writes: looked at, never added, changed or deleted by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["kind", "fiscal_year", "as_of", "deadline", "opened_by", "opened_at"]
    list_select_related = ["fiscal_year", "opened_by"]
    list_filter = ["kind", "fiscal_year"]
    search_fields = ["kind"]
    autocomplete_fields = ["opened_by"]
    readonly_fields = ["kind", "fiscal_year", "as_of", "opened_by", "opened_at"]

    def has_add_permission(self, request) -> bool:
        return False  # opened on /rounds/, which gathers the round's records


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    list_display = [
        "at",
        "content_type",
        "object_id",
        "department",
        "unit",
        "action",
        "from_state",
        "to_state",
        "actor",
    ]
    list_select_related = ["content_type", "department", "unit", "actor"]
    list_filter = ["action", "content_type"]
    search_fields = ["reason", "note", "department__code", "unit__code"]
    date_hierarchy = "at"
    list_per_page = 100
