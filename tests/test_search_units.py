"""Pure parts of search: tokenizer, fusion, year filters, passages, metrics (no model)."""

from __future__ import annotations

import numpy as np
import pytest

from kehoach.search.evaluate import GoldItem, matches, score_ranking
from kehoach.search.engine import parse_year_filter
from kehoach.search.fusion import at_most_per_plan, normalise_keyword, normalise_vector, rrf, weighted_fusion
from kehoach.search.keyword_index import TokenizerOptions, query_tokens, tokenize
from kehoach.search.passages import passages_from_record
from kehoach.search.query import analyse_query


def test_tokens_fold_diacritics_and_ocr_spellings_alike():
    a = tokenize("Thư viện cấp xã", TokenizerOptions(bigrams=False))
    b = tokenize("thu vien cap xa", TokenizerOptions(bigrams=False))
    assert a == b == ["thu", "vien", "cap", "xa"]
    assert "dong" in tokenize("Đồng")  # đ folds to d


def test_document_codes_numbers_and_bigrams():
    t = tokenize("Quyết định số 1520/QĐ-TTg: phục vụ 8.000 lượt, đạt 70 %")
    assert "1520/qd-ttg" in t and "1520" in t
    assert "8000" in t and "70%" in t
    assert "quyet_dinh" in t
    assert "1520/qd-ttg" not in tokenize("1520/QĐ-TTg", TokenizerOptions(codes=False))


def test_a_header_number_typed_with_a_space_is_one_code():
    tokens = tokenize("Số: 1133 /KH-UBND Lai Châu")
    assert "1133/kh-ubnd" in tokens
    assert "1133/kh-ubnd" in query_tokens("kế hoạch 1133/KH-UBND ban hành ngày nào")


def test_query_repeats_document_codes():
    q = query_tokens("Kế hoạch 325/KH-UBND", TokenizerOptions(code_weight=3))
    assert q.count("325/kh-ubnd") == 3


@pytest.mark.parametrize(
    "value, expected",
    [(None, None), (2023, (2023, 2023)), ("2020-2025", (2020, 2025)), ("2020-", (2020, None)), ("-2025", (None, 2025)), ((2015, 2016), (2015, 2016))],
)
def test_year_filters(value, expected):
    assert parse_year_filter(value) == expected


@pytest.mark.parametrize(
    "value, message",
    [("abc", "must be a year or a range"), ("-", "must be a year or a range"), ("20x3", "must be a year or a range"),
     ("2030-2020", "runs backwards: write 2020-2030"), ((2016, 2015), "runs backwards")],
)
def test_year_filters_that_mean_nothing_are_refused(value, message):
    with pytest.raises(ValueError, match=message):
        parse_year_filter(value)


def test_at_most_per_plan_drops_a_plans_extra_items_and_keeps_the_order():
    ranked = [("a", 1), ("a", 2), ("b", 3), ("a", 4), ("c", 5), ("b", 6), ("b", 7)]
    plan = lambda item: item[0]  # noqa: E731
    assert at_most_per_plan(ranked, plan, 1) == [("a", 1), ("b", 3), ("c", 5)]
    assert at_most_per_plan(ranked, plan, 2) == [("a", 1), ("a", 2), ("b", 3), ("c", 5), ("b", 6)]
    assert at_most_per_plan(ranked, plan, 3) == ranked[:4] + [("c", 5), ("b", 6), ("b", 7)]
    assert at_most_per_plan([], plan, 1) == []
    with pytest.raises(ValueError):
        at_most_per_plan(ranked, plan, 0)


