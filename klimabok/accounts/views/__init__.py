"""Views of the accounts app, one module per page group; each is validate → service → render."""
