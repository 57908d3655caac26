"""Build the packaged harm-weight files in ``csphub/data/harm/``.

The police.uk mapping of the ONS Crime Severity Score is derived, not published: each
police.uk crime type mixes several Home Office offence codes, so its weight is the
count-weighted mean of their weights,

    w_type = sum_o(w_o * n_o) / sum_o(n_o)

with n_o the England and Wales police recorded crime count of code o in 2019/20 (43
territorial forces and British Transport Police). An unweighted mean would let rare, heavily
weighted codes (homicide) dominate a type made mostly of common assault.

Run ``python -m csphub.analysis.harm_build`` to rebuild ``css_2020_by_policeuk.csv`` from
the two packaged source files; add ``--shared PATH`` to re-import those source files from the
team's shared public data folder first, and ``--check`` to compare instead of writing.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import pandas as pd

from csphub.analysis.harm import HARM_DATA_DIR, normalise_crime_type, read_commented_csv

CODE_WEIGHTS_FILE = "css_2020_by_ho_code.csv"
COUNTS_FILE = "prc_counts_2019-20_by_ho_code.csv"
POLICEUK_FILE = "css_2020_by_policeuk.csv"
CCHI_FILE = "cchi_2026-02_by_policeuk.csv"
CRIME_TYPES_FILE = HARM_DATA_DIR.parent / "crime_types.csv"
ASB = "Anti-social behaviour"
FRAUD_BODIES = ("Action Fraud", "CIFAS", "UK Finance")

CODE_WEIGHTS_HEADER = """\
# name: ONS Crime Severity Score weights by Home Office offence code
# vintage: c. 2020 (ONS Crime Severity Score (experimental statistics) weights of about 2020)
# source: ONS Crime Severity Score data tool, as held in M-O-P-D/Police-Supply-Demand
# source: @38420a1fbf0c6b4301053f9228f2285a24d8f239 data/policeuk-ons-code-join.csv
# licence: weights Open Government Licence v3.0 (Source: Office for National Statistics);
# licence: police.uk join by Dan Birks and Andrew P Smith (Leeds), repository MIT
# unit: days of imprisonment equivalent per offence
# derived: no for the weights; policeuk_crime_type is a third-party join, respelt as police.uk
#
# ho_code: code in the Home Office PRC open data tables; ons_severity_code: code in the ONS
# list (homicide codes share one weight). Row "1/4.1/4.10/4.2" is ONS's combined homicide row:
# it repeats the weight of codes 1, 4.1, 4.2 and 4.10 and has no count of its own.
# ONS has revised the weights since (e.g. robbery of personal property 993.55 in a 2025-era
# data tool): keep the vintage with every result.
"""

COUNTS_HEADER = """\
# name: Police recorded crime by Home Office offence code, England and Wales, 2019/20
# vintage: April 2019 to March 2020, tables as downloaded in June 2021
# source: Home Office, Police recorded crime open data tables: police force area, year ending
# source: March 2013 onwards (sheet 2019-20), as held in M-O-P-D/Police-Supply-Demand
# source: @37d5a18834de5a27d1e8f613eefb2d3c5461fd82 data/detailed-offence-counts.csv
# licence: Open Government Licence v3.0 (Home Office)
# unit: recorded offences
# derived: sum of the four quarters over the 43 territorial forces and British Transport
# derived: Police; fraud recorded by Action Fraud, CIFAS and UK Finance is left out (it is not
# derived: in police.uk data and has no CSS weight).
"""

POLICEUK_HEADER = """\
# name: ONS CSS by police.uk crime type
# vintage: CSS weights c. 2020, counts 2019/20
# source: csphub.analysis.harm_build from css_2020_by_ho_code.csv and
# source: prc_counts_2019-20_by_ho_code.csv (this folder)
# licence: Open Government Licence v3.0 (ONS weights, Home Office counts)
# unit: days of imprisonment equivalent per crime
# derived: weight = sum(code weight x code count) / sum(code count) over the Home Office codes
# derived: joined to the crime type; counts for England and Wales 2019/20.
#
# Rebuild: python -m csphub.analysis.harm_build. Anti-social behaviour has a blank weight: it
# is excluded, not zero (ASB incidents are not notifiable crimes and have no CSS weight).
# national_count: 2019/20 offences of the type; n_codes: Home Office codes joined to the type;
# n_codes_with_count: of those, codes with offences in 2019/20; min/max_code_weight: range.
"""

CCHI_HEADER = """\
# name: Cambridge Crime Harm Index by police.uk crime type (cross-check)
# vintage: CCHI February 2026 update, rolled up with England and Wales 2024/25 counts
# source: isthisben/cbl-realcrime @5591939d942691fec9e9da6349fa7afbde726b7f
# source: data/cchi_weights_by_category.csv; the CCHI itself is published by the Cambridge
# source: Centre for Evidence-Based Policing (https://www.cambridge-ebp.co.uk/the-chi)
# licence: CCHI published free by the Cambridge Centre for Evidence-Based Policing; the
# licence: carrying repository has no licence file (values kept as attributed facts)
# unit: days of imprisonment (sentencing-guideline starting point for a first offender)
# derived: yes, by a third party: median CCHI value per Home Office offence subgroup (expired
# derived: rows dropped), rolled up to police.uk types weighted by 2024/25 national counts.
#
# A cross-check, not the authoritative per-offence CCHI table (which we do not hold).
# Anti-social behaviour has a blank weight: excluded (no CCHI value).
"""


def policeuk_labels() -> dict[str, str]:
    """Normalised label to the police.uk spelling, for the 14 current crime types."""
    _, rows = read_commented_csv(
        CRIME_TYPES_FILE.read_text(encoding="utf-8"), str(CRIME_TYPES_FILE)
    )
    return {
        normalise_crime_type(r["crime_type"]): r["crime_type"] for r in rows if r["current"] == "1"
    }


def code_weights_from_join(join: pd.DataFrame) -> pd.DataFrame:
    """The ONS weights by offence code from the police.uk join file, police.uk spelling."""
    labels = policeuk_labels()
    out = pd.DataFrame(
        {
            "ho_code": join["ONS_COUNTS_code"],
            "ons_severity_code": join["ONS_SEVERITY_code"],
            "offence": join["ONS_COUNTS_description"].str.strip(),
            "weight": join["ONS_SEVERITY_weight"],
            "policeuk_crime_type": join["POLICE_UK_CAT_MAP_category"].map(
                lambda s: labels[normalise_crime_type(s)]
            ),
        }
    )
    return out.sort_values(["policeuk_crime_type", "ho_code"], kind="stable").reset_index(drop=True)


def national_counts_from_prc(prc: pd.DataFrame) -> pd.DataFrame:
    """England and Wales counts by offence code from the PRC force-by-quarter table."""
    keep = prc[~prc["Force Name"].isin(FRAUD_BODIES)]
    keys = ["Offence Code", "Offence Description", "Offence Group", "Offence Subgroup"]
    out = keep.groupby(keys, sort=True)["Number of Offences"].sum().reset_index()
    out.columns = ["ho_code", "offence", "offence_group", "offence_subgroup", "count"]
    out["count"] = out["count"].round().astype("int64")
    return out


def policeuk_css_weights(code_weights: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
    """Count-weighted mean CSS weight per police.uk crime type (ASB excluded, blank)."""
    joined = code_weights.merge(counts[["ho_code", "count"]], on="ho_code", how="left")
    joined["count"] = joined["count"].fillna(0).astype("int64")
    joined["weight"] = joined["weight"].astype(float)
    joined["harm"] = joined["weight"] * joined["count"]
    grouped = joined.groupby("policeuk_crime_type", sort=True)
    out = pd.DataFrame(
        {
            "weight": grouped["harm"].sum() / grouped["count"].sum(),
            "national_count": grouped["count"].sum(),
            "n_codes": grouped.size(),
            "n_codes_with_count": grouped["count"].apply(lambda c: int((c > 0).sum())),
            "min_code_weight": grouped["weight"].min(),
            "max_code_weight": grouped["weight"].max(),
        }
    )
    if out["weight"].isna().any():
        raise ValueError(f"no 2019/20 counts for {list(out.index[out['weight'].isna()])}")
    out.index.name = "crime_type"
    out = pd.concat([out.reset_index(), pd.DataFrame([{"crime_type": ASB}])], ignore_index=True)
    whole = ["national_count", "n_codes", "n_codes_with_count"]
    out[whole] = out[whole].astype("Int64")
    return out


def render(header: str, frame: pd.DataFrame) -> str:
    """Header plus CSV body with fixed float formatting and LF line ends."""
    buf = io.StringIO()
    frame.to_csv(buf, index=False, float_format="%.4f", lineterminator="\n")
    return header + buf.getvalue()


def _read(text: str, origin: str) -> pd.DataFrame:
    _, rows = read_commented_csv(text, origin)
    return pd.DataFrame(rows)


def import_from_shared(shared: Path) -> dict[str, str]:
    """The three source files, re-imported from the shared public data folder."""
    join = pd.read_csv(
        shared / "harm_weights/ons_css_weights_by_ho_code_policeuk_join.csv", dtype=str
    )
    prc = pd.read_csv(
        shared / "published_tables/prc_pfa_offence_counts_by_force_quarter_2019-20.csv.gz",
        dtype={"Offence Code": str},
    )
    cchi = pd.read_csv(
        shared / "harm_weights/cchi2026_by_policeuk_category_isthisben.csv", dtype=str
    )
    cchi = cchi.rename(columns={"cchi_days": "weight"}).sort_values("crime_type")
    cchi = pd.concat([cchi, pd.DataFrame([{"crime_type": ASB}])], ignore_index=True)
    return {
        CODE_WEIGHTS_FILE: render(CODE_WEIGHTS_HEADER, code_weights_from_join(join)),
        COUNTS_FILE: render(COUNTS_HEADER, national_counts_from_prc(prc)),
        CCHI_FILE: render(CCHI_HEADER, cchi),
    }


def build_policeuk_file(code_weights_text: str, counts_text: str) -> str:
    """The text of ``css_2020_by_policeuk.csv`` from the texts of the two source files."""
    code_weights = _read(code_weights_text, CODE_WEIGHTS_FILE)
    counts = _read(counts_text, COUNTS_FILE)
    counts["count"] = counts["count"].astype("int64")
    return render(POLICEUK_HEADER, policeuk_css_weights(code_weights, counts))


def main(argv: list[str] | None = None) -> int:
    """Rebuild (or with ``--check`` compare) the packaged harm files; 1 when they differ."""
    parser = argparse.ArgumentParser(prog="python -m csphub.analysis.harm_build")
    parser.add_argument("--shared", type=Path, help="re-import the source files from this folder")
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a difference")
    parser.add_argument("--out", type=Path, default=HARM_DATA_DIR, help="folder of the files")
    args = parser.parse_args(argv)
    texts = import_from_shared(args.shared) if args.shared else {}

    def source(name: str) -> str:
        return texts[name] if name in texts else (args.out / name).read_text(encoding="utf-8")

    texts[POLICEUK_FILE] = build_policeuk_file(source(CODE_WEIGHTS_FILE), source(COUNTS_FILE))
    if args.check:
        differ = [n for n, t in texts.items() if (args.out / n).read_text(encoding="utf-8") != t]
        print("differ: " + ", ".join(differ) if differ else "harm files up to date")
        return 1 if differ else 0
    for name, text in texts.items():
        (args.out / name).write_text(text, encoding="utf-8")
    print(f"wrote {', '.join(texts)} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
