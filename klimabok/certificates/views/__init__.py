"""Public views (anyone with the link) in ``public``; the organisation's own pages in ``client``."""
