"""Which kind of measure suits a source of the account: "make this a measure" on the account's largest
sources opens the measure form with this kind chosen and the source's activity as what it acts on.

A pure mapping from an activity key to a key of :data:`klimabok.core.plan.measures.MEASURE_KINDS`,
so the account page (which sits below the plans app) can build the link without importing it.
"""

from __future__ import annotations

#: Activity key prefixes and the measure kind each suggests; the first match wins.
SUGGESTIONS: tuple[tuple[str, str], ...] = (
    ("car.", "electric_cars"),
    ("electricity.", "energy_efficiency"),
    ("district_heating.", "energy_efficiency"),
    ("flight.", "fewer_flights"),
    ("commute.", "homeworking_policy"),
    ("waste.", "waste_sorting"),
    ("spend.", "supplier_engagement"),
)


def suggested_kind(activity: str) -> str:
    """The measure kind to start from for ``activity`` (``generic``: a cut on that line)."""
    return next((kind for prefix, kind in SUGGESTIONS if activity.startswith(prefix)), "generic")


def measure_query(activity: str, name: str, year: int) -> dict[str, str]:
    """The query of the new-measure form for a source: its title, kind, the line and where it came from."""
    return {
        "title": name,
        "kind": suggested_kind(activity),
        "acts_on": activity,
        "from": f"account:{year}:{activity}",
    }
