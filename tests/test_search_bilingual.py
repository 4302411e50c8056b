"""English queries: language detection and the Vietnamese keyword text made from them
(search/bilingual.py, search/query.py). No model, no index."""

from __future__ import annotations

from kehoach.ingest.vietnamese import fold_lower
from kehoach.search.bilingual import expand_vietnamese, lexicon, ontology_lexicon, singular, translate
from kehoach.search.keyword_index import tokenize
from kehoach.search.query import analyse_query, detect_language


def test_ontology_labels_feed_the_lexicon():
    onto = ontology_lexicon()
    assert "Thư viện cấp tỉnh" in onto["provincial library"]
    assert "Kinh phí" in onto["funding"]
    assert "ủy ban nhân dân tỉnh" in {fold_lower(v).replace("uy", "uy") for v in onto["provincial people committee"]} or any(
        "Ủy ban nhân dân tỉnh" == v for v in onto["provincial people committee"]
    )
    assert set(onto) <= set(lexicon())


def test_singular_and_possessive():
    assert singular("libraries") == "library"
    assert singular("Museums") == "museum"
    assert singular("People's") == "people"
    assert singular("centers") == "centre"


def test_translation_keeps_names_and_numbers_and_drops_function_words():
    t = translate("How many books does the Lai Chau provincial library add each year by 2020?")
    folded = fold_lower(t.text)
    assert "sach" in folded and "thu vien cap tinh" in folded and "hang nam" in folded
    assert "Lai" in t.kept and "Chau" in t.kept and "2020" in t.kept
    assert {"How", "does", "the", "by"} <= set(t.dropped)
    # English function words must not reach BM25 as Vietnamese syllables ("the" = thể, "do" = độ)
    assert "the" not in tokenize(t.text) and "do" not in tokenize(t.text)


def test_longest_phrase_wins():
    t = translate("Department of Finance and the commune cultural centres")
    vi = [v for _, vs in t.matched for v in vs]
    assert "Sở Tài chính" in vi
    assert "Sở" not in vi  # "department" alone was not used
    assert any("văn hóa" in v and "xã" in v for v in vi) or ("trung tâm văn hóa" in vi and "xã" in vi)


def test_language_detection():
    assert detect_language("Which province funds commune libraries?") == "foreign"
    assert detect_language("museum education programmes for students") == "foreign"
    assert detect_language("thư viện xã") == "vi"
    assert detect_language("Which libraries in Lào Cai offer free internet?") == "foreign"
    assert detect_language("Sở Văn hóa và Thể thao chủ trì, phối hợp với các sở") == "vi"
    # Vietnamese typed without diacritics, with syllables that are also English words
    assert detect_language("to chuc hoat dong hoc tap suot doi o thu vien") == "vi"
    assert detect_language("ninh binh ke hoach 141/KH-UBND chuyen doi so nganh thu vien") == "vi"


def test_english_query_gets_vietnamese_keyword_text():
    info = analyse_query("free internet access in commune libraries")
    assert info.kind == "foreign"
    assert info.vector_text == info.text  # the multilingual embedder reads the English
    assert "mien phi" in fold_lower(info.keyword_text) and "thu vien" in fold_lower(info.keyword_text)
    assert analyse_query("free internet access", translate=False).keyword_text == "free internet access"
    vi = analyse_query("thư viện xã")
    assert vi.keyword_text == "thư viện xã"


def test_skos_expansion_adds_alt_labels():
    out = fold_lower(expand_vietnamese("thư viện cấp xã có dịch vụ học tập suốt đời"))
    assert "phong doc co so" in out  # altLabel of the commune-library concept
    assert expand_vietnamese("lấy tiền ở đâu") == "lấy tiền ở đâu"