def test_fusion_normalises_each_method():
    kw = np.array([10.0, 5.0, 0.0])
    vec = np.array([0.80, 0.90, 0.85])
    assert normalise_keyword(kw).tolist() == [1.0, 0.5, 0.0]
    assert normalise_vector(vec).max() == 1.0 and normalise_vector(vec).min() == 0.0
    only_kw = weighted_fusion(kw, vec, 0.0)
    only_vec = weighted_fusion(kw, vec, 1.0)
    assert np.argmax(only_kw) == 0 and np.argmax(only_vec) == 1
    fused = rrf([[1, 2, 3], [3, 2]])
    assert fused[2] > fused[1] and fused[3] > fused[1]


def test_query_kinds():
    assert analyse_query("thư viện cấp xã").kind == "vi"
    folded = analyse_query("thu vien cap xa co dich vu hoc tap suot doi")
    assert folded.kind == "vi-folded"
    assert folded.vector_text != folded.text  # restored for the embedder
    assert analyse_query("Which province plans free internet access in libraries?").kind == "foreign"


def test_passages_link_to_graph_and_quote_the_original(records):
    record = records["khanh-hoa-2023-kh-svhtt"]
    passages = passages_from_record(record)
    assert len(passages) > 50
    ids = [p.id for p in passages]
    assert len(ids) == len(set(ids))
    assert all(p.id.startswith("https://") or p.id.startswith("http") for p in passages)
    for p in passages:
        assert record.original_text[p.span.start : p.span.end] == p.span.quote
        assert p.plan == record.id and p.province == "Khánh Hòa" and p.year == 2023
    rows = [p for p in passages if p.kind == "row"]
    assert rows and all("Nội dung công việc:" in p.text for p in rows if "STT: 1" in p.text)
    # the distribution list is one passage (whom the plan was sent to); the signature is not content
    recipients = [p for p in passages if p.kind == "recipients"]
    assert len(recipients) == 1 and recipients[0].text.startswith("Nơi nhận")
    # read with a line saying what it is (the text shown stays the plan's own)
    assert "gửi tới" in recipients[0].section and "gửi tới" in recipients[0].index_text
    assert "gửi tới" not in recipients[0].text
    header = next(p for p in passages if p.kind == "header")
    assert "ngày ban hành" in header.section and header.text.startswith("Số:")
    assert "Phòng VH&TT" in recipients[0].text and "Phòng VH&TT" in recipients[0].span.quote
    assert not any("PHÓ GIÁM ĐỐC" in p.text for p in passages)
    # stable ids: a second extraction gives the same passage ids
    from kehoach.ingest.pipeline import extract_plan

    again = passages_from_record(extract_plan(record.source_path))
    assert [p.id for p in again] == ids


def test_list_items_keep_their_lead_in_and_sub_bullets_are_searchable(records):
    passages = passages_from_record(records["khanh-hoa-2023-kh-svhtt"])
    funding = [p for p in passages if p.text.startswith("- Nguồn ngân sách sự nghiệp")]
    assert len(funding) == 1
    # the sentence introducing the list ("...:") is part of the item's context
    assert funding[0].section.endswith("Kinh phí triển khai thực hiện Kế hoạch:")
    assert "Kinh phí triển khai" in funding[0].index_text
    # "+ ..." items under a bullet ending with a colon are passages of their own
    subs = [p for p in passages if p.kind == "subbullet"]
    assert subs and all(p.text.startswith("+") for p in subs)
    # a paragraph without the colon that bullets hang under is not a lead-in
    hung_yen = passages_from_record(records["hung-yen-2023-kh-ubnd"])
    assert not any("Công tác xử lý kỹ thuật" in p.section for p in hung_yen)
    # ... but its own text is a passage: nothing of the plan is left unsearchable
    assert [p.kind for p in hung_yen if p.text.startswith("Công tác xử lý kỹ thuật")] == ["paragraph"]


