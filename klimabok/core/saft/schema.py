"""Optional validation against Skatteetaten's SAF-T Financial XSD (``--validate``).

klimabok does not ship the XSD files (they are Skatteetaten's): give the folder holding
``Norwegian_SAF-T_Financial_Schema_v_1.30.xsd`` / ``…_v_1.20.xsd`` (``--schema DIR`` or
``KLIMABOK_SAFT_SCHEMA``); by default the development checkout's ``../shared/data/saf-t/``.
The schema is applied while streaming (lxml iterparse's ``schema=``), so memory stays constant.
"""

from __future__ import annotations

import os
from pathlib import Path

from lxml import etree

from klimabok.core.errors import InputError
from klimabok.core.messages import message
from klimabok.core.saft.reader import mapping_of, sniff_version

#: Where the XSD files are when nothing else is said: beside the repository, as in development.
DEFAULT_SCHEMA_DIR = Path(__file__).resolve().parents[4] / "shared" / "data" / "saf-t"


def schema_dir(given: str | Path | None = None) -> Path:
    """The folder to look in: ``given``, else ``$KLIMABOK_SAFT_SCHEMA``, else :data:`DEFAULT_SCHEMA_DIR`."""
    return Path(given or os.environ.get("KLIMABOK_SAFT_SCHEMA") or DEFAULT_SCHEMA_DIR)


def schema_for(path: str | Path, directory: str | Path | None = None) -> etree.XMLSchema:
    """The XSD matching ``path``'s declared version (1.30, else 1.20), loaded from ``directory``."""
    path = Path(path)
    version = sniff_version(path)
    name = "1.30" if mapping_of(version, path.name) == "grouping" else "1.20"
    xsd = schema_dir(directory) / f"Norwegian_SAF-T_Financial_Schema_v_{name}.xsd"
    if not xsd.is_file():
        raise InputError(
            message(
                "cannot validate: the SAF-T %(version)s schema %(file)s is not there (klimabok does not ship "
                "Skatteetaten's XSD files; give the folder holding them with --schema DIR)",
                version=name,
                file=str(xsd),
            )
        )
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(xsd), parser))
