"""Which factor catalogue an account is computed with.

An open year uses the current catalogue; a closed year exactly the dataset
versions it pinned (``"dataset_id@version"`` refs), so that newer factors
never change a closed account silently.
"""

from __future__ import annotations

from collections.abc import Sequence

from klimabok.core.errors import KlimabokError
from klimabok.core.factors.catalogue import Catalogue
from klimabok.core.messages import message
from klimabok.factors.services import catalogue_with_imports


class PinnedDatasetMissing(KlimabokError):
    """A closed account pins a dataset version that is no longer in the catalogue."""


def current_catalogue() -> Catalogue:
    """The catalogue open years are computed with: shipped datasets plus imported ones."""
    return catalogue_with_imports()


def pinned_catalogue(refs: Sequence[str]) -> Catalogue:
    """A catalogue of exactly the dataset versions ``refs``; raises if one is gone.

    Imported datasets keep every version, so an older pinned version is still found.
    """
    catalogue = current_catalogue()
    by_ref = {d.ref: d for d in catalogue.datasets}
    missing = [ref for ref in refs if ref not in by_ref]
    if missing:
        raise PinnedDatasetMissing(message(
            "the closed account uses factor dataset(s) %(datasets)s, which are no longer available; "
            "restore them or reopen the year and recalculate", datasets=", ".join(missing)))
    return Catalogue([by_ref[ref] for ref in refs], catalogue.activities())