def test_table_rows_read_the_sentence_introducing_their_table(records):
    """Lào Cai's two OCR'd target tables have the same rows ("5 | Thư viện trường đại
    học ... 100% 100%"): only the lead-in above each (past its broken column headers)
    tells the service target from the IT one."""
    passages = passages_from_record(records["lao-cai-2023-251-kh-ubnd"])
    university = [p for p in passages if p.kind == "row" and p.text.startswith("5 | Thư viện trường đại học")]
    assert len(university) == 2
    service, it = (p.section.split(" > ")[-1] for p in university)
    assert service.startswith("- Mục tiêu cung cấp dịch vụ") and service.endswith(":")
    assert it.startswith("- Mục tiêu ứng dụng công nghệ thông tin") and it.endswith(":")
    # a table without a lead-in above it gets none; long paragraphs are not skipped over
    from kehoach.ingest.pipeline import extract_plan_text

    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH THỬ NGHIỆM\nSố: 12/KH-UBND\nThử Nghiệm, ngày 2 tháng 3 năm 2023\n\nKẾ HOẠCH\n"
        "Triển khai Chương trình phục vụ học tập suốt đời\n\n"
        "I. MỤC TIÊU\n"
        "- Mục tiêu cung cấp dịch vụ học tập suốt đời:\n"
        "Đến năm | Đến năm\n"
        "1 | Thư viện tỉnh | 100% | 100%\n"
        "2 | Thư viện huyện | 70% | 80%\n"
        "II. NHIỆM VỤ\n"
        "- Các chỉ tiêu dưới đây:\n"
        "Đoạn văn dài giữa câu dẫn và bảng, nói về việc khác hẳn, nên câu dẫn phía trên không còn là của bảng này nữa.\n"
        "1 | Thư viện xã | 20% | 30%\n"
    )
    rows = {p.text.split(" | ")[1]: p.section for p in passages_from_record(extract_plan_text(text, "thu-nghiem")) if p.kind == "row" and " | " in p.text}
    assert rows["Thư viện huyện"].endswith("> - Mục tiêu cung cấp dịch vụ học tập suốt đời:"), rows
    assert "Các chỉ tiêu dưới đây" not in rows["Thư viện xã"], rows


def test_every_content_segment_is_searchable(records):
    """Each segment's text is in a passage of its own or whole in the heading path of
    the passages under it (a heading that runs on into a sentence, a paragraph that
    bullets hang on without a colon: both were once silently dropped)."""
    from kehoach.search.passages import CONTENT_KINDS, SKIP_SUBTREES, _under

    for record in records.values():
        passages = passages_from_record(record)
        spans = {(p.span.start, p.span.end) for p in passages}
        contexts = " ".join(p.section for p in passages)
        by_id = {s.id: s for s in record.segments}
        for seg in record.segments:
            if seg.kind not in CONTENT_KINDS or seg.kind == "row" or _under(seg, by_id, SKIP_SUBTREES):
                continue
            if len(seg.text.strip(" .-_/*#")) < 3:
                continue
            own = any(s <= seg.span.start and seg.span.end <= e for s, e in spans)
            words = " ".join((seg.title or seg.text).split())  # a heading's label may be re-spelt ("Il." -> "II.")
            assert own or words in contexts, (record.id, seg.id, seg.text[:80])


def test_a_run_on_heading_and_a_paragraph_with_bullets_are_passages():
    from kehoach.ingest.pipeline import extract_plan_text

    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH THỬ NGHIỆM\nSố: 12/KH-UBND\nThử Nghiệm, ngày 2 tháng 3 năm 2023\n\nKẾ HOẠCH\n"
        "Triển khai Chương trình phục vụ học tập suốt đời\n\n"
        "Căn cứ Quyết định số 1520/QĐ-TTg ngày 06/12/2022 của Thủ tướng Chính phủ;\n\n"
        "I. KINH PHÍ THỰC HIỆN\n"
        "1. Nguồn kinh phí thực hiện Kế hoạch từ ngân sách nhà nước theo phân cấp, chú trọng củng cố cơ sở hạ tầng, hiện đại hóa cơ sở vật chất của thư viện tỉnh.\n"
        "Hằng năm, các cơ quan xây dựng dự toán kinh phí gửi Sở Tài chính.\n"
        "II. NHIỆM VỤ\n"
        "Công tác biên mục được xử lý theo chuẩn nghiệp vụ quốc tế, nhanh chóng đưa sách tới bạn đọc.\n"
        "- Tổ chức tuần lễ học tập suốt đời.\n"
        "- Tổ chức ngày sách Việt Nam.\n"
    )
    passages = passages_from_record(extract_plan_text(text, "thu-nghiem"))
    texts = [p.text for p in passages]
    assert any("chú trọng củng cố cơ sở hạ tầng" in t for t in texts)
    assert any(t.startswith("Công tác biên mục") for t in texts)
    assert any(t.startswith("- Tổ chức tuần lễ") for t in texts)


