"""Reports assembled from a year's account, plan and entered figures: pure Python, no Django.

- :mod:`.miljofyrtarn` — the Miljøfyrtårn annual climate and environment report, by theme;
- :mod:`.public_page` — the public climate page: the explicit list of what it may show.
"""
