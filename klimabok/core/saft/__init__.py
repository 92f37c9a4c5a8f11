"""SAF-T Financial (Norway) files: a streaming, hardened reader and a per-account summary.

- :class:`~klimabok.core.saft.reader.SaftReader` / :func:`read_lines`: every ledger line, streamed,
  with the header, accounts and suppliers (for the importer and the spend mapping).
- :func:`~klimabok.core.saft.summary.summarise`: the figures of ``klimabok saft summary``.
- :func:`~klimabok.core.saft.schema.schema_for`: the official XSD for ``--validate``.
"""

from klimabok.core.saft.model import NAMESPACE, Account, Header, LedgerLine, Supplier, Totals
from klimabok.core.saft.reader import SaftReader, read_lines
from klimabok.core.saft.schema import schema_for
from klimabok.core.saft.summary import AccountSummary, SaftSummary, summarise

__all__ = [
    "NAMESPACE",
    "Account",
    "AccountSummary",
    "Header",
    "LedgerLine",
    "SaftReader",
    "SaftSummary",
    "Supplier",
    "Totals",
    "read_lines",
    "schema_for",
    "summarise",
]
