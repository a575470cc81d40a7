"""Importing the bureau's spreadsheets (SPEC §7): read, validate every row, apply all-or-nothing.

- ``kinds``: the six file kinds, their columns (English and Chinese headers) and rules;
- ``reading``: a file into a header and rows: ``reading_xlsx`` (python-calamine, after the zip-bomb and
  size checks of ``sheet_scan``) and ``reading_csv`` (encoding detected);
- ``cells``: one cell to one value, and the formula escape that exports add and imports remove;
- ``planning``: ``plan_import`` reads and validates a file into a ``Plan``, writing nothing;
- ``applying``: ``apply_plan`` writes a clean plan all-or-nothing (``import_file`` does both);
- ``rollback``: ``rollback_batch`` undoes a kind's latest batch exactly, or refuses;
- ``storing``: what applying and rolling back share (history rows, bulk updates, the recompute);
- ``writing``: one query for many keys, and COPY (PostgreSQL) / executemany for large files;
- ``limits``: upload size, unpacked workbook size, rows per file (settings ``IMPORT_*`` override them);
- ``jobs``: uploads kept from preview to apply, for the page and the Celery tasks;
- ``lineage``: which batch and line a stored row came from.
"""