def test_gold_matching_and_metrics():
    gold = [GoldItem("p", 100, 150, 2, "x" * 50), GoldItem("p", 400, 420, 1, "y" * 20)]
    assert matches("p", 90, 160, gold[0]) and not matches("q", 90, 160, gold[0])
    assert not matches("p", 140, 300, gold[0])  # overlaps 10 of 50 chars only
    m = score_ranking([("p", 0, 50), ("p", 95, 155), ("p", 400, 430)], gold)
    assert m["mrr@10"] == 0.5 and m["hit@5"] == 1.0 and m["recall@5"] == 1.0
    assert 0 < m["ndcg@10"] < 1
    miss = score_ranking([("p", 0, 50)], gold)
    assert miss == {"mrr@10": 0.0, "hit@5": 0.0, "recall@5": 0.0, "ndcg@10": 0.0, "judged@10": 0.0}
    # seven quoted lines in one table passage: all found by one hit, recall capped at 1
    lines = [GoldItem("p", 1000 + 30 * k, 1020 + 30 * k, 2, "z" * 20) for k in range(7)]
    assert score_ranking([("p", 1000, 1300), ("p", 0, 50)], lines)["recall@5"] == 1.0


def test_saved_bm25_scores_equal_bm25s(tmp_path):
    """The light reader used at query time gives bm25s's own scores."""
    import bm25s

    from kehoach.search.keyword_index import KeywordIndex

    texts = ["Thư viện cấp xã có dịch vụ học tập suốt đời", "Bảo tàng tỉnh tổ chức trưng bày chuyên đề", "thư viện tỉnh bổ sung 3.000 bản sách", "Sở Tài chính bố trí kinh phí"]
    index = KeywordIndex()
    index.build([10, 11, 12, 13], [tokenize(t) for t in texts])
    index.save(tmp_path)
    loaded = KeywordIndex.load(tmp_path)
    reference = bm25s.BM25.load(str(tmp_path / "bm25"))
    for query in ("thư viện xã", "thu vien tinh 3.000 ban sach", "kinh phí Sở Tài chính thư viện thư viện"):
        tokens = [t for t in query_tokens(query) if t in reference.vocab_dict]
        assert np.allclose(loaded.scores(query), reference.get_scores(tokens))
    assert loaded.scores("zzz qqq").max() == 0


def test_settings_are_chosen_on_training_questions_only():
    from kehoach.search.evaluate import choose_settings, fold_of

    m = lambda v: {"mrr@10": v, "ndcg@10": v, "hit@5": v, "recall@5": v}  # noqa: E731
    kind_of = {"a": "vi", "b": "vi", "c": "foreign"}
    per = {}
    for b in (0.0, 0.5):
        for w in (0.2, 0.8):
            per[("none", b, w, 0.0, 0.0)] = {"a": m(1.0 if w == 0.2 else 0.0), "b": m(0.0 if w == 0.2 else 1.0), "c": m(1.0 if (w == 0.8 and b == 0.5) else 0.5)}
    # trained on "a" (and "c") only, the weight "a" prefers is chosen, whatever "b" wants
    picked = choose_settings(per, ["a", "c"], kind_of, ["none"], (0.0, 0.5), (0.2, 0.8), shipped_boost=0.5)
    assert picked["weights"] == {"vi": 0.2, "foreign": 0.8} and picked["boost"] == 0.5
    picked = choose_settings(per, ["b"], kind_of, ["none"], (0.0, 0.5), (0.2, 0.8), shipped_boost=0.5)
    assert picked["weights"] == {"vi": 0.8}
    assert fold_of("q001", 5) == fold_of("q001", 5) and {fold_of(f"q{i:03d}", 5) for i in range(50)} == set(range(5))


