"""Controlled vocabularies the target and event extractors map phrases to.

Three SKOS-style schemes, each a dict key -> Concept(prefLabel vi, altLabels, pattern):
- INSTITUTION_TYPES (scheme "institution-type"): what a target is about ("thư viện cấp huyện");
- METRICS (scheme "target-metric"): what is measured ("cung cấp dịch vụ học tập suốt đời");
- COMMEMORATIONS (scheme "commemoration"): the days plans tie activities to ("21/4").

The patterns are matched against *folded, lower-cased* text (ingest.vietnamese.fold_lower),
so one rule covers proper Vietnamese, text typed without tone marks, and OCR output that
lost them ("Thu vién cap huyén" folds to "thu vien cap huyen"). Inside a pattern,
`\\S{0,2}` stands for an OCR-damaged vowel cluster ("luot" / "lwot" / "luyc"), which keeps
the rules tolerant without listing every misspelling. The keys are the last segment of the
concept IRIs (graph.iris.concept_iri(scheme, key)); the ontology's schemes.ttl may reuse them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache


@dataclass(frozen=True)
class Concept:
    key: str
    label: str  # skos:prefLabel @vi
    alt_labels: tuple[str, ...] = field(default_factory=tuple)  # skos:altLabel @vi
    pattern: str = ""  # regex over fold_lower text
    broader: str | None = None
    label_en: str | None = None


# Vowel-cluster wildcard used below: tolerant to OCR damage of one word's vowels.
V = r"\S{0,3}"
THU_VIEN = rf"th{V}\s*vi{V}n"
# "bảo tàng" (OCR "bdo tang", "bảo tảng") but not "cán bộ trung tâm": a vowel after "b", no "r" in "tàng".
BAO_TANG = r"b\S{1,3}o\s*t[^\sr]{0,3}ng"
# "thư viện (công cộng) cấp huyện": the optional qualifier between the noun and the level
THU_VIEN_Q = rf"{THU_VIEN}(?:\s+c{V}ng\s+c{V}ng)?"
TRUNG_TAM_VAN_HOA = rf"trung\s+t{V}m\s+v\S{{0,4}}\s*h{V}a"
GIAO_DUC = rf"gi{V}\s+d{V}c"
CO_SO = rf"c{V}\s+s{V}"
HUYEN = rf"huy{V}n"
TINH = r"t\S?nh\b"
XA = r"x[a&]\b"
OPT_CITY = rf"(?:[,\s]+(?:th{V}nh\s+ph{V}|th{V}\s+x{V}|th{V}\s+tr{V}n)\b)*"

_INSTITUTIONS: list[Concept] = [
    Concept(
        "thu-vien-co-so-giao-duc",
        "thư viện cơ sở giáo dục phổ thông, giáo dục nghề nghiệp và cơ sở giáo dục khác",
        ("thư viện cơ sở giáo dục phổ thông", "thư viện trường học", "cơ sở giáo dục phổ thông, cơ sở giáo dục nghề nghiệp"),
        rf"(?:{THU_VIEN}\s+)?(?:cac\s+)?{CO_SO}\s*{GIAO_DUC}(?:\s+ph{V}(?:\s+th{V}ng)?)?"
        rf"(?:[,\s]+(?:cac\s+)?{CO_SO}\s*{GIAO_DUC}\s+ngh{V}\s*ngh{V}p)?"
        rf"(?:\s+v{V}\s+(?:cac\s+)?{CO_SO}\s*{GIAO_DUC}\s+kh{V}c)?"
        rf"|(?:{THU_VIEN}\s+)?tr{V}ng\s+h{V}c\b",
        "thu-vien",
        "school and vocational-school libraries",
    ),
    Concept(
        "thu-vien-dai-hoc",
        "thư viện trường đại học",
        ("thư viện đại học", "thư viện trường cao đẳng, đại học", "thư viện cơ sở giáo dục đại học"),
        rf"(?:{THU_VIEN}\s+)?(?:tr{V}ng\s+)?(?:d{V}i\s+h{V}c|cao\s+d{V}ng)",
        "thu-vien",
        "university libraries",
    ),
    Concept(
        "thu-vien-luc-luong-vu-trang",
        "thư viện lực lượng vũ trang",
        ("thư viện quân đội", "thư viện công an", "thư viện lực lượng vũ trang nhân dân"),
        rf"(?:{THU_VIEN}\s+)?l{V}c\s+l\S{{0,5}}\s+v{V}\s+trang",
        "thu-vien",
        "armed-forces libraries",
    ),
    Concept(
        "thu-vien-cap-tinh",
        "thư viện cấp tỉnh",
        ("thư viện tỉnh", "thư viện tổng hợp tỉnh"),
        rf"{THU_VIEN_Q}\s+(?:(?:c{V}p|t{V}ng\s+h{V}p)\s+)?{TINH}",
        "thu-vien",
        "provincial library",
    ),
    Concept(
        "thu-vien-cap-huyen",
        "thư viện cấp huyện",
        ("thư viện huyện", "thư viện các huyện, thành phố", "thư viện quận, huyện"),
        rf"{THU_VIEN_Q}\s+(?:c{V}p\s+|cac\s+)?(?:{HUYEN}|qu{V}n){OPT_CITY}",
        "thu-vien",
        "district libraries",
    ),
    Concept(
        "thu-vien-cap-xa",
        "thư viện cấp xã",
        ("thư viện xã", "phòng đọc cơ sở", "điểm bưu điện văn hóa xã", "tủ sách cấp xã", "phòng đọc"),
        rf"{THU_VIEN_Q}\s+(?:c{V}p\s+)?{XA}|ph{V}ng\s+d{V}c\s+{CO_SO}(?:\s*/\s*di{V}m\s+b{V}u\s+di{V}n)?"
        rf"|di{V}m\s+b{V}u\s+di{V}n\s*(?:-\s*)?v\S{{0,3}}n\s+h{V}a\s+{XA}",
        "thu-vien",
        "commune libraries and reading rooms",
    ),
    Concept(
        "thu-vien-co-so",
        "thư viện cơ sở",
        ("mạng lưới thư viện cơ sở", "thư viện cộng đồng"),
        rf"{THU_VIEN}\s+(?:{CO_SO}\b|c{V}ng\s+d{V}ng)",
        "thu-vien",
        "grassroots libraries",
    ),
    Concept(
        "thu-vien-chuyen-nganh",
        "thư viện chuyên ngành",
        ("thư viện chuyên ngành, đa ngành",),
        rf"{THU_VIEN}\s+chuy{V}n\s+ng{V}nh(?:\s*,\s*{V}a\s+ng{V}nh)?",
        "thu-vien",
        "specialised libraries",
    ),
    Concept("thu-vien", "thư viện", ("hệ thống thư viện", "thư viện công cộng"), THU_VIEN, None, "libraries"),
    Concept(
        "bao-tang-cap-tinh",
        "bảo tàng cấp tỉnh",
        ("bảo tàng tỉnh",),
        rf"{BAO_TANG}\s+(?:c{V}p\s+)?{TINH}",
        "bao-tang",
        "provincial museum",
    ),
    Concept(
        "bao-tang-ngoai-cong-lap",
        "bảo tàng ngoài công lập",
        ("bảo tàng tư nhân",),
        rf"{BAO_TANG}\s+(?:ngo{V}i\s+c{V}ng\s+l{V}p|t{V}\s+nh{V}n)",
        "bao-tang",
        "non-public museums",
    ),
    Concept("bao-tang", "bảo tàng", ("hệ thống bảo tàng",), rf"{BAO_TANG}", None, "museums"),
    Concept(
        "trung-tam-hoc-tap-cong-dong",
        "trung tâm học tập cộng đồng",
        ("TTHTCĐ",),
        rf"trung\s+t{V}m\s+h{V}c\s+t{V}p\s+c{V}ng\s+d{V}ng|\btthtcd\b",
        None,
        "community learning centres",
    ),
    Concept(
        "trung-tam-van-hoa-cap-tinh",
        "trung tâm văn hóa cấp tỉnh",
        ("trung tâm văn hóa tỉnh", "trung tâm văn hóa - điện ảnh tỉnh", "trung tâm văn hóa và điện ảnh tỉnh"),
        rf"{TRUNG_TAM_VAN_HOA}\s*(?:(?:v{V}|-|–|,)\s*)?(?:(?:di{V}n\s+{V}nh|th{V}\s+thao|ngh{V}\s+thu{V}t)\s+)?(?:c{V}p\s+)?{TINH}",
        "trung-tam-van-hoa",
        "provincial cultural centre",
    ),
    Concept(
        "trung-tam-van-hoa-cap-huyen",
        "trung tâm văn hóa, thể thao cấp huyện",
        ("trung tâm văn hóa cấp huyện", "trung tâm văn hóa, thể thao và truyền thanh huyện", "trung tâm văn hóa, thông tin và thể thao huyện",
         "trung tâm văn hóa - thể thao cấp huyện"),
        rf"{TRUNG_TAM_VAN_HOA}(?:[,\s\-–]+(?:v{V}\s+)?(?:th{V}\s+thao|th{V}ng\s+tin|truy{V}n\s+th\S{{0,5}}|du\s+l{V}ch)(?:\s*(?:-|–|v{V})\s*)?)*"
        rf"\s*(?:c{V}p\s+|cac\s+)?(?:{HUYEN}|qu{V}n){OPT_CITY}",
        "trung-tam-van-hoa",
        "district cultural and sports centres",
    ),
    Concept(
        "trung-tam-van-hoa-cap-xa",
        "trung tâm văn hóa, thể thao cấp xã",
        ("trung tâm văn hóa - thể thao xã", "trung tâm văn hóa cấp xã", "nhà văn hóa xã, phường, thị trấn"),
        rf"{TRUNG_TAM_VAN_HOA}(?:[,\s\-–]+(?:th{V}\s+thao)(?:\s*(?:-|–)\s*)?)?\s*(?:c{V}p\s+)?{XA}"
        rf"|nh{V}\s+v\S{{0,3}}n\s+h{V}a\s+(?:c{V}p\s+)?{XA}(?:\s*,\s*ph\S{{0,4}}ng)?(?:\s*,\s*th{V}\s+tr{V}n)?",
        "trung-tam-van-hoa",
        "commune cultural and sports centres",
    ),
    Concept(
        "nha-van-hoa-thon",
        "nhà văn hóa - khu thể thao thôn",
        ("nhà văn hóa thôn", "nhà văn hóa", "điểm sinh hoạt văn hóa"),
        rf"nh{V}\s+v\S{{0,3}}n\s+h{V}a(?:\s*(?:-|–)\s*khu\s+th{V}\s+thao)?(?:\s+(?:th{V}n|{V}p|b{V}n|l{V}ng|t{V}\s+d{V}n\s+ph{V}))?",
        "trung-tam-van-hoa",
        "village cultural houses",
    ),
    Concept("trung-tam-van-hoa", "trung tâm văn hóa", ("thiết chế văn hóa",), TRUNG_TAM_VAN_HOA, None, "cultural centres"),
    Concept("cau-lac-bo", "câu lạc bộ", ("CLB",), rf"c{V}u\s+l{V}c\s+b{V}\b", None, "clubs"),
    # Administrative levels, for targets stated per level ("cấp xã tổ chức mỗi năm một lần").
    Concept("cap-tinh", "cấp tỉnh", ("tỉnh",), rf"\bc{V}p\s+{TINH}", None, "provincial level"),
    Concept("cap-huyen", "cấp huyện", ("huyện",), rf"\bc{V}p\s+{HUYEN}", None, "district level"),
    Concept("cap-xa", "cấp xã", ("xã",), rf"\bc{V}p\s+{XA}", None, "commune level"),
]

_METRICS: list[Concept] = [
    Concept("bo-sung-bao-tap-chi", "bổ sung báo, tạp chí", ("loại báo, tạp chí",), rf"b{V}o\s*,?\s*t{V}p\s+ch{V}", None, "periodical titles acquired"),
    Concept("bo-sung-sach", "bổ sung sách", ("bản sách", "vốn sách"), rf"b{V}n\s+s{V}ch|b{V}\s+sung.{{0,40}}s{V}ch", None, "books acquired"),
    Concept("luot-phuc-vu-doc-gia", "lượt phục vụ độc giả", ("lượt bạn đọc", "lượt độc giả"), rf"l{V}t\s+(?:d{V}c\s+gi{V}|b{V}n\s+d{V}c)|ph{V}c\s+v{V}.{{0,30}}l{V}t", None, "reader visits served"),
    Concept(
        "tang-luot-khach-tham-quan-bao-tang",
        "số lượt khách tham quan bảo tàng tăng",
        ("lượt khách tham quan",),
        rf"kh{V}ch\s+tham\s+quan",
        None,
        "museum visitors grow",
    ),
    Concept(
        "tang-luot-nguoi-su-dung-thu-vien",
        "số lượt người sử dụng thư viện tăng",
        ("lượt người sử dụng thư viện", "lượt bạn đọc tăng"),
        rf"l{V}t\s+\S+\s+s{V}\s+d{V}ng\s+{THU_VIEN}",
        None,
        "library user visits grow",
    ),
    Concept(
        "chuong-trinh-giao-duc-bao-tang",
        "xây dựng và triển khai chương trình giáo dục",
        ("chương trình giáo dục lịch sử, văn hóa", "giáo dục di sản"),
        rf"ch{V}ng\s+tr{V}nh\s+{GIAO_DUC}",
        None,
        "runs education programmes",
    ),
    Concept(
        "hoat-dong-giao-duc-trai-nghiem",
        "hoạt động giáo dục trải nghiệm",
        ("giáo dục trải nghiệm",),
        rf"{GIAO_DUC}\s+tr{V}i\s+ngh",
        None,
        "experiential education activities",
    ),
    Concept("trung-bay-chuyen-de", "trưng bày, giới thiệu chuyên đề", ("cuộc trưng bày", "triển lãm"), rf"tr{V}ng\s+b{V}y|tri{V}n\s+l{V}m", None, "thematic exhibitions"),
    Concept(
        "cung-cap-dich-vu-hoc-tap-suot-doi",
        "cung cấp dịch vụ phục vụ học tập suốt đời",
        ("có cung cấp dịch vụ phục vụ việc học tập suốt đời",),
        rf"cung\s+(?:c{V}p|{V}ng)\s+d{V}ch\s+v{V}",
        None,
        "provides lifelong-learning services",
    ),
    Concept(
        "ung-dung-cntt-chuyen-doi-so",
        "ứng dụng công nghệ thông tin và chuyển đổi số",
        ("ứng dụng CNTT", "chuyển đổi số", "tin học hóa"),
        rf"{V}ng\s+d{V}ng\s+c{V}ng\s+ngh|chuy{V}n\s+d{V}i\s+s|\bcntt\b|\btin\s+h{V}c\s+h{V}a",
        None,
        "applies IT and digital transformation",
    ),
    Concept(
        "ho-tro-sang-tao-huong-thu-van-hoa",
        "tổ chức, hỗ trợ hoạt động sáng tạo và hưởng thụ văn hóa",
        ("hưởng thụ văn hóa nghệ thuật",),
        rf"s{V}ng\s+t{V}o\s+v{V}\s+h{V}ng\s+th|h{V}ng\s+th{V}\s+v\S{{0,3}}n\s+h",
        None,
        "supports cultural creation and enjoyment",
    ),
    Concept(
        "lop-nang-khieu-cau-lac-bo",
        "có lớp năng khiếu, câu lạc bộ, nhóm sở thích",
        ("câu lạc bộ", "lớp năng khiếu"),
        rf"n{V}ng\s+kh{V}u|c{V}u\s+l{V}c\s+b|nh{V}m\s+s{V}\s+th{V}ch",
        None,
        "runs classes and clubs",
    ),
    Concept("ket-noi-internet", "kết nối internet", ("truy cập internet",), r"internet", None, "connected to the internet"),
    Concept("lien-hoan-hoi-dien", "tổ chức liên hoan, hội diễn", ("hội thi", "ngày hội"), rf"li{V}n\s+hoan|h{V}i\s+di{V}n|h{V}i\s+thi", None, "holds festivals and contests"),
    Concept("luan-chuyen-sach", "luân chuyển sách, báo", ("luân chuyển tài liệu",), rf"lu{V}n\s+chuy{V}n", None, "book circulation"),
    Concept("so-hoa-tai-lieu", "số hóa tài liệu, hiện vật", ("tài liệu số", "số hóa hiện vật"), rf"\bs{V}\s+h[o0]a\b|t{V}i\s+li{V}u\s+s{V}\b", None, "resources digitised"),
    Concept(
        "dao-tao-boi-duong",
        "đào tạo, bồi dưỡng nhân lực",
        ("tập huấn", "bồi dưỡng nghiệp vụ"),
        rf"t{V}p\s+hu{V}n|b{V}i\s+d{V}ng\s+(?:nghi|chuy|k{V}\s+n|ki{V}n|c{V}n\s+b)|(?<!giao duc va )\bd{V}o\s+t{V}o\b",
        None,
        "staff trained",
    ),
    Concept(
        "dat-chuan",
        "thiết chế văn hóa đạt chuẩn",
        ("đạt chuẩn", "đạt chuẩn theo quy định", "có nhà văn hóa đạt chuẩn"),
        rf"\bd{V}t\s+chu{V}n\b",
        None,
        "institutions meeting the standard",
    ),
    Concept("khac", "chỉ tiêu khác", (), r"(?!x)x", None, "other"),
]

INSTITUTION_TYPES: dict[str, Concept] = {c.key: c for c in _INSTITUTIONS}
METRICS: dict[str, Concept] = {c.key: c for c in _METRICS}


@dataclass(frozen=True)
class Commemoration:
    key: str
    label: str
    day: int | None
    month: int | None
    pattern: str  # name, over fold_lower text
    label_en: str


COMMEMORATIONS: dict[str, Commemoration] = {
    c.key: c
    for c in [
        Commemoration("ngay-sach-va-van-hoa-doc", "Ngày Sách và Văn hóa đọc Việt Nam", 21, 4, r"van\s+hoa\s+doc", "Vietnam Book and Reading Culture Day"),
        Commemoration("ngay-sach-va-ban-quyen-the-gioi", "Ngày Sách và Bản quyền thế giới", 23, 4, r"ban\s+quy", "World Book and Copyright Day"),
        Commemoration("ngay-quoc-te-bao-tang", "Ngày Quốc tế Bảo tàng", 18, 5, r"bao\s+tang", "International Museum Day"),
        Commemoration("ngay-di-san-van-hoa-viet-nam", "Ngày Di sản văn hóa Việt Nam", 23, 11, r"di\s+san", "Vietnam Cultural Heritage Day"),
        Commemoration("ngay-chuyen-doi-so-quoc-gia", "Ngày Chuyển đổi số quốc gia", 10, 10, r"chuyen\s+doi\s+so", "National Digital Transformation Day"),
        Commemoration("ngay-van-hoa-cac-dan-toc", "Ngày Văn hóa các dân tộc Việt Nam", 19, 4, r"dan\s+toc", "Vietnam Ethnic Cultures Day"),
        Commemoration("ngay-khuyen-hoc-viet-nam", "Ngày Khuyến học Việt Nam", 2, 10, r"khuyen\s+hoc", "Vietnam Study Promotion Day"),
        Commemoration("ngay-thu-vien-viet-nam", "Ngày Thư viện Việt Nam", 6, 4, r"thu\s+vien", "Vietnam Library Day"),
        Commemoration("ngay-nha-giao-viet-nam", "Ngày Nhà giáo Việt Nam", 20, 11, r"nha\s+giao", "Vietnamese Teachers' Day"),
        Commemoration("ngay-quoc-te-thieu-nhi", "Ngày Quốc tế Thiếu nhi", 1, 6, r"thieu\s+nhi", "International Children's Day"),
        Commemoration("ngay-gia-dinh-viet-nam", "Ngày Gia đình Việt Nam", 28, 6, r"gia\s+dinh", "Vietnamese Family Day"),
        Commemoration("ngay-quoc-khanh", "Ngày Quốc khánh", 2, 9, r"quoc\s+khanh", "National Day"),
        Commemoration("ngay-quoc-te-phu-nu", "Ngày Quốc tế Phụ nữ", 8, 3, r"phu\s+nu", "International Women's Day"),
        Commemoration("ngay-the-thao-viet-nam", "Ngày Thể thao Việt Nam", 27, 3, r"the\s+thao", "Vietnam Sports Day"),
        Commemoration("tuan-le-hoc-tap-suot-doi", "Tuần lễ hưởng ứng học tập suốt đời", None, None, r"hoc\s+tap", "Lifelong Learning Week (from 1 October)"),
    ]
}


# Alternative labels too generic to be matched on their own: they stand for a concept only
# inside a longer phrase the concept's pattern already reads ("nhà văn hóa", "xã").
_GENERIC_ALT_LABELS = frozenset({"nhà văn hóa", "phòng đọc", "câu lạc bộ", "hội thi", "ngày hội", "đạt chuẩn"})


def label_pattern(label: str) -> str:
    """A regex over fold_lower text for a written label: words in order, any run of spaces,
    commas or dashes between them ("trung tâm văn hóa - thể thao cấp huyện")."""
    from .vietnamese import fold_lower

    words = re.findall(r"[^\W_]+", fold_lower(label))
    return r"\b" + r"[\s,\-–]+".join(re.escape(w) for w in words) + r"\b"


def concept_pattern(c: Concept) -> str:
    """The concept's own pattern, or any of its labels written out (skos:prefLabel and every
    skos:altLabel of two words or more, or an upper-case abbreviation), so a phrasing the
    scheme lists is recognised even when the hand-written pattern misses it."""
    labels = [c.label, *c.alt_labels]
    alts = [label_pattern(lab) for lab in labels
            if lab.lower() not in _GENERIC_ALT_LABELS and (len(lab.split()) >= 2 or lab.isupper())]
    return "|".join([f"(?:{c.pattern})"] + alts)


@lru_cache(maxsize=None)
def compiled_institutions() -> list[tuple[str, re.Pattern[str]]]:
    return [(c.key, re.compile(concept_pattern(c))) for c in _INSTITUTIONS if not c.key.startswith("cap-")] + [
        (c.key, re.compile(c.pattern)) for c in _INSTITUTIONS if c.key.startswith("cap-")
    ]


@lru_cache(maxsize=None)
def compiled_metrics() -> list[tuple[str, re.Pattern[str]]]:
    return [(c.key, re.compile(concept_pattern(c))) for c in _METRICS if c.key != "khac"]
