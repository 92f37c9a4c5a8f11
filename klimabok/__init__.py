"""klimabok: open, self-hostable climate accounting."""

__version__ = "0.1.0"
