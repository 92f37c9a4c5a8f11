"""Certificates of carbon credit retirement: the PDF, the public verification page and the badge."""
