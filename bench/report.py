"""Results: one JSON file per benchmark under bench/results/, and the summary table."""

from __future__ import annotations

import datetime
import json
import math
from dataclasses import dataclass, field
from typing import Any

from bench.stack import RESULTS


@dataclass
class Line:
    benchmark: str
    figure: str
    value: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    met: bool | None = None


@dataclass
class Summary:
    lines: list[Line] = field(default_factory=list)

    def add(self, *args: Any, **kwargs: Any) -> None:
        self.lines.append(Line(*args, **kwargs))

    def table(self) -> str:
        header = ("benchmark", "figure", "value", "baseline", "ratio", "target", "met")
        rows = [header, tuple("---" for _ in header)]
        for line in self.lines:
            met = "" if line.met is None else ("yes" if line.met else "**no**")
            rows.append(
                (line.benchmark, line.figure, line.value, line.baseline, line.ratio, line.target, met)
            )
        return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def fmt(value: float, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}".replace(",", " ")


def write_json(name: str, payload: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {"written_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"), **payload}
    (RESULTS / f"{name}.json").write_text(json.dumps(payload, indent=2, default=str, ensure_ascii=False))
