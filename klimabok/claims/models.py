"""What the organisation has recorded for a reporting year that claims depend on.

The claim rules (:mod:`klimabok.core.claims`) need facts klimabok cannot compute:
whether the inventory is published, whether a science-based target is validated
and on track, whether a reduction plan exists, whether a third party verified
the claim. The administrator or climate partner records them per reporting year,
each with an optional reference (a URL or a document name) so a reader can check.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from klimabok.inventory.models import ReportingYear

#: (field, label, help) of each prerequisite; the reference field is ``<field>_reference``.
PREREQUISITES = (
    ("public_inventory", _("Scope 1–3 inventory published"),
     _("The full climate account (scope 1, 2 and 3) is public, e.g. on your website or in the annual "
       "report.")),
    ("sbt_validated", _("Science-based target validated"),
     _("A near-term target validated by the Science Based Targets initiative (SBTi).")),
    ("on_track", _("On track toward the target"),
     _("Emissions are on the path the target sets (VCMI asks for this).")),
    ("management_plan", _("Reduction plan"),
     _("A management plan with reduction targets and measures (ISO 14068-1: reduce first).")),
    ("claim_verified", _("Claim verified by a third party"),
     _("An independent verifier has checked the claim (ISO 14068-1).")),
)


#: The prerequisites the plan answers (:mod:`klimabok.plans`: targets with their recorded SBTi validation,
#: the measures, the latest closed year against the pathway), no longer ticked here; their columns stay
#: with what was ticked before the plan existed, and are not read.
FROM_PLAN = ("sbt_validated", "on_track", "management_plan")
#: What the organisation still records here, with a reference.
RECORDED = tuple(item for item in PREREQUISITES if item[0] not in FROM_PLAN)


class ClaimPrerequisites(models.Model):
    """The prerequisites recorded for one reporting year (a missing row means none recorded)."""

    reporting_year = models.OneToOneField(ReportingYear, on_delete=models.CASCADE,
                                          related_name="claim_prerequisites")
    public_inventory = models.BooleanField(_("Scope 1–3 inventory published"), default=False)
    public_inventory_reference = models.CharField(_("reference"), max_length=500, blank=True)
    sbt_validated = models.BooleanField(_("Science-based target validated"), default=False)
    sbt_validated_reference = models.CharField(_("reference"), max_length=500, blank=True)
    on_track = models.BooleanField(_("On track toward the target"), default=False)
    on_track_reference = models.CharField(_("reference"), max_length=500, blank=True)
    management_plan = models.BooleanField(_("Reduction plan"), default=False)
    management_plan_reference = models.CharField(_("reference"), max_length=500, blank=True)
    claim_verified = models.BooleanField(_("Claim verified by a third party"), default=False)
    claim_verified_reference = models.CharField(_("reference"), max_length=500, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("claim prerequisites")
        verbose_name_plural = _("claim prerequisites")

    def __str__(self) -> str:
        return f"claim prerequisites {self.reporting_year_id}"
