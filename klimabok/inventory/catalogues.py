"""Which factor catalogue an account is computed with.

An open year uses the current catalogue; a closed year exactly the dataset
versions it pinned (``"dataset_id@version"`` refs), so that newer factors
never change a closed account silently. Shipped versions carry a digest of
their file, and closing a year archives them in the database
(:func:`pin_datasets`), so a pinned version is still there after a klimabok
release changes the shipped files. The refrigerant composition table is pinned
the same way, by the year itself (:func:`refrigerant_pins`): a year that pinned
none keeps its refrigerants' published figures, as before the table existed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from klimabok.accounts.models import User
from klimabok.core.errors import KlimabokError
from klimabok.core.factors.catalogue import Catalogue
from klimabok.core.factors.model import Activity, Factor
from klimabok.core.factors.refrigerants import BlendTable
from klimabok.core.messages import message
from klimabok.factors.services import archive_datasets, catalogue_with_imports, stored_datasets_by_ref


class PinnedDatasetMissing(KlimabokError):
    """A closed account pins a dataset version that is no longer in the catalogue."""


def current_catalogue() -> Catalogue:
    """The catalogue open years are computed with: shipped datasets plus imported ones."""
    return catalogue_with_imports()


def activity_expansions(catalogue: Catalogue, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
    """What each activity key expands into today, as JSON to pin with a closed year."""
    out = {}
    for key in sorted(set(keys)):
        activity = catalogue.activity(key)
        out[key] = {"unit": activity.unit, "components": list(activity.components)}
    return out


def refrigerant_pins(catalogue: Catalogue, factors: Iterable[Factor]) -> dict[str, Any]:
    """The compositions of the refrigerants among ``factors`` with the table's ref, as JSON to pin
    with a closed year (``{}`` when the catalogue has no table or the account no refrigerant)."""
    table = catalogue.refrigerants
    keys = {f.key for f in factors}
    if table is None or not keys & set(table.blends):
        return {}
    return table.to_json(keys)


def _with_pinned_activities(catalogue: Catalogue,
                            pinned: Mapping[str, Mapping[str, Any]]) -> list[Activity]:
    """The catalogue's activities, with the pinned ones expanding exactly as they did when closed."""
    activities = {a.key: a for a in catalogue.activities()}
    for key, spec in pinned.items():
        components = tuple(spec["components"])
        current = activities.get(key)
        activities[key] = (replace(current, components=components, unit=spec["unit"]) if current
                           else Activity(key=key, name=key, unit=spec["unit"], components=components))
    return list(activities.values())


def pinned_catalogue(refs: Sequence[str],
                     activities: Mapping[str, Mapping[str, Any]] | None = None,
                     refrigerants: Mapping[str, Any] | None = None) -> Catalogue:
    """A catalogue of exactly the dataset versions ``refs``; raises if one is gone.

    Each ref is looked up among the shipped and imported datasets, then among the stored ones
    (imports keep every version; archives keep what closed accounts pinned). ``activities``
    (from :func:`activity_expansions` at closing) fixes what those activities expand into;
    ``refrigerants`` (from :func:`refrigerant_pins`) the compositions, and none pinned means none:
    refrigerants keep their published figure, flagged under another GWP set.
    """
    catalogue = current_catalogue()
    by_ref = {d.ref: d for d in catalogue.datasets}
    absent = [ref for ref in refs if ref not in by_ref]
    if absent:
        by_ref.update(stored_datasets_by_ref(absent))
    missing = [ref for ref in refs if ref not in by_ref]
    if missing:
        raise PinnedDatasetMissing(message(
            "the closed account uses factor dataset(s) %(datasets)s, which are no longer available; "
            "restore them or reopen the year and recalculate", datasets=", ".join(missing)))
    return Catalogue([by_ref[ref] for ref in refs],
                     _with_pinned_activities(catalogue, activities or {}),
                     BlendTable.from_json(refrigerants) if refrigerants else None)


def pin_datasets(refs: Sequence[str], catalogue: Catalogue, user: User | None) -> list[str]:
    """Archive the datasets ``refs`` of ``catalogue`` and return the refs to pin (sorted).

    Run inside the closing transaction. A dataset stored under another ref with the same content
    is pinned by that ref: the same figures, stored once.
    """
    by_ref = {d.ref: d for d in catalogue.datasets}
    stored = archive_datasets([by_ref[ref] for ref in refs], user=user)
    return sorted({stored[ref] for ref in refs})
