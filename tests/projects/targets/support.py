"""The target declaration form as a browser posts it."""

from __future__ import annotations

URL = "/projects/2021/PA01/targets/"
TRANSITION = "/projects/2021/PA01/targets/transition/"

#: Rows that pass every check against the fixture's template: output 60 + benefit 30 = 90.
GOOD_ROWS = [
    ("产出指标", "数量指标", "资助学生人数", "gte", "1000", "人", "60"),
    ("效益指标", "社会效益指标", "资助政策知晓率", "gte", "95", "%", "30"),
]
FIELDS = ("level1", "level2", "name", "direction", "target_value", "measure_unit", "weight")


def form_data(
    rows=GOOD_ROWS, *, goal="资助家庭经济困难学生 1,000 人", quota="", quantity="", explanation="", **extra
) -> dict:
    """The form's fields: the head fields, the rows, the management form and three blank rows."""
    data = {
        "goal": goal,
        "quota_standard": quota,
        "quantity": quantity,
        "explanation": explanation,
        "row-TOTAL_FORMS": str(len(rows) + 3),
        "row-INITIAL_FORMS": "0",
        "row-MIN_NUM_FORMS": "0",
        "row-MAX_NUM_FORMS": "60",
    }
    for number, row in enumerate(rows):
        for name, value in zip(FIELDS, row, strict=True):
            data[f"row-{number}-{name}"] = value
    data.update(extra)
    return data
