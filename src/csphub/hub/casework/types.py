"""Case types, closure outcomes and risk tools, read from ``data/`` once: the facts of
the field that casework runs on, each naming its source and the date it applies from."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from csphub.hub.workflow import Lifecycle, LifecycleFileError, from_table

DATA = Path(__file__).with_name("data")
TYPES_FILE = DATA / "case_types.toml"
TOOLS = DATA / "risk_tools"
LEVELS = ("standard", "medium", "high")


@dataclass(frozen=True)
class CaseType:
    code: str
    name: str
    prefix: str
    restricted: bool
    risk_tool: str
    source: str
    applies_from: dt.date
    lifecycle: Lifecycle


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    weight: int


@dataclass(frozen=True)
class RiskTool:
    code: str
    name: str
    source: str
    applies_from: dt.date
    thresholds: dict[str, int]  # level -> lowest total reaching it
    review_days: dict[str, int]
    questions: tuple[Question, ...]

    def level_of(self, answers: dict[str, bool]) -> tuple[int, str]:
        """The total of the weights of the questions answered yes, and its level."""
        total = sum(q.weight for q in self.questions if answers.get(q.key))
        level = max((lv for lv in LEVELS if total >= self.thresholds[lv]), key=LEVELS.index)
        return total, level


@cache
def case_types() -> dict[str, CaseType]:
    data = tomllib.loads(TYPES_FILE.read_text(encoding="utf-8"))
    out = {}
    for code, table in data["types"].items():
        for key in ("name", "prefix", "source", "applies_from", "states", "moves"):
            if key not in table:
                raise LifecycleFileError(f"{TYPES_FILE}: types.{code}.{key} is missing")
        lifecycle = from_table(
            {**table, "name": f"{table['name'].lower()} case"}, f"{TYPES_FILE} types.{code}"
        )
        tool = table.get("risk_tool", "")
        if tool and tool not in risk_tools():
            raise LifecycleFileError(f"{TYPES_FILE}: types.{code}.risk_tool {tool!r} is unknown")
        out[code] = CaseType(
            code=code,
            name=table["name"],
            prefix=table["prefix"],
            restricted=bool(table.get("restricted", False)),
            risk_tool=tool,
            source=table["source"],
            applies_from=table["applies_from"],
            lifecycle=lifecycle,
        )
    return out


@cache
def outcomes() -> dict[str, str]:
    return dict(tomllib.loads(TYPES_FILE.read_text(encoding="utf-8"))["outcomes"])


@cache
def risk_tools() -> dict[str, RiskTool]:
    out = {}
    for path in sorted(TOOLS.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for key in ("code", "name", "source", "applies_from", "levels", "review_days"):
            if key not in data:
                raise LifecycleFileError(f"{path}: {key} is missing")
        if set(data["levels"]) != set(LEVELS) or set(data["review_days"]) != set(LEVELS):
            raise LifecycleFileError(f"{path}: levels and review_days name {', '.join(LEVELS)}")
        questions = tuple(
            Question(q["key"], q["text"], int(q.get("weight", 1))) for q in data["questions"]
        )
        out[data["code"]] = RiskTool(
            code=data["code"],
            name=data["name"],
            source=data["source"],
            applies_from=data["applies_from"],
            thresholds={k: int(v) for k, v in data["levels"].items()},
            review_days={k: int(v) for k, v in data["review_days"].items()},
            questions=questions,
        )
    return out


def case_type(code: str) -> CaseType:
    try:
        return case_types()[code]
    except KeyError:
        raise ValueError(f"unknown case type {code!r}") from None
