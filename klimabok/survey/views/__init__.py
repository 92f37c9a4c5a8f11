"""The survey's pages: the anonymous answer page (answer.py), the managers' and readers' pages (manage.py)."""
