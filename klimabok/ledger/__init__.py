"""SAF-T Financial imports per reporting year: spend lines that join the climate account (issue 4 §3)."""