def test_agency_boost_is_chosen_per_kind_of_query():
    from kehoach.search.evaluate import choose_settings

    m = lambda v: {"mrr@10": v, "ndcg@10": v, "hit@5": v, "recall@5": v}  # noqa: E731
    kind_of = {"a": "vi", "c": "foreign"}
    per = {("none", 0.5, 0.5, ab, 0.0): {"a": m(1.0 if ab == 0.0 else 0.5), "c": m(1.0 if ab == 0.25 else 0.5)} for ab in (0.0, 0.25)}
    picked = choose_settings(per, ["a", "c"], kind_of, ["none"], (0.5,), (0.5,), shipped_boost=0.5, agency_boosts=(0.0, 0.25))
    assert picked["agency_boosts"] == {"vi": 0.0, "foreign": 0.25}


def test_target_boost_is_chosen_on_training_questions():
    from kehoach.search.evaluate import choose_settings

    m = lambda v: {"mrr@10": v, "ndcg@10": v, "hit@5": v, "recall@5": v}  # noqa: E731
    kind_of = {"a": "vi", "b": "vi"}
    per = {("none", 0.5, 0.5, 0.0, tb): {"a": m(1.0 if tb else 0.5), "b": m(0.5)} for tb in (0.0, 0.25)}
    assert choose_settings(per, ["a"], kind_of, ["none"], (0.5,), (0.5,), 0.5, target_boosts=(0.0, 0.25))["target_boost"] == 0.25
    # no evidence either way: the smaller boost
    assert choose_settings(per, ["b"], kind_of, ["none"], (0.5,), (0.5,), 0.5, target_boosts=(0.0, 0.25))["target_boost"] == 0.0


def test_passages_carry_the_targets_the_graph_holds_and_queries_name_them(records):
    from kehoach.search.passages import query_target_keys

    record = records["lao-cai-2023-251-kh-ubnd"]
    passages = passages_from_record(record)
    key = "thu-vien-cap-huyen|cung-cap-dich-vu-hoc-tap-suot-doi"
    holding = [p for p in passages if key in p.targets]
    assert holding, "the OCR'd target table row states the district-library target"
    assert all(any(p.span.start <= t.span.start < p.span.end for t in record.targets) for p in holding)
    # with or without diacritics, a question naming the institution type and the metric
    for q in ("tỷ lệ thư viện cấp huyện cung cấp dịch vụ học tập suốt đời năm 2030",
              "ty le thu vien cap huyen cung cap dich vu hoc tap suot doi nam 2030"):
        assert key in query_target_keys(q)
    assert query_target_keys("thư viện cấp huyện ở Lào Cai") == set()  # no metric named: no target asked


def test_lead_agency_is_the_heading_not_a_mention():
    from kehoach.search.passages import lead_agencies, query_agencies

    assert lead_agencies("V. TỔ CHỨC THỰC HIỆN > 5. Sở Tài chính", "Căn cứ khả năng cân đối ngân sách tỉnh") == {"Sở Tài chính"}
    assert lead_agencies("V. TỔ CHỨC THỰC HIỆN", "4. Sở Tài chính: Chủ trì, phối hợp với Sở Văn hóa và Thể thao") == {"Sở Tài chính"}
    assert "Sở Tài chính" not in lead_agencies("V. TỔ CHỨC THỰC HIỆN > 2. Sở Giáo dục và Đào tạo", "Phối hợp với Sở Tài chính bố trí kinh phí")
    assert query_agencies("What does the Department of Finance do?", "Sở Tài chính") == {"Sở Tài chính"}


