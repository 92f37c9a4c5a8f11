"""Global warming potentials (GWP100) by IPCC assessment report.

Values come from the ``globalwarmingpotentials`` package (CC0), so no GWP is
copied by hand. A set maps a gas formula ("CH4", "N2O", "HFC134a", …) to kg
CO2e per kg of that gas; CO2 is 1 by definition and added here because the
package lists only the other gases.

Note: the package's AR6 set gives one CH4 value (27.9, non-fossil); the AR6
fossil-methane value (29.8) is not in it, so the engine uses 27.9 for all CH4.
"""

from __future__ import annotations

from functools import lru_cache

import globalwarmingpotentials

from klimabok.core.errors import KlimabokError
from klimabok.core.messages import message

#: Our short names → the package's dataset names.
GWP_SETS: dict[str, str] = {"AR4": "AR4GWP100", "AR5": "AR5GWP100", "AR6": "AR6GWP100"}


class UnknownGwpSet(KlimabokError):
    """A GWP set name that klimabok does not know."""


def gwp_set(name: str) -> dict[str, float]:
    """The GWP100 values of ``name`` ("AR4", "AR5", "AR6"), kg CO2e per kg gas (a fresh copy)."""
    package_name = GWP_SETS.get(name.strip().upper())
    if package_name is None:
        raise UnknownGwpSet(message("unknown GWP set '%(name)s' (known: %(known)s)", name=name,
                                    known=", ".join(GWP_SETS)))
    return dict(_gwp_values(package_name))


@lru_cache(maxsize=len(GWP_SETS))
def _gwp_values(package_name: str) -> tuple[tuple[str, float], ...]:
    values = globalwarmingpotentials.data[package_name]
    return (("CO2", 1.0), *((gas, float(v)) for gas, v in values.items()))
