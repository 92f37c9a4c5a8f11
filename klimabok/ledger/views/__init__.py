"""Ledger pages: the year's imports (:mod:`.imports`), the general-ledger export's upload and preview
(:mod:`.general_ledger`), the year's spend overrides (:mod:`.overrides`) and the climate partner's
spend mapping (:mod:`.mapping`)."""
