"""What the indicators import says about a project's targets (SPEC §7, §13): message ids translated when
shown, as finance's import messages are."""

from __future__ import annotations

from django.utils.translation import gettext_noop

# Errors: the file is refused.
GOAL_CONFLICT = gettext_noop(
    "Lines %(lines)s give project %(project)s different overall goals: give it one goal (the other lines "
    "may leave the goal blank)."
)
NOT_IN_TEMPLATE = gettext_noop(
    "“%(name)s” is marked as coming from the template, but the department's template for this project's "
    "category has no indicator of that name: mark it “no”, or give the template's name."
)
UNDER_REVIEW = gettext_noop(
    "The targets of project %(project)s are being declared or reviewed in the app (version %(version)s) and "
    "lines %(lines)s would change them: let that version be approved first, or leave the project out of "
    "the file."
)
WEIGHTS = gettext_noop(
    "The weights of project %(project)s's indicators (lines %(lines)s, with those already stored) would add "
    "up to %(total)s; they must add up to exactly 90 (the execution rate holds the other 10). Change them "
    "by %(change)s."
)
NEEDS_TARGET = gettext_noop("“%(name)s” of project %(project)s is quantitative: it needs a target value.")
NEEDS_UNIT = gettext_noop("“%(name)s” of project %(project)s is quantitative: it needs a unit of measure.")
NEEDS_TARGET_AND_UNIT = gettext_noop(
    "“%(name)s” of project %(project)s is quantitative: it needs a target value and a unit of measure."
)
NO_OUTPUT = gettext_noop(
    "Project %(project)s (lines %(lines)s) would have no output indicator (level 1 “产出指标”): every "
    "declaration needs one."
)
NO_BENEFIT = gettext_noop(
    "Project %(project)s (lines %(lines)s) would have no benefit indicator (level 1 “效益指标”): every "
    "declaration needs one."
)
DUPLICATE_NAME = gettext_noop(
    "Project %(project)s would have %(count)s indicators named “%(name)s” (lines %(lines)s): give each "
    "indicator a name of its own."
)

# Warnings: shown in the preview, the file still applies.
TEMPLATE_MISSING = gettext_noop(
    "Project %(project)s leaves out the template's indicator “%(name)s” (%(level1)s / %(level2)s)."
)
WEAKER = gettext_noop(
    "“%(name)s” of project %(project)s: the target %(target)s is weaker than the template's "
    "%(direction)s %(standard)s."
)

# Rolling back.
ROLLBACK_TARGETS_CHANGED = gettext_noop(
    "The targets of %(count)s projects this import put in force were changed in the app since (for "
    "example project %(project)s); rolling back would undo those changes, so nothing was rolled back."
)
