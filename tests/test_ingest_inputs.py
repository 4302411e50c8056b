"""Bad inputs get a clear error (and lose nothing); odd encodings are handled."""

from __future__ import annotations

import pytest

from kehoach.ingest.errors import LegacyEncodingError, NotAPlanError, UnreadableFileError
from kehoach.ingest.pipeline import extract_plan
from kehoach.ingest.reading import read_plan_text


def test_missing_file(tmp_path):
    with pytest.raises(UnreadableFileError, match="no such file"):
        read_plan_text(tmp_path / "nope.txt")


def test_empty_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"  \n\n")
    with pytest.raises(UnreadableFileError, match="empty"):
        read_plan_text(p)


def test_binary_file(tmp_path):
    p = tmp_path / "scan.pdf"
    p.write_bytes(b"%PDF-1.7\n\x00\x01\x02\x03binary\x00stream" * 50)
    with pytest.raises(UnreadableFileError, match="binary"):
        read_plan_text(p)


def test_directory(tmp_path):
    with pytest.raises(UnreadableFileError, match="directory"):
        read_plan_text(tmp_path)


def test_utf8_bom_and_crlf(tmp_path, corpus_paths):
    original = corpus_paths["ninh-binh-2023-kh-ubnd"].read_text("utf-8")
    p = tmp_path / "ninh-binh-bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + original.replace("\n", "\r\n").encode("utf-8"))
    record = extract_plan(p)
    assert record.header.province == "Ninh Bình"
    assert record.header.date == "2023-05"


def test_nfd_input_is_normalised(tmp_path, corpus_paths):
    import unicodedata

    original = corpus_paths["lai-chau-2015-1133-kh-ubnd"].read_text("utf-8")
    p = tmp_path / "lai-chau-nfd.txt"
    p.write_text(unicodedata.normalize("NFD", original), "utf-8")
    record = extract_plan(p)
    assert record.header.province == "Lai Châu" and record.header.number == "1133"


def _to_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: base letters (with their hat, breve or horn) precomposed,
    tone marks as separate combining characters."""
    import unicodedata

    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for c in text:
        parts = unicodedata.normalize("NFD", c)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
        out.append(base + "".join(p for p in parts if p in tones))
    return "".join(out).encode("cp1258")


def test_windows_1258_is_converted(tmp_path):
    text = (
        "Số: 12/KH-UBND\nHà Nam, ngày 3 tháng 4 năm 2023\nKẾ HOẠCH\nTriển khai Chương trình học tập suốt đời "
        "trong thư viện, bảo tàng, trung tâm văn hóa đến năm 2030\nThực hiện Quyết định số 1520/QĐ-TTg ngày 09/12/2022;\n"
        "I. MỤC ĐÍCH\n- Đẩy mạnh học tập suốt đời."
    )
    p = tmp_path / "cp1258.txt"
    p.write_bytes(_to_cp1258(text))
    source = read_plan_text(p)
    assert source.encoding == "cp1258"
    assert source.text == text
    record = extract_plan(p)
    assert record.header.province == "Hà Nam" and record.header.date == "2023-04-03"


def test_tcvn3_is_refused_with_advice(tmp_path):
    # "Kế hoạch triển khai thực hiện" typed with a TCVN3 (ABC) font, saved as Latin-1
    tcvn3 = "KÕ ho¹ch triÓn khai thùc hiÖn Ch­¬ng tr×nh ®Èy m¹nh häc tËp suèt ®êi trong th­ viÖn, b¶o tµng. " * 20
    p = tmp_path / "tcvn3.txt"
    p.write_bytes(tcvn3.encode("latin-1", errors="replace"))
    with pytest.raises(LegacyEncodingError, match="TCVN3"):
        read_plan_text(p)


def test_vni_is_refused_with_advice(tmp_path):
    vni = "Keá hoaïch trieån khai thöïc hieän Chöông trình ñaåy maïnh hoïc taäp suoát ñôøi trong thö vieän. " * 20
    p = tmp_path / "vni.txt"
    p.write_bytes(vni.encode("latin-1"))
    with pytest.raises(LegacyEncodingError, match="VNI"):
        read_plan_text(p)


def test_text_that_is_not_a_plan(tmp_path):
    p = tmp_path / "recipe.txt"
    p.write_text("Cách nấu phở bò\n\nNguyên liệu: xương bò, bánh phở, hành, gừng.\nBước 1: ninh xương.", "utf-8")
    with pytest.raises(NotAPlanError, match="does not look like"):
        extract_plan(p)


def test_a_report_that_only_mentions_plans_is_not_a_plan(tmp_path):
    p = tmp_path / "score.txt"
    p.write_text("Kết quả đánh giá: kế hoạch học tập suốt đời được chấm điểm.\nP 0.9 R 0.8\n", "utf-8")
    with pytest.raises(NotAPlanError):
        extract_plan(p)


def test_a_news_report_quoting_a_plan_number_is_accepted(tmp_path):
    p = tmp_path / "news.txt"
    p.write_text(
        "Bắc Kạn đẩy mạnh học tập suốt đời trong thư viện\n\nUBND tỉnh vừa ban hành Kế hoạch số 156/KH-UBND "
        "triển khai Chương trình, phấn đấu đến năm 2025 có 70% thư viện cấp huyện phục vụ học tập suốt đời.",
        "utf-8",
    )
    record = extract_plan(p)
    assert record.header.province == "Bắc Kạn"
