"""The comparison as a self-contained HTML page with charts.

Charts are drawn with matplotlib's Agg backend (no display needed) and embedded as base64
PNG, so the page is one file that opens anywhere. The page is rendered by a jinja2 template
with autoescaping on: plan texts are data, never markup. Plan ids link to the service's plan
pages (/plans/{id}, see api/pages.py), with the span offsets as a fragment.
"""

from __future__ import annotations

import base64
import io
from collections import Counter, defaultdict
from typing import Any, Sequence

STATUS_COLOURS = {"continued": "#4c72b0", "changed": "#dd8452", "new": "#55a868", "dropped": "#c44e52"}


def _figure():
    """pyplot, on the Agg backend unless the caller chose one already (a notebook's inline)."""
    import sys

    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def png_base64(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    _figure().close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _short(label: str, limit: int = 38) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def chart_targets_by_province(provinces: dict[str, Any], unit: str = "%", min_plans: int = 2):
    """Grouped bars: each indicator × year (x) and one bar per province: the values the
    programme's plans set (ranges drawn at their midpoint). Only indicators that at least
    `min_plans` plans state in `unit` are drawn: the chart is for comparing provinces."""
    plt = _figure()
    rows = [
        r for r in provinces["rows"]
        if isinstance(r["year"], int) and all(e["unit"] == unit for e in r["evidence"]) and len({e["plan"] for e in r["evidence"]}) >= min_plans
    ]
    names = sorted({e["province"] or e["plan"] for r in rows for e in r["evidence"]})
    fig, ax = plt.subplots(figsize=(max(7, 0.75 * len(rows) + 2), 4.8))
    if not rows:
        ax.text(0.5, 0.5, "no targets", ha="center", va="center")
        ax.set_axis_off()
        return fig
    width = 0.8 / max(1, len(names))
    for k, province in enumerate(names):
        xs, ys = [], []
        for i, row in enumerate(rows):
            for e in row["evidence"]:
                if (e["province"] or e["plan"]) == province:
                    xs.append(i + k * width - 0.4 + width / 2)
                    ys.append((e["value"] + e["value_max"]) / 2 if e["value_max"] is not None else e["value"])
                    break
        ax.bar(xs, ys, width=width, label=province)
    ax.set_xticks(range(len(rows)))
    ax.set_xticklabels([f"{_short(r.get('label_en') or r['label'], 52)} · {r['year']}" for r in rows], rotation=35, ha="right", fontsize=7)
    ax.set_ylabel(f"target ({unit})")
    ax.set_title(f"{provinces['programme']}: targets by province and year")
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    return fig


def chart_themes(comparison: dict[str, Any]):
    """Share of each side's tasks per theme (horizontal bars, A vs B)."""
    plt = _figure()
    rows = [r for r in comparison["rows"] if r["section"] == "themes"]
    fig, ax = plt.subplots(figsize=(7.5, 0.38 * max(4, len(rows)) + 1.2))
    ys = range(len(rows))
    ax.barh([y + 0.2 for y in ys], [r["a_share"] * 100 for r in rows], height=0.4, label=comparison["a"]["label"], color="#8172b3")
    ax.barh([y - 0.2 for y in ys], [r["b_share"] * 100 for r in rows], height=0.4, label=comparison["b"]["label"], color="#64b5cd")
    ax.set_yticks(list(ys))
    ax.set_yticklabels([r["key"] for r in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("share of the side's tasks (%)")
    ax.set_title("Task themes")
    ax.legend(fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    return fig


def chart_statuses(comparison: dict[str, Any]):
    """Rows per status in each section (stacked bars)."""
    plt = _figure()
    sections = [s for s in ("targets", "tasks", "agencies") if s in comparison["summary"]]
    fig, ax = plt.subplots(figsize=(7, 2.8))
    lefts = [0] * len(sections)
    for status, colour in STATUS_COLOURS.items():
        counts = [comparison["summary"].get(s, {}).get(status, 0) for s in sections]
        ax.barh(sections, counts, left=lefts, color=colour, label=status)
        lefts = [a + b for a, b in zip(lefts, counts)]
    ax.invert_yaxis()
    ax.set_xlabel("rows")
    ax.set_title(f"{comparison['a']['label']} → {comparison['b']['label']}")
    ax.legend(fontsize=8, ncol=4, loc="lower right")
    return fig


TEMPLATE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<title>kehoach — {{ c.a.label }} vs {{ c.b.label }}</title>
<style>
body{font-family:system-ui,"DejaVu Sans",sans-serif;margin:1.5rem auto;max-width:1200px;color:#222;padding:0 1rem}
h1{font-size:1.5rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.25rem .4rem;vertical-align:top;text-align:left}
th{background:#f3f3f3} .q{color:#555;font-size:.8rem} .st{font-weight:600}
.continued{color:#4c72b0}.changed{color:#dd8452}.new{color:#55a868}.dropped{color:#c44e52}
img{max-width:100%;border:1px solid #eee;margin:.5rem 0} .charts{display:flex;flex-wrap:wrap;gap:1rem}
</style></head><body>
<h1>{{ c.a.label }} vs {{ c.b.label }}</h1>
<p>Every row below points at the words it came from: plan, character offsets into the plan's
original text, and the quote. Plan links open the plan's page on the kehoach service.</p>
<table><tr><th>side</th><th>plans</th></tr>
{% for side in ("a", "b") %}<tr><td>{{ side|upper }}: {{ c[side].label }}</td><td>
{% for p in c[side].plans %}<a href="{{ base }}/plans/{{ p.id }}">{{ p.province or p.id }}</a>
({{ p.identifier or "no number" }}, {{ p.date or "?" }}; {{ p.targets }} targets, {{ p.tasks }} tasks){% if not loop.last %}; {% endif %}{% endfor %}
</td></tr>{% endfor %}</table>

<h2>Summary</h2>
<table><tr><th>section</th>{% for s in statuses %}<th>{{ s }}</th>{% endfor %}</tr>
{% for sec, counts in c.summary.items() %}<tr><td>{{ sec }}</td>{% for s in statuses %}<td>{{ counts.get(s, 0) }}</td>{% endfor %}</tr>{% endfor %}
</table>
<div class="charts">
{% for ch in charts %}<figure><img alt="{{ ch.title }}" src="data:image/png;base64,{{ ch.png }}"><figcaption>{{ ch.title }}</figcaption></figure>
{% endfor %}</div>

{% if provinces %}<h2>{{ provinces.programme }}: targets by province and year</h2>
<table><tr><th>indicator</th><th>year</th>{% for p in provinces.provinces %}<th>{{ p }}</th>{% endfor %}</tr>
{% for r in provinces.rows %}<tr><td>{{ r.label }}</td><td>{{ r.year }}</td>
{% for p in provinces.provinces %}<td>{% for e in r.evidence if (e.province or e.plan) == p %}{{ e.value|fmt }}{% if e.value_max is not none %}–{{ e.value_max|fmt }}{% endif %} {{ e.unit }}
<div class="q"><a href="{{ base }}/plans/{{ e.plan }}#{{ e.start }}-{{ e.end }}">«{{ e.quote }}»</a></div>{% endfor %}</td>{% endfor %}</tr>{% endfor %}
</table>{% endif %}

<h2>Targets (shared indicators)</h2>
<table><tr><th>indicator</th><th>status</th><th>A</th><th>B</th></tr>
{% for r in rows.targets %}<tr><td>{{ r.label }}{% if r.note %}<div class="q">{{ r.note }}</div>{% endif %}</td>
<td class="st {{ r.status }}">{{ r.status }}{% if r.change %} ({{ r.change }}){% endif %}</td>
{% for side in ("a", "b") %}<td>{% for e in r[side] %}{{ e.value|fmt }}{% if e.value_max is not none %}–{{ e.value_max|fmt }}{% endif %} {{ e.unit }} {{ e.year or e.period or "" }}
<div class="q"><a href="{{ base }}/plans/{{ e.plan }}#{{ e.start }}-{{ e.end }}">{{ e.province or e.plan }} [{{ e.start }}:{{ e.end }}]</a> «{{ e.quote }}»{% if e.via %} — via {{ e.via|join(", ") }}{% endif %}</div>{% endfor %}</td>{% endfor %}</tr>
{% endfor %}</table>

<h2>Crosswalk between the programmes' vocabularies</h2>
<table><tr><th>scheme</th><th>2014 wording</th><th>relation</th><th>2022 concept</th><th>why</th></tr>
{% for m in c.crosswalk %}<tr><td>{{ m.scheme }}</td><td>{{ m.source }}</td><td>skos:{{ m.relation }}</td><td>{{ m.target }}</td><td>{{ m.note }}</td></tr>{% endfor %}
</table>

<h2>Tasks aligned by meaning</h2>
<p>Cosine of multilingual-e5 embeddings; same ≥ {{ c.task_alignment.thresholds.same }}, related ≥ {{ c.task_alignment.thresholds.related }}
(thresholds measured by <code>kehoach eval compare</code> on hand-labelled pairs).</p>
{% for status in statuses %}{% set rs = rows.tasks|selectattr("status", "equalto", status)|list %}{% if rs %}
<details{% if status in ("new", "dropped") %} open{% endif %}><summary class="st {{ status }}">{{ status }}: {{ rs|length }}</summary>
<table><tr><th>score</th><th>A</th><th>B</th></tr>
{% for r in rs %}<tr><td>{{ "%.3f"|format(r.score) if r.score is not none else "" }}</td>
{% for side in ("a", "b") %}<td>{% for e in r[side] %}{{ e.text[:220] }}<div class="q"><a href="{{ base }}/plans/{{ e.plan }}#{{ e.start }}-{{ e.end }}">{{ e.province or e.plan }} [{{ e.start }}:{{ e.end }}]</a> · {{ e.theme or "" }}</div>{% endfor %}</td>{% endfor %}</tr>
{% endfor %}</table></details>{% endif %}{% endfor %}

<h2>Agencies and their roles</h2>
<table><tr><th>agency (type)</th><th>status</th><th>A roles</th><th>B roles</th></tr>
{% for r in rows.agencies %}<tr><td>{{ r.label }}</td><td class="st {{ r.status }}">{{ r.status }}{% if r.change %} ({{ r.change }}){% endif %}</td>
{% for side in ("a", "b") %}<td>{{ r[side ~ "_summary"] }}{% for e in r[side][:3] %}<div class="q"><a href="{{ base }}/plans/{{ e.plan }}#{{ e.start }}-{{ e.end }}">{{ e.province }} [{{ e.start }}:{{ e.end }}]</a> {{ e.role }}: {{ e.task[:140] }}</div>{% endfor %}</td>{% endfor %}</tr>
{% endfor %}</table>
</body></html>
"""


def _fmt(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def render_html(comparison: dict[str, Any], provinces: dict[str, Any] | None = None, base_url: str = "") -> str:
    """The comparison (and optionally a province table) as one HTML page with embedded charts."""
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["fmt"] = _fmt
    charts = [{"title": "Rows per status", "png": png_base64(chart_statuses(comparison))}]
    if any(r["section"] == "themes" for r in comparison["rows"]):
        charts.append({"title": "Task themes by side", "png": png_base64(chart_themes(comparison))})
    if provinces and provinces["rows"]:
        charts.insert(0, {"title": f"{provinces['programme']}: targets by province and year", "png": png_base64(chart_targets_by_province(provinces))})
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in comparison["rows"]:
        rows[r["section"]].append(r)
    for section in ("targets", "tasks", "themes", "agencies"):
        rows.setdefault(section, [])
    return env.from_string(TEMPLATE).render(
        c=comparison, rows=rows, charts=charts, provinces=provinces, base=base_url.rstrip("/"),
        statuses=["continued", "changed", "new", "dropped"],
    )


def save_chart_png(fig, path) -> None:
    fig.savefig(path, format="png", dpi=110, bbox_inches="tight")
    _figure().close(fig)


def status_counts(rows: Sequence[dict[str, Any]]) -> Counter:
    return Counter((r["section"], r["status"]) for r in rows)
