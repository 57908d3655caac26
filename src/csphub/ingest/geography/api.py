"""The entry point: :func:`ingest_geography`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from csphub.ingest.geography.boundaries import LEVELS, BoundaryLoader
from csphub.ingest.geography.deprivation import ImdLoader
from csphub.ingest.geography.files import peek_header
from csphub.ingest.geography.loading import Loader, ingest_file
from csphub.ingest.geography.lookups import LookupLoader, keyed_by_2021
from csphub.ingest.geography.population import PopulationLoader
from csphub.ingest.geography.results import FileError, GeographySummary
from csphub.store.store import Store


def ingest_geography(
    store: Store,
    *,
    boundaries: Sequence[tuple[Path, str]] = (),
    lookups: Sequence[Path] = (),
    population: Sequence[Path] = (),
    imd: Sequence[Path] = (),
) -> GeographySummary:
    """Load geography reference files into the store's catalog tables.

    Parameters
    ----------
    store
        An open, writable evidence store.
    boundaries
        ``(file, level)`` pairs: GeoJSON (optionally gzip) FeatureCollections of polygons in
        longitude/latitude; ``level`` is ``"lsoa"``, ``"ward"`` or ``"msoa"``.
    lookups
        CSV files (optionally gzip) mapping LSOAs to wards, MSOAs, local authorities and
        LSOA 2021 codes, upserted into ``geo_lookup`` by LSOA 2011 code.
    population
        ONS small-area population estimates by LSOA; each file replaces ``population``.
    imd
        English Indices of Deprivation ranks and deciles by LSOA; each file replaces
        ``deprivation``.

    Returns
    -------
    GeographySummary
        One :class:`FileResult` per file read and one :class:`FileError` per file that
        could not be loaded. Files load in the order boundaries, lookups (those keyed by
        LSOA 2011 first), population, deprivation; each in its own transaction.

    Examples
    --------
    >>> summary = ingest_geography(store, boundaries=[(Path("E06000009.geojson"), "lsoa")])
    >>> [(f.kind, f.status, f.rows_loaded) for f in summary.files]
    [('boundaries-lsoa', 'loaded', 94)]
    """
    summary = GeographySummary()

    def run(path: Path | str, loader: Loader) -> None:
        outcome = ingest_file(store, Path(path), loader)
        if isinstance(outcome, FileError):
            summary.errors.append(outcome)
        else:
            summary.files.append(outcome)

    for path, level in boundaries:
        if level not in LEVELS:
            message = f"{path}: unknown boundary level {level!r}; expected lsoa, ward or msoa"
            summary.errors.append(FileError(str(path), "boundaries", message))
            continue
        run(path, BoundaryLoader(level))
    ordered = sorted(lookups, key=lambda p: keyed_by_2021(peek_header(Path(p)), str(p)))
    for path in ordered:
        run(path, LookupLoader())
    for path in population:
        run(path, PopulationLoader())
    for path in imd:
        run(path, ImdLoader())
    return summary
