"""The dashboard's pages (SPEC §6): thin views over the selectors, role-scoped, with a constant number
of queries whatever the size of the district.

Every page that shows computed figures shows the latest successful run of the chosen year, says when
it was computed and whether it is stale (``common.PageState``). Department detail answers 404 to a head
of another department, and so do its projects and exports."""
