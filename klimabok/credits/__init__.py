"""The ``credits`` app: persistence and pages for the core's credit rules (:mod:`klimabok.core.credits`)."""