def test_agency_boost_lifts_passages_headed_by_the_named_agency():
    from kehoach.search.engine import Candidates, fuse

    c = Candidates(
        kind="foreign", ids=[1, 2], keyword=np.array([10.0, 9.0], dtype=np.float32), vector=np.array([0.8, 0.8], dtype=np.float32),
        vector_floor=0.7, keyword_rank=[1, 2], vector_rank=[1, 2], in_named_province=np.zeros(2, dtype=bool),
        led_by_named_agency=np.array([False, True]),
    )
    top = lambda out: max(out, key=lambda pid: out[pid][0])  # noqa: E731
    assert top(fuse(c, "hybrid", "weighted", 0.5, 0.0)) == 1
    assert top(fuse(c, "hybrid", "weighted", 0.5, 0.0, agency_boost=0.25)) == 2
    assert top(fuse(c, "keyword", "weighted", 0.5, 0.0, agency_boost=0.25)) == 1  # single methods stay pure


def test_parts_of_a_long_paragraph_quote_their_own_span():
    from kehoach.ingest.pipeline import extract_plan_text

    sentences = [f"Câu số {i} nói về thư viện xã thứ {i} và hoạt động học tập suốt đời của người dân trong tỉnh." for i in range(40)]
    body = "  ".join(sentences)  # one paragraph of ~3,600 characters
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH THỬ NGHIỆM\nSố: 12/KH-UBND\nThử Nghiệm, ngày 2 tháng 3 năm 2023\n\nKẾ HOẠCH\n"
        "Triển khai Chương trình phục vụ học tập suốt đời\n\nI. NHIỆM VỤ\n" + body + "\n"
    )
    record = extract_plan_text(text, "thu-nghiem")
    parts = [p for p in passages_from_record(record) if "#" in p.id]
    assert len(parts) >= 2
    starts = [p.span.start for p in parts]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for p in parts:
        assert p.span.quote == record.original_text[p.span.start : p.span.end]
        assert " ".join(p.span.quote.split()) == " ".join(p.text.split())


def test_names_are_cut_from_a_query_with_or_without_diacritics():
    from kehoach.search.query import without_names

    assert without_names("thư viện xã ở Lai Châu có gì?", ["Lai Châu"]) == "thư viện xã ở có gì?"
    assert without_names("thu vien xa o lai chau", ["Lai Châu"]) == "thu vien xa o"
    assert without_names("LAI CHÂU, Ninh Bình: thư viện", ["Lai Châu", "Ninh Bình"]) == ", : thư viện"
    assert without_names("lai chau2 thư viện", ["Lai Châu"]) == "lai chau2 thư viện"  # whole words only
    assert without_names("thư viện", []) == "thư viện"
    assert without_names("Lai Châu?", ["Lai Châu"]) == "Lai Châu?"  # nothing else to search for


def test_plan_year_is_the_header_date_only(records):
    from kehoach.search.passages import plan_year, plan_year_not_before

    assert (plan_year(records["lai-chau-2015-1133-kh-ubnd"]), plan_year_not_before(records["lai-chau-2015-1133-kh-ubnd"])) == (2015, None)
    assert (plan_year(records["ninh-binh-2023-kh-ubnd"]), plan_year_not_before(records["ninh-binh-2023-kh-ubnd"])) == (2023, None)  # "ngày tháng 5 năm 2023"
    assert (plan_year(records["hung-yen-2023-kh-ubnd"]), plan_year_not_before(records["hung-yen-2023-kh-ubnd"])) == (None, 2022)  # no date line


