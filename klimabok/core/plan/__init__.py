"""Targets, pathways, measures and the cost curve: the pure-Python half of the plans (issue 11).

No Django here (``tests/test_architecture.py``). Modules:

- :mod:`.pathway`: a target and its linear pathway (SBTi linear absolute contraction), intensity
  targets, business as usual, progress in words, base-year recalculation (≥ 5 %);
- :mod:`.sbti`: named, versioned rule sets (SBTi near-term V1.x, the SME route, the Corporate
  Net-Zero Standard V2.0) that check targets and propose the minimum ones;
- :mod:`.measures`: the catalogue of measures, their parameters and checks, and their effect on an
  account's lines, applied in sequence on what is left;
- :mod:`.costs`: annualised cost, NOK per tonne, the cost curve (MACC), a scenario's pathway and the
  share of the gap it closes.
"""
