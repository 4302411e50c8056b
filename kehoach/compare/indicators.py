"""Shared indicator concepts for targets of different plans, across the two programmes.

An *indicator* is an institution type × a metric ("thư viện cấp huyện" × "cung cấp dịch vụ
phục vụ học tập suốt đời"). The target extractor (ingest/targets.py) already maps each
target's words to keys of the SKOS schemes in ingest/concepts.py, so two plans that phrase
the same commitment differently land on the same keys. What it cannot know is that the
programmes themselves renamed things: the 2014 Đề án (208/QĐ-TTg) speaks of "thư viện, bảo
tàng, nhà văn hóa, câu lạc bộ", the 2022 Chương trình (1520/QĐ-TTg) of "thư viện, bảo tàng,
trung tâm văn hóa", and counts clubs as an activity of the grassroots cultural centres.

That knowledge lives in one explicit table, `CROSSWALK`, in the SKOS mapping vocabulary:
- `closeMatch`: the two concepts can be used interchangeably for comparison; the source key is
  rewritten to the target key (so a 2015 target on "nhà văn hóa" and a 2023 target on
  "trung tâm văn hóa, thể thao cấp xã" share one indicator);
- `relatedMatch`: the concepts are about the same thing but their values are not comparable
  (a count of reader visits vs the yearly growth of user visits); comparisons pair them as
  *related* indicators and never compare their numbers.
The table applies to every plan the same way, whatever its programme: no per-file rules.
`crosswalk_turtle()` prints it as SKOS so it can be loaded next to ontology/schemes.ttl.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kehoach.ingest.concepts import INSTITUTION_TYPES, METRICS

INSTITUTION_SCHEME = "institution-type"
METRIC_SCHEME = "target-metric"
AGENCY_SCHEME = "agency-type"  # keys of ingest/agencies.py (province-free agency types)


@dataclass(frozen=True)
class Match:
    """One row of the crosswalk: `source` (a concept as the older programme words it) is a
    SKOS `relation` of `target` (the concept of the current scheme)."""

    scheme: str  # institution-type | target-metric
    source: str
    target: str
    relation: str  # closeMatch | relatedMatch
    note: str


CROSSWALK: tuple[Match, ...] = (
    Match(
        INSTITUTION_SCHEME, "nha-van-hoa-thon", "trung-tam-van-hoa-cap-xa", "closeMatch",
        "208/QĐ-TTg names 'nhà văn hóa' as an institution; 1520/QĐ-TTg folds it into the grassroots "
        "cultural centres ('trung tâm văn hóa, thể thao cấp xã, nhà văn hóa - khu thể thao thôn').",
    ),
    Match(
        INSTITUTION_SCHEME, "cau-lac-bo", "trung-tam-van-hoa-cap-xa", "closeMatch",
        "208/QĐ-TTg names 'câu lạc bộ' as an institution; 1520/QĐ-TTg counts clubs as an activity of "
        "commune cultural centres (metric 'có lớp năng khiếu, câu lạc bộ, nhóm sở thích').",
    ),
    Match(
        INSTITUTION_SCHEME, "cap-xa", "trung-tam-van-hoa-cap-xa", "relatedMatch",
        "2014-era plans set festival targets per administrative level ('cấp xã tổ chức mỗi năm một lần'); "
        "1520 plans set them for the cultural centres of that level.",
    ),
    Match(INSTITUTION_SCHEME, "cap-huyen", "trung-tam-van-hoa-cap-huyen", "relatedMatch", "As for cấp xã, at district level."),
    Match(INSTITUTION_SCHEME, "cap-tinh", "trung-tam-van-hoa-cap-tinh", "relatedMatch", "As for cấp xã, at provincial level."),
    Match(
        METRIC_SCHEME, "luot-phuc-vu-doc-gia", "tang-luot-nguoi-su-dung-thu-vien", "relatedMatch",
        "Both count library use; 2014-era plans state a number of reader visits, 1520 plans a yearly growth rate (%).",
    ),
    Match(
        METRIC_SCHEME, "ket-noi-internet", "ung-dung-cntt-chuyen-doi-so", "relatedMatch",
        "The 2014-era connectivity goal ('có điểm kết nối internet') became the 2022 goal of applying IT and "
        "digital transformation.",
    ),
    Match(
        METRIC_SCHEME, "lien-hoan-hoi-dien", "ho-tro-sang-tao-huong-thu-van-hoa", "relatedMatch",
        "Festivals and contests are one way cultural centres 'support cultural creation and enjoyment' (1520/QĐ-TTg).",
    ),
    Match(
        AGENCY_SCHEME, "so-van-hoa-va-the-thao", "so-van-hoa-the-thao-va-du-lich", "closeMatch",
        "The provincial department in charge of culture: provinces that gave tourism its own department "
        "(e.g. Ninh Bình, Khánh Hòa by 2023) call it 'Sở Văn hóa và Thể thao'; it holds the plan's lead role either way.",
    ),
)


def _close(scheme: str) -> dict[str, Match]:
    return {m.source: m for m in CROSSWALK if m.scheme == scheme and m.relation == "closeMatch"}


def _related(scheme: str) -> set[frozenset[str]]:
    return {frozenset((m.source, m.target)) for m in CROSSWALK if m.scheme == scheme and m.relation == "relatedMatch"}


def canonical(scheme: str, key: str | None) -> tuple[str | None, Match | None]:
    """The concept a key compares as, and the crosswalk row that rewrote it (None if kept)."""
    match = _close(scheme).get(key or "")
    return (match.target, match) if match else (key, None)


def ancestors(institution: str | None) -> list[str]:
    """The broader institution types of one, nearest first (thu-vien-cap-tinh -> [thu-vien])."""
    out: list[str] = []
    concept = INSTITUTION_TYPES.get(institution or "")
    while concept is not None and concept.broader and concept.broader not in out and concept.broader != institution:
        out.append(concept.broader)
        concept = INSTITUTION_TYPES.get(concept.broader)
    return out


def family(institution: str | None) -> str | None:
    """The top concept of an institution type: thu-vien, bao-tang, trung-tam-van-hoa (or itself)."""
    broader = ancestors(institution)
    return broader[-1] if broader else institution


@dataclass(frozen=True)
class Indicator:
    institution: str | None
    metric: str | None

    @property
    def key(self) -> str:
        return f"{self.institution or '-'}|{self.metric or '-'}"

    @property
    def institution_label(self) -> str:
        inst = INSTITUTION_TYPES.get(self.institution or "")
        return inst.label if inst else self.institution or "?"

    @property
    def label(self) -> str:
        metric = METRICS.get(self.metric or "")
        return f"{self.institution_label} — {metric.label if metric else self.metric or '?'}"

    @property
    def label_en(self) -> str:
        inst = INSTITUTION_TYPES.get(self.institution or "")
        metric = METRICS.get(self.metric or "")
        return f"{(inst.label_en if inst else None) or self.institution or '?'}: {(metric.label_en if metric else None) or self.metric or '?'}"

    @property
    def family(self) -> str | None:
        return family(self.institution)


@dataclass(frozen=True)
class MappedTarget:
    """A target with the indicator it compares under, and how it got there."""

    indicator: Indicator
    target: Any  # the extractor's Target
    via: tuple[Match, ...]  # crosswalk rows applied (empty when the keys were kept)


def map_target(target: Any) -> MappedTarget:
    institution, m1 = canonical(INSTITUTION_SCHEME, target.subject)
    metric, m2 = canonical(METRIC_SCHEME, target.metric)
    return MappedTarget(Indicator(institution, metric), target, tuple(m for m in (m1, m2) if m))


def related(a: Indicator, b: Indicator) -> bool:
    """True when two different indicators are linked by relatedMatch rows (on either axis, the
    other axis equal or also related): they are shown side by side, never compared by value."""
    if a == b:
        return False
    inst_ok = a.institution == b.institution or frozenset((a.institution, b.institution)) in _related(INSTITUTION_SCHEME)
    metric_ok = a.metric == b.metric or frozenset((a.metric, b.metric)) in _related(METRIC_SCHEME)
    return inst_ok and metric_ok


def crosswalk_rows() -> list[dict[str, str]]:
    """The crosswalk as JSON-ready rows (for the report and the API)."""
    return [{"scheme": m.scheme, "source": m.source, "target": m.target, "relation": m.relation, "note": m.note} for m in CROSSWALK]


def crosswalk_turtle() -> str:
    """The crosswalk as SKOS mapping triples, with the concept IRIs of graph/iris.py."""
    from kehoach.graph.iris import concept_iri

    lines = ["@prefix skos: <http://www.w3.org/2004/02/skos/core#> .", ""]
    for m in CROSSWALK:
        note = m.note.replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f"{concept_iri(m.scheme, m.source)} skos:{m.relation} {concept_iri(m.scheme, m.target)} .")
        lines.append(f"# {note}")
    return "\n".join(lines) + "\n"
