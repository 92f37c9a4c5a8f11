"""Reports assembled from a year's account without Django (issue 13)."""
