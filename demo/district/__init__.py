"""The steps of the demo district's builder (``demo.builder.DistrictBuilder``), by what they build.

- ``figures``: the SPEC §8 targets in fen, the amounts' helpers, and the plain records of a department
  and a project that the steps fill;
- ``organisation``: departments, their budget units and the direct-fund grants;
- ``projects``: the projects, their targets, indicators and the indicator templates;
- ``budgets``: each project's budget, fixed roles first, then every function class split;
- ``spending``: what each project spent by the as-of date, and its payments;
- ``evaluations``: self, key, ex-ante and department evaluations, and the budget reviews.
"""
