"""data.police.uk street, outcomes and stop-and-search files into the evidence store."""

from csphub.ingest.policeuk.load import ingest_sources

__all__ = ["ingest_sources"]
