"""What the loaded STATS19 tables can and cannot answer, force-year by force-year.

Casualties by road user, age or sex need the casualty file; vehicles involved need the
vehicle file. A collision file loaded alone answers only the number of casualties per
collision. These notes say so after an ingest (and products can call them) instead of
leaving a reader to infer it from an empty table.
"""

from __future__ import annotations

from dataclasses import dataclass

from csphub.store import Store


@dataclass(frozen=True)
class RoadCoverage:
    """One police force and year: collisions held, and rows of the joined tables."""

    police_force: str
    year: int
    collisions: int
    casualty_rows: int
    vehicle_rows: int
    casualties_without_collision: int

    def notes(self) -> list[str]:
        where = f"{self.police_force} {self.year}"
        out = []
        if self.collisions and not self.casualty_rows:
            out.append(
                f"{where}: no casualty file loaded: casualties by road user, age and sex "
                "cannot be computed (only the number per collision)"
            )
        if self.collisions and not self.vehicle_rows:
            out.append(f"{where}: no vehicle file loaded: vehicles involved cannot be computed")
        if self.casualties_without_collision:
            out.append(
                f"{where}: {self.casualties_without_collision:,} casualty rows have no "
                "collision loaded (load the collision file of the same release)"
            )
        return out


_SQL = """
WITH c AS (SELECT police_force, year, count(*) AS n FROM collisions GROUP BY ALL),
k AS (SELECT police_force, year, count(*) AS n,
             count(*) FILTER (WHERE collision_index NOT IN (SELECT collision_index FROM collisions))
             AS orphans
      FROM casualties GROUP BY ALL),
v AS (SELECT police_force, year, count(*) AS n FROM vehicles GROUP BY ALL),
keys AS (SELECT police_force, year FROM c UNION SELECT police_force, year FROM k
         UNION SELECT police_force, year FROM v)
SELECT keys.police_force, keys.year, coalesce(c.n, 0), coalesce(k.n, 0), coalesce(v.n, 0),
       coalesce(k.orphans, 0)
FROM keys LEFT JOIN c USING (police_force, year) LEFT JOIN k USING (police_force, year)
LEFT JOIN v USING (police_force, year) ORDER BY 1, 2
"""


def road_coverage(store: Store) -> list[RoadCoverage]:
    """Per police force and year, what the collisions, casualties and vehicles hold."""
    return [RoadCoverage(*row) for row in store.con.execute(_SQL).fetchall()]
