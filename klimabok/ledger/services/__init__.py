"""The ledger app's writes: every change to imports, spend lines, overrides and sector choices.

Split by topic, re-exported here so callers import from ``klimabok.ledger.services``:

- :mod:`.imports` — a ledger file into a year: upload, background reading, confirm, delete, and
  :func:`import_saft` at once (command line, demo);
- :mod:`.general_ledger` — a CSV/XLSX export staged for its preview, then imported;
- :mod:`.spend_lines` — writing a read ledger's spend lines and postings (both import paths);
- :mod:`.uploads` — the uploaded file: size checks, digest, a local path to read it from;
- :mod:`.overrides` — a year's spend overrides (audit events);
- :mod:`.coverage` — a year's double-counting rule per spend category (audit events);
- :mod:`.mapping` — the climate partner's CEDA sectors per spend category.

Reading lives elsewhere: the file reading pipeline in :mod:`klimabok.ledger.pipeline`, the pages'
and the account's reads in :mod:`klimabok.ledger.read_models`.
"""

from klimabok.ledger.services.coverage import set_coverage_rule
from klimabok.ledger.services.general_ledger import (
    Staged,
    discard,
    import_staged,
    preview_staged,
    stage_upload,
    staged_upload,
)
from klimabok.ledger.services.imports import (
    confirm_import,
    delete_import,
    fail_stale_imports,
    import_saft,
    process_import,
    refuse_overlap,
    start_import,
    worker_stopped,
)
from klimabok.ledger.services.mapping import choose_sectors, parse_sectors, reset_sectors
from klimabok.ledger.services.overrides import carried_over, carry_over, delete_override, set_override
from klimabok.ledger.services.spend_lines import write_import
from klimabok.ledger.services.uploads import checked_upload_name, stored_path

__all__ = [
    "Staged",
    "carried_over",
    "carry_over",
    "checked_upload_name",
    "choose_sectors",
    "confirm_import",
    "delete_import",
    "delete_override",
    "discard",
    "fail_stale_imports",
    "import_saft",
    "import_staged",
    "parse_sectors",
    "preview_staged",
    "process_import",
    "refuse_overlap",
    "reset_sectors",
    "set_coverage_rule",
    "set_override",
    "stage_upload",
    "staged_upload",
    "start_import",
    "stored_path",
    "worker_stopped",
    "write_import",
]
