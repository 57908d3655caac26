"""Invented names for the demo borough: wards and streets.

Every name here was made up for Brackwater. Where one happens to match a real street
somewhere in the UK that is a coincidence of ordinary English words, not a reference.
"""

from __future__ import annotations

import numpy as np

TOWN = "Brackwater"
FORCE = "Demoshire Constabulary"
FORCE_SLUG = "demoshire"
HOUSING_PROVIDER = "Brackwater Homes"

# fmt: off
WARD_NAMES = (
    "Anchorage", "Beacon Hill", "Bramblemoor", "Breakwater", "Carrick Sands", "Chandlers",
    "Coldharbour Vale", "Cormorant", "Driftwood", "Dunmere", "Eelbrook", "Fennick",
    "Gullcliffe", "Harbourside", "Kestrel Park", "Lanternfield", "Marram", "Netherstrand",
    "Old Quay", "Pebblegate", "Ropewalk", "Saltings", "Seacroft Moss", "Shinglebank",
    "Skerry", "Tidewater", "Wavecrest", "Whinmoor Green",
)

_STREET_STEMS = (
    "Alder", "Ashdown", "Barnacle", "Beckwith", "Birchen", "Blackthorn", "Bosun", "Brackley",
    "Bramwell", "Bridlemere", "Buoy", "Capstan", "Carder", "Cobble", "Coralin", "Cottam",
    "Cresswick", "Dandelion", "Dovecote", "Dunlin", "Eddystane", "Elmsworth", "Fernhill",
    "Fieldfare", "Flaxton", "Foxglove", "Galleon", "Gannet", "Gorsey", "Greywether", "Halyard",
    "Harebell", "Hawthorne", "Heronsgate", "Hollins", "Jetty", "Keelson", "Kittiwake",
    "Lapwing", "Larkspur", "Limpet", "Linnet", "Lugger", "Mainsail", "Mallowby", "Meadowsweet",
    "Merlin", "Millrace", "Mooring", "Mussel", "Netley", "Oakapple", "Oysterbed", "Pennant",
    "Petrel", "Pinfold", "Plover", "Primrose", "Pumphouse", "Quayle", "Redshank", "Reedmace",
    "Rigging", "Rowanby", "Rudder", "Samphire", "Sandpiper", "Sea Holly", "Sextant", "Shearwater",
    "Shrimper", "Skylark", "Sloe", "Sorrel", "Spinnaker", "Starling", "Sundew", "Tansy",
    "Teasel", "Tern", "Thrift", "Tiller", "Topsail", "Trawler", "Turnstone", "Wagtail",
    "Whimbrel", "Whitebeam", "Wicken", "Windlass", "Wrackley", "Yarrow",
)
_STREET_KINDS = (
    "Road", "Street", "Avenue", "Close", "Grove", "Lane", "Drive", "Crescent", "Way", "Place",
    "Gardens", "Terrace", "Walk", "Court",
)
# fmt: on

# Generic labels data.police.uk gives snap points at non-street places.
PLACE_LABELS = {
    "nte": ("Nightclub", "Nightclub"),
    "retail": ("Shopping Area", "Supermarket", "Parking Area"),
    "other": (
        "Parking Area",
        "Sports/Recreation Area",
        "Petrol Station",
        "Supermarket",
        "Further/Higher Educational Building",
        "Hospital",
        "Police Station",
        "Theatre/Concert Hall",
        "Conference/Exhibition Centre",
    ),
}


def street_names(n: int, rng: np.random.Generator) -> list[str]:
    """``n`` distinct invented street names (stem + kind), in random order."""
    total = len(_STREET_STEMS) * len(_STREET_KINDS)
    if n > total:
        raise ValueError(f"only {total} distinct street names are available, asked for {n}")
    pick = rng.choice(total, size=n, replace=False)
    stems = np.asarray(_STREET_STEMS)[pick // len(_STREET_KINDS)]
    kinds = np.asarray(_STREET_KINDS)[pick % len(_STREET_KINDS)]
    return [f"{s} {k}" for s, k in zip(stems, kinds, strict=True)]


def ward_names(n: int, rng: np.random.Generator) -> list[str]:
    """``n`` distinct invented ward names, in random order."""
    if n > len(WARD_NAMES):
        raise ValueError(f"only {len(WARD_NAMES)} ward names are available, asked for {n}")
    return [WARD_NAMES[i] for i in rng.choice(len(WARD_NAMES), size=n, replace=False)]
