"""records -> RDF: shapes hold, spans point at their quotes, output is deterministic,
and the SHACL shapes catch what they promise to catch."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kehoach.graph.iris import concept_iri, fact_iri, plan_graph_iri, plan_iri, province_iri, source_iri
from kehoach.graph.to_rdf import FACT_MAPPERS, record_to_quads, register_fact_mapper
from kehoach.graph.validate import validate_graph
from kehoach.ingest.records import Header, LegalReference, PlanRecord, Segment, Span
from kehoach.ontology.namespaces import CNT, DCT, ELI, KH, OA, PROV, QB, RDF, SCHEMA, SDMX_ATT, SDMX_DIM, SDMX_MEAS, TIME, XSD, PPLAN

TEXT = (
    "Số: /KH-UBND\n"
    "Ninh Bình, ngày   tháng 5 năm 2023\n"
    "KẾ HOẠCH\n"
    "Triển khai Chương trình học tập suốt đời\n"
    "Thực hiện Quyết định số 1520/QĐ-TTg ngày 09/12/2022 của Thủ tướng Chính phủ;\n"
    "I. MỤC TIÊU\n"
    "- Đến năm 2025, 70% thư viện cấp huyện cung cấp dịch vụ.\n"
    "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn A\n"
)


def span_for(quote: str) -> Span:
    start = TEXT.index(quote)
    return Span(start, start + len(quote), quote)


def hand_record(**header_changes) -> PlanRecord:
    """A small record written by hand (the contract of ingest/records.py), not by the pipeline."""
    header = Header(
        number=None, symbol="KH-UBND", doc_type="Kế hoạch", issuer="Ủy ban nhân dân tỉnh Ninh Bình",
        issuer_kind="provincial-people-committee", province="Ninh Bình", province_code="37",
        province_code_2025="37", province_2025="Ninh Bình", place="Ninh Bình", date="2023-05",
        date_precision="month", date_not_before="2022-12-09", date_not_before_basis="1520/QĐ-TTg",
        title="Triển khai Chương trình học tập suốt đời", signer="Nguyễn Văn A", signer_title="Phó Chủ tịch",
        programmes=["1520/QĐ-TTg"], implements=["1520/QĐ-TTg"],
        spans={"number": span_for("Số: /KH-UBND"), "date": span_for("Ninh Bình, ngày   tháng 5 năm 2023"),
               "title": span_for("Triển khai Chương trình học tập suốt đời"), "signer": span_for("Nguyễn Văn A")},
    )
    for key, value in header_changes.items():
        setattr(header, key, value)
    ref = LegalReference(
        identifier="1520/QĐ-TTg", number="1520", symbol="QĐ-TTg", doc_type="Quyết định", date="2022-12-09",
        date_precision="day", issuer="Thủ tướng Chính phủ", span=span_for("1520/QĐ-TTg ngày 09/12/2022"),
        is_basis=True, programme="1520/QĐ-TTg",
    )
    part = Segment("s0001", "part", "I", "I. MỤC TIÊU", span_for("I. MỤC TIÊU"), None, 0, 1, title="MỤC TIÊU")
    bullet_text = "- Đến năm 2025, 70% thư viện cấp huyện cung cấp dịch vụ."
    bullet = Segment("s0002", "bullet", "-", bullet_text, span_for(bullet_text), "s0001", 1, 2)
    return PlanRecord(
        id="test-plan", source_path="/somewhere/test-plan.txt", sha256="a" * 64, original_text=TEXT,
        text=TEXT, offsets=list(range(len(TEXT) + 1)), header=header, references=[ref], segments=[part, bullet],
    )


def objects(quads, s, p):
    return [q.object for q in quads if q.subject == s and q.predicate == p]


def test_hand_record_conforms_to_the_shapes():
    quads = record_to_quads(hand_record())
    conforms, report, violations = validate_graph(quads)
    assert (conforms, violations) == (True, 0), report


def test_every_quad_is_in_the_plans_graph_and_output_is_deterministic():
    first, second = record_to_quads(hand_record()), record_to_quads(hand_record())
    assert first == second
    assert {q.graph_name for q in first} == {plan_graph_iri("test-plan")}
    assert not any(isinstance(t, ox.BlankNode) for q in first for t in (q.subject, q.object))


def test_month_precision_date_is_a_gyearmonth_and_the_inferred_bound_cites_its_source():
    quads = record_to_quads(hand_record())
    plan = plan_iri("test-plan")
    assert objects(quads, plan, DCT.issued) == [ox.Literal("2023-05", datatype=XSD.gYearMonth)]
    assert objects(quads, plan, ELI.date_document) == []  # ELI wants a full xsd:date
    assert objects(quads, plan, KH.datePrecision) == [concept_iri("date-precision", "month")]
    (bound,) = objects(quads, plan, KH.notIssuedBefore)
    assert objects(quads, bound, TIME.inXSDDate) == [ox.Literal("2022-12-09", datatype=XSD.date)]
    assert objects(quads, bound, KH.inferred) == [ox.Literal("true", datatype=XSD.boolean)]
    assert len(objects(quads, bound, PROV.wasDerivedFrom)) == 1


def test_unknown_date_gives_no_date_value():
    quads = record_to_quads(hand_record(date=None, date_precision="unknown"))
    plan = plan_iri("test-plan")
    assert objects(quads, plan, DCT.issued) == []
    assert objects(quads, plan, KH.datePrecision) == [concept_iri("date-precision", "unknown")]
    assert validate_graph(quads)[2] == 0


def test_blank_number_keeps_the_identifier_but_no_number():
    quads = record_to_quads(hand_record())
    plan = plan_iri("test-plan")
    assert objects(quads, plan, ELI.id_local) == [ox.Literal("/KH-UBND")]
    assert objects(quads, plan, ELI.number) == []


def test_province_has_both_code_systems():
    quads = record_to_quads(hand_record(province="Lào Cai", province_code="10", province_code_2025="15"))
    old = province_iri("10")
    (new,) = objects(quads, old, DCT.isReplacedBy)
    assert objects(quads, old, KH.provinceCode) == [ox.Literal("10")]
    assert objects(quads, new, KH.provinceCode2025) == [ox.Literal("15")]


def test_spans_quote_the_source_at_their_offsets():
    quads = record_to_quads(hand_record())
    assert_spans_match(quads, {source_iri("test-plan"): TEXT})


def assert_spans_match(quads, texts: dict) -> int:
    by_subject: dict = {}
    for q in quads:
        by_subject.setdefault(q.subject, {}).setdefault(q.predicate, []).append(q.object)
    checked = 0
    for fact, props in by_subject.items():
        for span in props.get(KH.sourceSpan, []):
            sp = by_subject[span]
            (source,) = sp[OA.hasSource]
            selectors = [by_subject[s] for s in sp[OA.hasSelector]]
            (pos,) = [s for s in selectors if OA.start in s]
            (quote,) = [s for s in selectors if OA.exact in s]
            start, end = int(pos[OA.start][0].value), int(pos[OA.end][0].value)
            assert 0 <= start <= end <= len(texts[source])
            assert texts[source][start:end] == quote[OA.exact][0].value, fact
            checked += 1
    assert checked > 0
    return checked


# ---------------------------------------------------------------- the shapes catch errors


def _replace(quads, predicate, new_object, subject=None):
    done, out = False, []
    for q in quads:
        if not done and q.predicate == predicate and subject in (None, q.subject):
            q = ox.Quad(q.subject, q.predicate, new_object(q.object), q.graph_name)
            done = True
        out.append(q)
    assert done
    return out


def test_a_wrong_quote_is_a_violation():
    quads = _replace(record_to_quads(hand_record()), OA.exact, lambda o: ox.Literal(o.value + "!"))
    conforms, report, violations = validate_graph(quads)
    assert not conforms and violations == 1 and "quote" in report


def test_start_after_end_is_a_violation():
    quads = _replace(record_to_quads(hand_record()), OA.start, lambda o: ox.Literal("100000", datatype=XSD.integer))
    assert validate_graph(quads)[2] >= 1


def test_a_date_typed_against_its_precision_is_a_violation():
    quads = _replace(record_to_quads(hand_record()), DCT.issued, lambda o: ox.Literal("2023-05-01", datatype=XSD.date),
                     subject=plan_iri("test-plan"))
    conforms, report, _ = validate_graph(quads)
    assert not conforms and "precision" in report


def test_a_plan_without_province_is_a_violation_without_title_a_warning():
    quads = [q for q in record_to_quads(hand_record()) if q.predicate not in (ELI.title, DCT.spatial)]
    conforms, report, violations = validate_graph(quads)
    assert violations == 1 and "exactly one province" in report
    assert "no plan title was found" in report  # reported, as a warning
    no_title = [q for q in record_to_quads(hand_record()) if q.predicate != ELI.title]
    conforms, report, violations = validate_graph(no_title)
    assert conforms and violations == 0 and "no plan title was found" in report


def test_two_titles_are_a_violation():
    extra = ox.Quad(plan_iri("test-plan"), ELI.title, ox.Literal("Tên thứ hai", language="vi"), record_to_quads(hand_record())[0].graph_name)
    assert validate_graph(record_to_quads(hand_record()) + [extra])[2] == 1


def test_a_fact_without_span_is_a_violation():
    quads = [q for q in record_to_quads(hand_record()) if q.predicate != KH.sourceSpan or "segment/s0002" not in q.subject.value]
    assert validate_graph(quads)[2] == 1


# ---------------------------------------------------------------- fact mappers (extension point)


@pytest.fixture
def fact_mapper():
    """A target, task and responsibility mapped the way the extraction modules should."""
    from kehoach.graph import builder as b

    def mapper(record, role="lead"):
        plan, pid = plan_iri(record.id), record.id
        target, task, resp = (fact_iri(pid, k, "t1") for k in ("target", "task", "responsibility"))
        agency = b.resolve_agency("Sở Văn hóa và Thể thao", "37", "Ninh Bình")
        bullet = record.segments[1]
        out = [
            ox.Triple(target, RDF.type, KH.Target),
            ox.Triple(target, KH.plan, plan),
            ox.Triple(target, QB.dataSet, b.targets_dataset_iri(pid)),
            ox.Triple(target, KH.subject, concept_iri("institution-type", "thu-vien-cap-huyen")),
            ox.Triple(target, KH.metric, concept_iri("target-metric", "cung-cap-dich-vu-hoc-tap-suot-doi")),
            ox.Triple(target, SDMX_MEAS.obsValue, b.decimal(70)),
            ox.Triple(target, SDMX_ATT.unitMeasure, b.unit_concept("%")),
            ox.Triple(target, SDMX_DIM.refArea, province_iri("37")),
            ox.Triple(target, SDMX_DIM.refPeriod, b.date_literal("2025")),
            ox.Triple(target, KH.periodKind, concept_iri("period-kind", "deadline")),
            ox.Triple(task, RDF.type, KH.Task),
            ox.Triple(task, PPLAN.isStepOfPlan, plan),
            ox.Triple(task, SCHEMA.text, b.vi(bullet.text)),
            ox.Triple(task, KH.theme, concept_iri("task-theme", "infrastructure-network")),
            ox.Triple(resp, RDF.type, KH.Responsibility),
            ox.Triple(resp, PROV.agent, agency.iri),
            ox.Triple(resp, PROV.hadRole, concept_iri("responsibility-role", role)),
            ox.Triple(resp, KH.task, task),
            ox.Triple(resp, KH.plan, plan),
        ]
        out += b.agency_triples(agency.iri, agency.label, province=province_iri("37"), type_key=agency.type_key)
        for fact in (target, task, resp):
            out += b.provenance(pid, fact, bullet.span)
        return out

    yield mapper
    while mapper in FACT_MAPPERS:
        FACT_MAPPERS.remove(mapper)


def test_registered_fact_mappers_are_called_and_their_facts_conform(fact_mapper):
    register_fact_mapper(fact_mapper)
    quads = record_to_quads(hand_record())
    assert any(q.predicate == RDF.type and q.object == KH.Target for q in quads)
    conforms, report, violations = validate_graph(quads)
    assert violations == 0, report


def test_a_role_outside_the_role_scheme_is_a_violation(fact_mapper):
    register_fact_mapper(lambda r: fact_mapper(r, role="boss"))
    try:
        conforms, report, violations = validate_graph(record_to_quads(hand_record()))
    finally:
        FACT_MAPPERS.pop()
    assert violations == 1 and "responsibility-role" in report


# ---------------------------------------------------------------- the real corpus


@pytest.fixture(scope="module")
def corpus_quads(records):
    return {pid: record_to_quads(rec) for pid, rec in records.items()}


def test_corpus_graph_has_zero_violations(corpus_quads):
    quads = [q for qs in corpus_quads.values() for q in qs]
    conforms, report, violations = validate_graph(quads)
    assert (conforms, violations) == (True, 0), report[:3000]


def test_corpus_spans_quote_the_original_text(records, corpus_quads):
    for pid, quads in corpus_quads.items():
        n = assert_spans_match(quads, {source_iri(pid): records[pid].original_text})
        assert n >= len(records[pid].segments)


def test_corpus_mapping_is_deterministic(records, corpus_quads):
    for pid, rec in records.items():
        assert record_to_quads(rec) == corpus_quads[pid]


def test_source_text_is_stored_whole(records, corpus_quads):
    for pid, quads in corpus_quads.items():
        assert objects(quads, source_iri(pid), CNT.chars) == [ox.Literal(records[pid].original_text)]


def test_quads_survive_a_store_round_trip_unchanged(corpus_quads):
    """Oxigraph canonicalises literals (derived integer types, decimals); what we write must
    already be canonical, or re-ingesting would change the triples."""
    quads = {q for qs in corpus_quads.values() for q in qs}
    store = ox.Store()
    store.extend(quads)
    assert set(store) == quads