@pytest.mark.parametrize(
    "question",
    [
        "Phụ lục I của kế hoạch được chia thành những nhóm nhiệm vụ lớn nào?",
        "ke hoach cua lai chau gom nhung nhom giai phap nao",
        "Kế hoạch có bao nhiêu phần?",
        "Các việc của Sở được gom thành những mảng nào?",
        "What are the main groups of solutions in Lai Chau's plan?",
        "How many sections does the plan have?",
        "Which tasks is the plan divided into?",
    ],
)
def test_a_question_about_a_plans_parts_is_recognised(question):
    from kehoach.search.query import asks_about_structure

    assert asks_about_structure(question)


@pytest.mark.parametrize(
    "question",
    [
        "Đến năm 2025 bao nhiêu phần trăm thư viện cấp xã có dịch vụ học tập suốt đời?",
        "Trung tâm văn hóa tỉnh phải gánh những phần việc gì?",
        "Sở Văn hóa phải xây dựng những chương trình nào?",
        "Có kế hoạch nào tổ chức cho dân học ở bảo tàng không?",
        "Hưng Yên có ai kèm cặp cho các nhóm sinh hoạt theo sở thích không?",
        "What are the festivals organised in Lai Chau meant to achieve?",
        "Which groups in particular are the museum's yearly events meant to draw in?",
        "Bảo tàng hướng tới những nhóm đối tượng nào?",
        "Kinh phí được chia cho các huyện thế nào?",
        "Which parts of the province have a district library?",
        "Tiêu đề của kế hoạch là gì?",
    ],
)
def test_other_questions_are_not_read_as_asking_for_parts(question):
    from kehoach.search.query import asks_about_structure

    assert not asks_about_structure(question)


def test_an_outline_lists_a_sections_parts_and_quotes_only_their_heading_lines(records):
    record = records["lai-chau-2015-1133-kh-ubnd"]
    outlines = [p for p in passages_from_record(record) if p.kind == "outline"]
    solutions = next(p for p in outlines if p.text.startswith("III. GIẢI PHÁP THỰC HIỆN:"))
    assert "1. Chỉ đạo, điều hành; 2. Đầu tư, phát triển" in solutions.text
    assert solutions.id.endswith("#outline") and "/segment/" in solutions.id
    original = record.original_text
    assert "GIẢI PHÁP THỰC HIỆN" in original[solutions.span.start : solutions.span.end]
    assert "\n" not in original[solutions.span.start : solutions.span.end]
    quoted = [original[part.start : part.end] for part in solutions.parts]
    assert len(quoted) == 5 and "1. Chỉ đạo, điều hành" in quoted[0] and all("\n" not in q for q in quoted)
    # a gold answer quoting a part's heading line is found by the outline, not by the text under it
    from kehoach.search.evaluate import passage_matches

    start = original.index("1. Chỉ đạo, điều hành")
    heading = GoldItem(record.id, start, start + len("1. Chỉ đạo, điều hành"), 2, "1. Chỉ đạo, điều hành")
    assert passage_matches(solutions, heading)
    assert not any(passage_matches(p, heading) for p in outlines if p is not solutions)
    # a heading without parts of its own has no outline
    assert not any(p.text.startswith("1. Chỉ đạo, điều hành") for p in outlines)


def test_vector_search_can_leave_out_a_few_ids_or_keep_only_some():
    from kehoach.search.vector_index import VectorIndex

    index = VectorIndex("test/4", 4)
    vectors = np.random.default_rng(0).normal(size=(10, 4)).astype(np.float32)
    index.add(list(range(10)), vectors)
    everything, _ = index.search(vectors[3], 10)
    assert everything[0] == 3 and sorted(everything) == list(range(10))
    without, _ = index.search(vectors[3], 10, excluded=np.array([3, 5]))
    assert list(without) == [i for i in everything if i not in (3, 5)]
    only, _ = index.search(vectors[3], 10, allowed=np.array([1, 5]))
    assert sorted(only) == [1, 5]
