"""The organisation's report pages in ``miljofyrtarn`` and ``index``; the public climate page in
``public``."""
