"""Stored factor datasets: versions a user imported, and versions closed accounts pinned.

The shipped catalogue lives in files (klimabok/data/factors). The database holds
*imports* (a newer DESNZ file, a plant-specific factor), layered on top of the
shipped catalogue by :func:`klimabok.factors.services.catalogue_with_imports`, and
*archives*: the exact shipped versions a closed account pinned, stored when the
year is closed so that a later klimabok release that changes the shipped files
cannot take them away. Archives are never layered on top; they are found only
when a closed account asks for its pinned refs.
Values are ``Decimal`` (docs/architecture.md: no floats in the database).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# kg per unit up to 1e11, and per-gas masses down to 1e-7 with the ten significant digits the
# curated tables carry (1.132075472e-07 needs 17 places): 20 places keep every shipped value exact,
# so an archived closed account computes to the same number.
MAX_DIGITS, DECIMAL_PLACES = 32, 20


class StoredDataset(models.Model):
    """One stored ``(dataset_id, version)``; ``content_hash`` recognises the same data stored again."""

    class Kind(models.TextChoices):
        IMPORT = "import", _("imported")
        ARCHIVE = "archive", _("archived for a closed account")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.IMPORT)
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
    #: Biogenic CO2 per unit, reported outside the scopes, and the publication row it comes from.
    kg_co2_biogenic = models.DecimalField(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, default=0)
    biogenic_source_ref = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "key", "year"], name="factors_factor_key_year"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.year})"
