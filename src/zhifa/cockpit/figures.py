"""What the cockpit shows, as data: a ``Figure`` (one number with its goal and the list it drills
down to), a ``Breakdown`` by township or department, and the whole ``Cockpit`` — and their lossless
JSON form, which a ``Snapshot`` stores and the page, the PDF and the API read back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .sources import SHORT_LABELS


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: Decimal | int | None  # None: nothing to measure yet
    unit: str = ""  # "%" for a share (value is a fraction 0..1), else the noun of a count
    goal: Decimal | None = None
    meets_goal: bool | None = None
    drilldown: str | None = None
    count: int | None = None  # rows of the drill-down this figure links to
    detail: str = ""
    #: A reform indicator's figure links to the indicator's own drill-downs (``zhifa.indicators``)
    #: instead of a cockpit measure: ``href`` the list it counts from, ``missed_href`` the rows left out.
    href: str = ""
    missed_href: str = ""
    target_text: str = ""

    @property
    def is_rate(self) -> bool:
        return self.unit == "%"

    @property
    def number(self) -> Decimal | int | None:
        """The figure as shown (a share in percent)."""
        if self.value is None:
            return None
        return (Decimal(self.value) * 100).quantize(Decimal("0.1")) if self.is_rate else self.value

    @property
    def link(self) -> str:
        if self.href:
            return self.href
        return f"/cockpit/d/{self.drilldown}/" if self.drilldown else ""

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "value": float(self.number) if self.is_rate and self.value is not None else self.value,
            "unit": self.unit,
            "goal": float(self.goal * 100) if self.goal is not None else None,
            "meets_goal": self.meets_goal,
            "drilldown": self.drilldown,
            "count": self.count,
            "detail": self.detail,
            "href": self.link,
            "missed_href": self.missed_href,
            "target": self.target_text,
        }


@dataclass
class Breakdown:
    """Rows of (id, name, {key: count}) for the township or department dimension."""

    dimension: str  # "township" / "department"
    keys: tuple[str, ...]
    rows: list[tuple[int, str, dict[str, int]]] = field(default_factory=list)

    @property
    def labels(self) -> list[tuple[str, str]]:
        return [(k, SHORT_LABELS[k]) for k in self.keys]

    @property
    def cells(self) -> list[tuple[int, str, list[tuple[str, str, int]]]]:
        return [
            (pk, name, [(k, SHORT_LABELS[k], values[k]) for k in self.keys]) for pk, name, values in self.rows
        ]


@dataclass
class Cockpit:
    today: dt.date
    scoped: bool
    groups: list[tuple[str, list[Figure]]]
    townships: Breakdown
    departments: Breakdown
    trend: dict
    counts: dict[str, int] = field(default_factory=dict)  # every measure's count (the drill-downs' sizes)
    computed_at: dt.datetime | None = None  # when the snapshot shown was computed
    duration_ms: int | None = None
    #: Every township of the district with its incidents and cases in the scope (None: outside it).
    map: list[dict] = field(default_factory=list)
    #: The period the reform indicators are measured over (this year to date).
    period: dict = field(default_factory=dict)

    @property
    def figures(self) -> dict[str, Figure]:
        return {f.key: f for _, figures in self.groups for f in figures}

    @property
    def trend_labels(self) -> list[tuple[str, str]]:
        return [(k, SHORT_LABELS[k]) for k in self.trend["series"]]

    @property
    def trend_rows(self) -> list[tuple[str, list[tuple[str, str, int]]]]:
        """Newest month first."""
        series = self.trend["series"]
        return [
            (month, [(k, SHORT_LABELS[k], series[k][i]) for k in series])
            for i, month in reversed(list(enumerate(self.trend["months"])))
        ]

    def as_dict(self) -> dict:
        return {
            "as_of": self.today.isoformat(),
            "scoped": self.scoped,
            "groups": [
                {"title": title, "figures": [f.as_dict() for f in figures]} for title, figures in self.groups
            ],
            "townships": _breakdown_dict(self.townships),
            "departments": _breakdown_dict(self.departments),
            "trend": self.trend,
            "map": self.map,
            "period": self.period,
        }

    def to_json(self) -> dict:
        """Everything, losslessly, for a ``Snapshot`` (decimals as strings)."""
        return {
            "today": self.today.isoformat(),
            "scoped": self.scoped,
            "groups": [[title, [_figure_json(f) for f in figures]] for title, figures in self.groups],
            "townships": _breakdown_json(self.townships),
            "departments": _breakdown_json(self.departments),
            "trend": self.trend,
            "counts": self.counts,
            "map": self.map,
            "period": self.period,
        }

    @classmethod
    def from_json(
        cls, data: dict, computed_at: dt.datetime | None = None, duration_ms: int | None = None
    ) -> Cockpit:
        return cls(
            today=dt.date.fromisoformat(data["today"]),
            scoped=data["scoped"],
            groups=[
                (
                    title,
                    [
                        Figure(**{**f, "value": _undecimal(f["value"]), "goal": _undecimal(f["goal"])})
                        for f in figures
                    ],
                )
                for title, figures in data["groups"]
            ],
            townships=_breakdown_from(data["townships"]),
            departments=_breakdown_from(data["departments"]),
            trend=data["trend"],
            counts=data["counts"],
            computed_at=computed_at,
            duration_ms=duration_ms,
            map=data.get("map", []),
            period=data.get("period", {}),
        )


def _decimal(value):
    return {"decimal": str(value)} if isinstance(value, Decimal) else value


def _undecimal(value):
    return Decimal(value["decimal"]) if isinstance(value, dict) else value


def _figure_json(f: Figure) -> dict:
    return {
        "key": f.key,
        "label": f.label,
        "value": _decimal(f.value),
        "unit": f.unit,
        "goal": _decimal(f.goal),
        "meets_goal": f.meets_goal,
        "drilldown": f.drilldown,
        "count": f.count,
        "detail": f.detail,
        "href": f.href,
        "missed_href": f.missed_href,
        "target_text": f.target_text,
    }


def _breakdown_json(b: Breakdown) -> dict:
    return {
        "dimension": b.dimension,
        "keys": list(b.keys),
        "rows": [[pk, name, values] for pk, name, values in b.rows],
    }


def _breakdown_from(data: dict) -> Breakdown:
    return Breakdown(
        data["dimension"], tuple(data["keys"]), [(pk, name, values) for pk, name, values in data["rows"]]
    )


def _breakdown_dict(b: Breakdown) -> list[dict]:
    return [{"id": pk, "name": name, **values} for pk, name, values in b.rows]


def _share(part: int, whole: int) -> Decimal | None:
    """None when nothing was counted: a share of nothing is shown as "—", neither met nor missed."""
    return None if not whole else (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))
