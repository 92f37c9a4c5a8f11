"""Inventory pages: years (:mod:`.years`), data entry (:mod:`.entry`), uploads (:mod:`.upload`)."""
