"""Small SVG charts of indicator figures for the reports and the appraisal reports, drawn on the
server so that WeasyPrint embeds them in the PDF (no browser, no image files). Pure functions:
numbers in, SVG text out."""

from __future__ import annotations

from html import escape

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#e377c2")


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def line_chart(
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    percent: bool = False,
    width: int = 640,
    height: int = 220,
    title: str = "",
) -> str:
    """Lines over ``labels`` (None breaks a line); a y axis from 0 (0–100 for percentages)."""
    left, right, top, bottom = 44, 12, 26 if title else 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _, vs in series for v in vs if v is not None]
    top_value = 100.0 if percent else _nice_max(max(values, default=0))
    n = max(len(labels), 1)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return top + plot_h - plot_h * (v / top_value if top_value else 0)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="Noto Sans CJK SC, sans-serif" font-size="10">'
    ]
    if title:
        out.append(f'<text x="{left}" y="14" font-size="12" font-weight="bold">{escape(title)}</text>')
    for k in range(5):
        v = top_value * k / 4
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/>'
            f'<text x="{left - 4}" y="{y(v) + 3:.1f}" text-anchor="end" fill="#555">'
            f"{v:g}{'%' if percent else ''}</text>"
        )
    step = max(1, len(labels) // 12)
    for i, label in enumerate(labels):
        if i % step == 0:
            out.append(
                f'<text x="{x(i):.1f}" y="{height - bottom + 14}" text-anchor="middle" fill="#555">'
                f"{escape(label)}</text>"
            )
    for s, (name, vs) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        segments, current = [], []
        for i, v in enumerate(vs):
            if v is None:
                if current:
                    segments.append(current)
                current = []
            else:
                current.append(f"{x(i):.1f},{y(v):.1f}")
        if current:
            segments.append(current)
        for points in segments:
            if len(points) > 1:
                out.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(points)}"/>'
                )
            for point in points:
                px, py = point.split(",")
                out.append(f'<circle cx="{px}" cy="{py}" r="2.5" fill="{colour}"/>')
        lx = left + s * 150
        out.append(
            f'<rect x="{lx}" y="{height - 14}" width="10" height="4" fill="{colour}"/>'
            f'<text x="{lx + 14}" y="{height - 9}" fill="#333">{escape(name)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def bar_chart(
    labels: list[str],
    values: list[float | None],
    *,
    width: int = 640,
    height: int = 200,
    title: str = "",
    unit: str = "",
) -> str:
    """One series of bars (None: no bar, shown as "—")."""
    left, right, top, bottom = 44, 12, 26 if title else 12, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max((v for v in values if v is not None), default=0))
    n = max(len(labels), 1)
    bar = plot_w / n * 0.6
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="Noto Sans CJK SC, sans-serif" font-size="10">'
    ]
    if title:
        out.append(f'<text x="{left}" y="14" font-size="12" font-weight="bold">{escape(title)}</text>')
    out.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#999"/>'
    )
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        cx = left + plot_w * (i + 0.5) / n
        if v is not None:
            h = plot_h * v / top_value if top_value else 0
            out.append(
                f'<rect x="{cx - bar / 2:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[0]}"/><text x="{cx:.1f}" y="{top + plot_h - h - 3:.1f}" text-anchor="middle">'
                f"{v:g}{escape(unit)}</text>"
            )
        out.append(
            f'<text x="{cx:.1f}" y="{height - 8}" text-anchor="middle" fill="#555">{escape(label)}</text>'
        )
    out.append("</svg>")
    return "".join(out)
