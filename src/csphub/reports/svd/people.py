"""Who, with what and the night-time economy: the injured's age and sex, weapons, assailants
and the Friday and Saturday night share, from A&E and police data, each saying what its
data cannot show."""

from __future__ import annotations

import pandas as pd

from csphub.analysis.linkage import police_share
from csphub.analysis.profiles import night_time_economy
from csphub.analysis.store_inputs import street_counts
from csphub.reports.common.assaults import (
    LINK_TYPES,
    NONE_LOADED,
    link_parts,
    nte_table,
    nte_words,
)
from csphub.reports.common.profiles import category_table, top_value
from csphub.reports.document.model import Section
from csphub.reports.svd.context import Context

WEAPONS = "Possession of weapons"
POLICE_NO_PEOPLE = (
    "police.uk publishes no victim or offender details, and the police event extract carries "
    "a victim id but no age or sex, so the police side of who is harmed cannot be profiled "
    "here: a force extract with victim age band and sex would add it."
)


def current_assaults(ctx: Context) -> pd.DataFrame | None:
    data = ctx.assaults()
    if data is None:
        return None
    months = data.assaults["incident_date"].dt.strftime("%Y-%m")
    return data.assaults[months.isin(ctx.current.months)]


def who_section(ctx: Context) -> Section:
    ae = current_assaults(ctx)
    paragraphs = [POLICE_NO_PEOPLE]
    tables = []
    if ae is None:
        paragraphs.insert(0, NONE_LOADED)
    else:
        tables = [
            category_table(
                ae,
                "age_band",
                "who-age",
                f"A&E assaults by age band of the injured, {ctx.current_label}",
                "Age band",
            ),
            category_table(
                ae,
                "sex",
                "who-sex",
                f"A&E assaults by sex of the injured, {ctx.current_label}",
                "Sex",
            ),
            category_table(
                ae,
                "assailant",
                "who-assailant",
                f"A&E assaults by assailant, {ctx.current_label}",
                "Assailant",
            ),
        ]
        found = [
            f"{what} most often {top}"
            for what, column in (
                ("age band", "age_band"),
                ("sex", "sex"),
                ("assailant", "assailant"),
            )
            if (top := top_value(ae, column))
        ]
        paragraphs.insert(
            0,
            f"A&E: {len(ae):,} assault attendances in {ctx.current_label}"
            + (f"; of those recorded, {'; '.join(found)}." if found else "."),
        )
    return Section("who", "Who", paragraphs=tuple(paragraphs), tables=tuple(tables))


def weapons_section(ctx: Context) -> Section:
    paragraphs = []
    tables = []
    if WEAPONS in ctx.definition.policeuk_types:
        now = ctx.police(["crime_type"]).set_index("crime_type")["count"]
        before = ctx.police(["crime_type"], ctx.previous).set_index("crime_type")["count"]
        paragraphs.append(
            f"Police: {int(now.get(WEAPONS, 0)):,} possession of weapons offences in "
            f"{ctx.current_label} against {int(before.get(WEAPONS, 0)):,} in "
            f"{ctx.previous_label}. police.uk has no knife-crime flag, so knife and other "
            "weapon offences cannot be told apart."
        )
    ae = current_assaults(ctx)
    if ae is None:
        paragraphs.append(NONE_LOADED)
    else:
        tables.append(
            category_table(
                ae,
                "weapon",
                "weapons-ae",
                f"A&E assaults by means of assault, {ctx.current_label}",
                "Weapon",
            )
        )
        if top := top_value(ae, "weapon"):
            paragraphs.append(f"A&E: the most recorded means of assault is {top}.")
    return Section("weapons", "Weapons", paragraphs=tuple(paragraphs), tables=tuple(tables))


def nte_section(ctx: Context) -> Section:
    ae = current_assaults(ctx)
    paragraphs = [
        "police.uk gives only the month, so police data cannot show the night-time economy; "
        "A&E incident times can."
    ]
    tables = []
    if ae is None:
        paragraphs.append(NONE_LOADED)
    else:
        nte = night_time_economy(ae)
        paragraphs.append(nte_words(nte, len(ae)))
        tables.append(nte_table("nte", nte, len(ae), ctx.current_label))
        if ae["location_type"].notna().any():
            tables.append(
                category_table(
                    ae,
                    "location_type",
                    "nte-locations",
                    f"A&E assaults by location type, {ctx.current_label}",
                    "Location type",
                )
            )
    return Section(
        "night-time-economy",
        "The night-time economy",
        paragraphs=tuple(paragraphs),
        tables=tuple(tables),
    )


def joint_section(ctx: Context) -> Section:
    """What share of A&E assaults police data holds (an estimate, with method and limits)."""
    ae = current_assaults(ctx)
    if ae is None:
        return Section("police-and-ae", "Police and A&E together", unavailable=NONE_LOADED)
    where = {"crime_type": list(LINK_TYPES)}
    police = street_counts(ctx.store, ["month", "lsoa_code"], ctx.current, ctx.area, where)
    link = link_parts("joint", police_share(ae, police), ctx.current_label)
    return Section(
        "police-and-ae",
        "Police and A&E together",
        paragraphs=tuple(link.paragraphs),
        tables=tuple(link.tables),
    )
