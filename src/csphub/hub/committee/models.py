"""What the committee report keeps in the database: how many fresh PDFs each user has had
made in the current window (:mod:`.pdf`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RenderCounter(models.Model):
    """Fresh PDF renders of the committee report made for ``user`` since ``started``; a
    new window starts with the first render after the last one ended."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    started = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
