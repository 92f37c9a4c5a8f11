"""Optional validation against Skatteetaten's SAF-T Financial XSD (``--validate``).

klimabok ships Skatteetaten's ``Norwegian_SAF-T_Financial_Schema_v_1.30.xsd`` and ``…_v_1.20.xsd``
unchanged in ``klimabok/data/saft/`` (see the README there); another folder holding files of those
names is given with ``--schema DIR`` or ``KLIMABOK_SAFT_SCHEMA`` (a newer minor revision, say).
The schema is applied while streaming (lxml iterparse's ``schema=``), so memory stays constant.
"""

from __future__ import annotations

import os
from pathlib import Path

from lxml import etree

from klimabok.core.errors import InputError
from klimabok.core.messages import message
from klimabok.core.saft.reader import mapping_of, sniff_version

#: Where the XSD files are when nothing else is said: the copies shipped in the package.
DEFAULT_SCHEMA_DIR = Path(__file__).resolve().parents[2] / "data" / "saft"


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
                "cannot validate: the SAF-T %(version)s schema %(file)s is not there (give the folder "
                "holding Skatteetaten's XSD files with --schema DIR)",
                version=name,
                file=str(xsd),
            )
        )
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(xsd), parser))
