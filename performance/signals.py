"""Changes that make a year's snapshots stale queue a coalesced recompute (SPEC §5)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from finance.models import DirectFundGrant
from finance.signals import years_changed
from performance.models import BudgetReview, Evaluation
from performance.services.coalescing import note_change
from projects.models import Payment, Project


def payment_changed(sender, instance: Payment, using: str, **kwargs) -> None:
    if Payment.project.is_cached(instance):
        note_change(years=[instance.project.fiscal_year_id], using=using)
    else:
        note_change(project_ids=[instance.project_id], using=using)


def year_changed(sender, instance, using: str, **kwargs) -> None:
    """Projects, evaluations and grants carry their fiscal year."""
    note_change(years=[instance.fiscal_year_id], using=using)


def budget_review_changed(sender, instance: BudgetReview, using: str, **kwargs) -> None:
    note_change(years=[instance.reviewed_on.year], using=using)


def import_changed(sender, years: list[int], **kwargs) -> None:
    note_change(years=years)


def connect() -> None:
    years_changed.connect(import_changed, dispatch_uid="recompute-import")
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(payment_changed, sender=Payment, dispatch_uid=f"recompute-payment-{name}")
        for model in (Project, Evaluation, DirectFundGrant):
            signal.connect(year_changed, sender=model, dispatch_uid=f"recompute-{model.__name__}-{name}")
        signal.connect(budget_review_changed, sender=BudgetReview, dispatch_uid=f"recompute-review-{name}")
