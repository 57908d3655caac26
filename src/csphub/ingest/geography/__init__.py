"""``csphub ingest geography``: boundaries, lookups, population and deprivation.

A pure library (no Django, no click): :func:`ingest_geography` takes a store and file
paths and returns a :class:`GeographySummary`.
"""

from csphub.ingest.geography.api import ingest_geography
from csphub.ingest.geography.results import FileError, FileResult, GeographySummary, Problem

__all__ = ["FileError", "FileResult", "GeographySummary", "Problem", "ingest_geography"]
