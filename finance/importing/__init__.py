"""Importing the bureau's spreadsheets (SPEC §7): read, validate every row, apply all-or-nothing.

- ``kinds``: the six file kinds, their columns (English and Chinese headers) and rules;
- ``reading``: XLSX (python-calamine, after zip-bomb and stated-size checks) and CSV (encoding detected);
- ``cells``: one cell to one value, and the formula escape that exports add and imports remove;
- ``services``: ``plan_import`` → ``apply_plan``, ``rollback_batch``;
- ``writing``: one query for many keys, and COPY (PostgreSQL) / executemany for large files;
- ``limits``: upload size, unpacked workbook size, rows per file (settings ``IMPORT_*`` override them);
- ``jobs``: uploads kept from preview to apply, for the page and the Celery tasks;
- ``lineage``: which batch and line a stored row came from.
"""
