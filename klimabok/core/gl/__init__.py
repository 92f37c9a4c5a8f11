"""General-ledger exports (CSV/XLSX) for companies without SAF-T: column mapping, preview, reader.

- :func:`~klimabok.core.gl.mapping.guess_mapping`: which column is the account, the amount… from the
  header names (Norwegian or English);
- :func:`~klimabok.core.gl.reader.preview`: the first rows as a mapping reads them, with problems;
- :class:`~klimabok.core.gl.reader.GlReader`: every line, streamed, shaped like
  :class:`~klimabok.core.saft.SaftReader` so the ledger importer takes either.
"""

from klimabok.core.gl.mapping import ROLES, ColumnMapping, check_mapping, guess_mapping, mapping_problems
from klimabok.core.gl.reader import ACCOUNT_NUMBER_MAPPING, GlReader, ParsedRow, Preview, preview
from klimabok.core.gl.values import amount_of, date_of, parse_amount

__all__ = [
    "ACCOUNT_NUMBER_MAPPING",
    "ROLES",
    "ColumnMapping",
    "GlReader",
    "ParsedRow",
    "Preview",
    "amount_of",
    "check_mapping",
    "date_of",
    "guess_mapping",
    "mapping_problems",
    "parse_amount",
    "preview",
]
