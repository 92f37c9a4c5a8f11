"""The commuting and homeworking survey of a reporting year: GHG Protocol Scope 3 category 7 (issue 12 §3)."""
