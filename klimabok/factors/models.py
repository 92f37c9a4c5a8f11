"""Stored factor datasets: versions a user imported (a newer DESNZ file, a plant-specific factor).

The shipped catalogue lives in files (klimabok/data/factors); the database
holds only imports, layered on top by :func:`klimabok.factors.services.catalogue_with_imports`.
Values are ``Decimal`` (design.md: no floats in the database).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# kg per unit from 1e-12 (per-gas masses) to 1e11; 24 digits cover both ends.
MAX_DIGITS, DECIMAL_PLACES = 24, 12


class StoredDataset(models.Model):
    """One imported ``(dataset_id, version)``; ``content_hash`` recognises the same data imported again."""

    dataset_id = models.CharField(_("dataset"), max_length=80)
    version = models.CharField(_("version"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    source = models.TextField(_("source"))
    licence = models.CharField(_("licence"), max_length=300)
    content_hash = models.CharField(max_length=64, unique=True)
    file_name = models.CharField(max_length=255, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["imported_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dataset_id", "version"], name="factors_dataset_version"),
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id}@{self.version}"


class StoredFactor(models.Model):
    """One factor of a stored dataset: the columns of :class:`klimabok.core.factors.model.Factor`."""

    dataset = models.ForeignKey(StoredDataset, on_delete=models.CASCADE, related_name="factors")
    key = models.CharField(max_length=200)
    name = models.CharField(max_length=300)
    name_nb = models.CharField(max_length=300, blank=True)
    unit = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    published_year = models.PositiveSmallIntegerField(null=True, blank=True)
    region = models.CharField(max_length=20)
    scope = models.PositiveSmallIntegerField()
    category = models.PositiveSmallIntegerField(null=True, blank=True)
    basis = models.CharField(max_length=10)
    kg_co2e = models.DecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES)
    kg_co2 = models.DecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, default=0)
    kg_ch4 = models.DecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, default=0)
    kg_n2o = models.DecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, default=0)
    kg_other_co2e = models.DecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, default=0)
    gwp_set = models.CharField(max_length=10)
    source = models.TextField()
    source_ref = models.CharField(max_length=200)
    licence = models.CharField(max_length=300)
    notes = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "key", "year"], name="factors_factor_key_year"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.year})"
