"""A place: an address with its UPRN where known, postcode and coordinates, and the LSOA
and ward worked out from the evidence store's boundaries."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from csphub.hub.access.models import Agency
from csphub.hub.casework.models import keys


class Place(models.Model):
    name = models.CharField(max_length=200, blank=True, help_text="For example 'Bus station'.")
    address = models.CharField(max_length=300)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True, db_index=True)
    uprn = models.BigIntegerField("UPRN", null=True, blank=True, unique=True)
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    lsoa_code = models.CharField(max_length=9, blank=True, db_index=True)
    lsoa_name = models.CharField(max_length=100, blank=True)
    ward_code = models.CharField(max_length=9, blank=True)
    ward_name = models.CharField(max_length=100, blank=True)
    address_key = models.CharField(max_length=300, db_index=True, editable=False)
    created_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["address", "id"]

    def save(self, *args, **kwargs):
        self.postcode = keys.postcode(self.postcode)
        self.address_key = keys.fold(f"{self.name} {self.address}")[:300]
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        where = ", ".join(p for p in (self.address, self.postcode) if p)
        return f"{self.name}, {where}" if self.name else where
