"""Ingest: read files as users download them, check every row, store with lineage.

A pure library (no Django, no CLI). Entry points: :func:`csphub.ingest.load.ingest_sources`
for police.uk files and partner extracts, :mod:`csphub.ingest.geography` for geography.
"""
