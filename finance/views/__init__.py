"""Finance's pages, one module per group: ``imports`` (upload, preview, apply, batches, rollback),
``exports`` (templates and the exports of every kind) and ``health`` (``/healthz``)."""
