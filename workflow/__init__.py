"""The one submission workflow of SPEC §12.1 (单位填报 → 主管部门审核 → 财政审核), its rounds and deadlines,
the timeline every record keeps, and the to-do lists. Below ``projects`` and above ``finance``: the
records that use it (targets, monitoring reports, self-evaluations, evaluations, pool projects) live in
the apps above."""
