"""Signals the finance layer sends, for the layers above it to listen to (it imports none of them)."""

from django.dispatch import Signal

#: Sent when a bulk write (an import, a rollback) changed figures of the given fiscal years, inside the
#: transaction that made the change; arguments: ``years`` (a sorted list of ints). The performance
#: layer queues one coalesced recompute per year when the transaction commits (SPEC §5).
years_changed = Signal()

#: Sent when units moved to another department, inside the transaction that moved them; arguments:
#: ``unit_ids``. What carries a unit's department (projects) follows.
units_moved = Signal()
