"""English (and other Latin-script) queries turned into Vietnamese keyword text.

Why: BM25 indexes folded Vietnamese syllables, so an English question ("museum
education programmes for students in Ninh Binh") matches only its names and numbers,
and worse, English function words fold into Vietnamese syllables ("to" = tổ, "the" =
thể, "can" = cần). The multilingual embedder reads English, but on its own it ranks
English questions far below Vietnamese ones. Translating the content words lets BM25
work again and the fusion combine both, as for Vietnamese.

Two sources, both general (neither was written from the evaluation questions):
- the graph's own bilingual vocabulary: every SKOS concept and ontology class in
  ontology/schemes.ttl and ontology/kehoach.ttl with an @en and an @vi label
  ("Provincial library" -> "Thư viện cấp tỉnh", "Funding" -> "Kinh phí");
- `GLOSSARY`, a small English -> Vietnamese glossary of the administrative and cultural
  vocabulary of these plans (library, commune, Department of Finance, lifelong
  learning ...), written as general domain knowledge.

Matching is greedy longest-phrase-first over lower-cased, singularised English words.
Words that are neither translated nor names are dropped; capitalised words that are
not English function words (place names such as "Lai Chau"), acronyms and numbers or
document codes are kept as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

# English function and question words: never translated, never kept, and (those that
# are not also Vietnamese syllables) evidence that a query is English.
ENGLISH_STOPWORDS = frozenset(
    """a an the of in on at to for from by with without about into onto over under between among
    and or but nor not no yes so than then too very also only just more most less least much many
    few some any all each every both either neither other another such same own
    is are was were be been being am do does did done doing have has had having will would shall
    should can could may might must need needs ought
    i me my we our us you your he him his she her it its they them their this that these those
    which what who whom whose where when why how whether there here
    as if because while until since though although
    up down out off again further once get gets got make makes made
    please tell show find list give want know say says said
    per via etc""".split()
)

# English -> Vietnamese. Keys are matched after `normalise_words` (lower case, simple
# singular), so write them in the singular. Values are Vietnamese phrases (diacritics
# kept; keyword search folds them).
GLOSSARY: dict[str, tuple[str, ...]] = {
    # institutions
    "library": ("thư viện",),
    "public library": ("thư viện công cộng",),
    "electronic library": ("thư viện điện tử",),
    "digital library": ("thư viện số", "thư viện điện tử"),
    "mobile library": ("thư viện lưu động",),
    "school library": ("thư viện trường học",),
    "reading room": ("phòng đọc",),
    "bookcase": ("tủ sách",),
    "book cabinet": ("tủ sách",),
    "museum": ("bảo tàng",),
    "cultural centre": ("trung tâm văn hóa",),
    "cultural center": ("trung tâm văn hóa",),
    "culture centre": ("trung tâm văn hóa",),
    "cultural house": ("nhà văn hóa",),
    "community house": ("nhà văn hóa",),
    "cultural institution": ("thiết chế văn hóa",),
    "club": ("câu lạc bộ",),
    "community learning centre": ("trung tâm học tập cộng đồng",),
    "community learning center": ("trung tâm học tập cộng đồng",),
    "post office": ("bưu điện",),
    "school": ("trường học", "nhà trường"),
    "university": ("trường đại học",),
    "college": ("trường cao đẳng",),
    "kindergarten": ("mầm non",),
    "primary school": ("tiểu học",),
    "secondary school": ("trung học",),
    "high school": ("trung học phổ thông",),
    "vocational": ("nghề nghiệp",),
    "vocational school": ("giáo dục nghề nghiệp",),
    "vocational education": ("giáo dục nghề nghiệp",),
    "heritage": ("di sản",),
    "cultural heritage": ("di sản văn hóa",),
    "heritage site": ("di tích",),
    "historical site": ("di tích lịch sử",),
    "relic": ("di tích",),
    "monument": ("di tích",),
    "memorial house": ("nhà lưu niệm",),
    "traditional house": ("nhà truyền thống",),
    # administrative units and bodies
    "province": ("tỉnh",),
    "provincial": ("tỉnh", "cấp tỉnh"),
    "district": ("huyện", "cấp huyện"),
    "commune": ("xã", "cấp xã"),
    "ward": ("phường",),
    "township": ("thị trấn",),
    "town": ("thị xã",),
    "city": ("thành phố",),
    "village": ("thôn", "bản", "làng"),
    "hamlet": ("thôn", "ấp"),
    "grassroots": ("cơ sở",),
    "local": ("địa phương",),
    "locality": ("địa phương",),
    "nation": ("quốc gia",),
    "national": ("quốc gia",),
    "vietnam": ("Việt Nam",),
    "vietnamese": ("Việt Nam",),
    "central": ("trung ương",),
    "government": ("Chính phủ",),
    "prime minister": ("Thủ tướng Chính phủ",),
    "ministry": ("Bộ",),
    "ministry of culture, sport and tourism": ("Bộ Văn hóa, Thể thao và Du lịch",),
    "ministry of education and training": ("Bộ Giáo dục và Đào tạo",),
    "people's committee": ("Ủy ban nhân dân", "UBND"),
    "people committee": ("Ủy ban nhân dân", "UBND"),
    "people's council": ("Hội đồng nhân dân", "HĐND"),
    "department": ("Sở", "phòng"),
    "department of finance": ("Sở Tài chính",),
    "finance department": ("Sở Tài chính",),
    "department of culture, sport and tourism": ("Sở Văn hóa, Thể thao và Du lịch",),
    "department of culture and sport": ("Sở Văn hóa và Thể thao",),
    "culture department": ("Sở Văn hóa",),
    "department of education and training": ("Sở Giáo dục và Đào tạo",),
    "education department": ("Sở Giáo dục và Đào tạo",),
    "department of information and communication": ("Sở Thông tin và Truyền thông",),
    "department of labour, invalids and social affair": ("Sở Lao động - Thương binh và Xã hội",),
    "department of labor, invalids and social affair": ("Sở Lao động - Thương binh và Xã hội",),
    "department of home affair": ("Sở Nội vụ",),
    "department of planning and investment": ("Sở Kế hoạch và Đầu tư",),
    "department of science and technology": ("Sở Khoa học và Công nghệ",),
    "office": ("Văn phòng", "phòng"),
    "division": ("phòng",),
    "unit": ("đơn vị",),
    "agency": ("cơ quan",),
    "authority": ("cơ quan", "chính quyền"),
    "party committee": ("Tỉnh ủy", "cấp ủy"),
    "provincial party committee": ("Tỉnh ủy",),
    "standing committee": ("Ban Thường vụ",),
    "politburo": ("Bộ Chính trị",),
    "propaganda": ("tuyên truyền", "Ban Tuyên giáo"),
    "propaganda department": ("Ban Tuyên giáo",),
    "fatherland front": ("Mặt trận Tổ quốc",),
    "mass organisation": ("tổ chức chính trị - xã hội", "đoàn thể"),
    "mass organization": ("tổ chức chính trị - xã hội", "đoàn thể"),
    "women's union": ("Hội Liên hiệp Phụ nữ",),
    "youth union": ("Đoàn Thanh niên", "Tỉnh đoàn"),
    "study promotion association": ("Hội Khuyến học",),
    "study promotion": ("khuyến học",),
    "labour federation": ("Liên đoàn Lao động",),
    "labor federation": ("Liên đoàn Lao động",),
    "trade union": ("Công đoàn", "Liên đoàn Lao động"),
    "police": ("Công an",),
    "military": ("quân sự",),
    "military command": ("Bộ Chỉ huy Quân sự",),
    "border guard": ("Bộ đội Biên phòng",),
    "armed force": ("lực lượng vũ trang",),
    "soldier": ("chiến sĩ",),
    "newspaper": ("Báo",),
    "radio": ("Đài Phát thanh",),
    "television": ("Truyền hình",),
    "radio and television": ("Đài Phát thanh và Truyền hình",),
    "press": ("báo chí",),
    "media": ("truyền thông", "thông tin đại chúng"),
    # people
    "people": ("người dân", "Nhân dân"),
    "citizen": ("người dân", "công dân"),
    "resident": ("người dân",),
    "public": ("công chúng", "người dân"),
    "community": ("cộng đồng",),
    "reader": ("độc giả", "bạn đọc"),
    "user": ("người sử dụng",),
    "visitor": ("khách tham quan",),
    "tourist": ("khách du lịch",),
    "student": ("học sinh", "sinh viên"),
    "pupil": ("học sinh",),
    "learner": ("người học",),
    "teacher": ("giáo viên",),
    "child": ("thiếu nhi", "trẻ em"),
    "children": ("thiếu nhi", "trẻ em"),
    "youth": ("thanh thiếu niên",),
    "young people": ("thế hệ trẻ", "thanh niên"),
    "elderly": ("người cao tuổi",),
    "family": ("gia đình",),
    "clan": ("dòng họ",),
    "ethnic minority": ("dân tộc thiểu số",),
    "ethnic": ("dân tộc",),
    "staff": ("cán bộ", "viên chức"),
    "official": ("cán bộ",),
    "civil servant": ("công chức",),
    "public employee": ("viên chức",),
    "worker": ("người lao động",),
    "employee": ("người lao động",),
    "volunteer": ("tình nguyện viên",),
    "expert": ("chuyên gia",),
    "guide": ("hướng dẫn", "thuyết minh"),
    "tour guide": ("thuyết minh",),
    "head": ("thủ trưởng", "người đứng đầu"),
    "leader": ("lãnh đạo",),
    "individual": ("cá nhân",),
    "organisation": ("tổ chức",),
    "organization": ("tổ chức",),
    "enterprise": ("doanh nghiệp",),
    "business": ("doanh nghiệp",),
    "company": ("doanh nghiệp",),
    "sponsor": ("nhà tài trợ",),
    # learning, culture, themes
    "lifelong learning": ("học tập suốt đời",),
    "life-long learning": ("học tập suốt đời",),
    "learning society": ("xã hội học tập",),
    "learning": ("học tập",),
    "study": ("học tập", "học"),
    "self-study": ("tự học",),
    "self study": ("tự học",),
    "education": ("giáo dục",),
    "educational": ("giáo dục",),
    "training": ("đào tạo", "bồi dưỡng", "tập huấn"),
    "train": ("đào tạo", "tập huấn"),
    "retraining": ("đào tạo lại",),
    "skill": ("kỹ năng",),
    "knowledge": ("kiến thức", "tri thức"),
    "reading": ("đọc",),
    "reading culture": ("văn hóa đọc",),
    "reading habit": ("thói quen đọc",),
    "book": ("sách",),
    "books and newspapers": ("sách báo",),
    "magazine": ("tạp chí",),
    "periodical": ("báo, tạp chí",),
    "document": ("tài liệu", "văn bản"),
    "material": ("tài liệu",),
    "collection": ("sưu tập", "bộ sưu tập"),
    "artefact": ("hiện vật",),
    "artifact": ("hiện vật",),
    "exhibit": ("hiện vật", "trưng bày"),
    "exhibition": ("trưng bày", "triển lãm"),
    "display": ("trưng bày",),
    "thematic": ("chuyên đề",),
    "theme": ("chuyên đề", "chủ đề"),
    "culture": ("văn hóa",),
    "cultural": ("văn hóa",),
    "history": ("lịch sử",),
    "historical": ("lịch sử",),
    "geography": ("địa lý",),
    "art": ("nghệ thuật",),
    "artistic": ("nghệ thuật",),
    "performing art": ("văn nghệ",),
    "sport": ("thể thao", "thể dục thể thao"),
    "tourism": ("du lịch",),
    "tradition": ("truyền thống",),
    "traditional": ("truyền thống",),
    "folk": ("dân gian",),
    "folk game": ("trò chơi dân gian",),
    "folk song": ("dân ca",),
    "craft": ("nghề truyền thống",),
    "custom": ("phong tục tập quán",),
    "festival": ("liên hoan", "lễ hội", "ngày hội"),
    "contest": ("hội thi", "cuộc thi"),
    "competition": ("hội thi", "cuộc thi"),
    "quiz": ("thi tìm hiểu",),
    "award": ("giải thưởng", "khen thưởng"),
    "ambassador": ("đại sứ",),
    "experiential": ("trải nghiệm",),
    "experience": ("trải nghiệm", "kinh nghiệm"),
    "extracurricular": ("ngoại khóa",),
    "field trip": ("tham quan", "học thực tế"),
    "visit": ("tham quan", "lượt"),
    "tour": ("tham quan",),
    "lesson": ("bài giảng", "giáo án"),
    "curriculum": ("chương trình dạy học",),
    "teaching": ("dạy học", "giảng dạy"),
    "foreign language": ("ngoại ngữ",),
    "language": ("tiếng", "ngôn ngữ"),
    "learning model": ("mô hình học tập",),
    "learning family": ("gia đình học tập",),
    "learning citizen": ("công dân học tập",),
    "model": ("mô hình",),
    "pilot": ("thí điểm",),
    # digital
    "digital transformation": ("chuyển đổi số",),
    "digital": ("số", "công nghệ số"),
    "digitise": ("số hóa",),
    "digitize": ("số hóa",),
    "digitisation": ("số hóa",),
    "digitization": ("số hóa",),
    "digitised": ("số hóa",),
    "digitized": ("số hóa",),
    "information technology": ("công nghệ thông tin",),
    "technology": ("công nghệ",),
    "platform": ("nền tảng",),
    "internet": ("internet",),
    "online": ("trực tuyến", "không gian mạng"),
    "computer": ("máy tính",),
    "website": ("trang thông tin điện tử", "website"),
    "web portal": ("cổng thông tin điện tử",),
    "social network": ("mạng xã hội",),
    "social media": ("mạng xã hội",),
    "database": ("cơ sở dữ liệu",),
    "data": ("dữ liệu",),
    "virtual": ("ảo",),
    "free": ("miễn phí",),
    "free of charge": ("miễn phí",),
    # management, actions
    "plan": ("kế hoạch",),
    "programme": ("chương trình",),
    "program": ("chương trình",),
    "project": ("dự án", "đề án"),
    "scheme": ("đề án",),
    "strategy": ("chiến lược",),
    "master plan": ("quy hoạch",),
    "planning": ("quy hoạch", "kế hoạch"),
    "decision": ("quyết định",),
    "resolution": ("nghị quyết",),
    "directive": ("chỉ thị",),
    "conclusion": ("kết luận",),
    "decree": ("nghị định",),
    "circular": ("thông tư",),
    "law": ("luật",),
    "regulation": ("quy định",),
    "policy": ("chính sách", "cơ chế"),
    "mechanism": ("cơ chế",),
    "goal": ("mục tiêu",),
    "objective": ("mục tiêu",),
    "aim": ("mục tiêu",),
    "target": ("chỉ tiêu", "mục tiêu"),
    "task": ("nhiệm vụ",),
    "duty": ("nhiệm vụ",),
    "mission": ("nhiệm vụ",),
    "solution": ("giải pháp",),
    "measure": ("giải pháp", "biện pháp"),
    "responsibility": ("trách nhiệm", "nhiệm vụ"),
    "responsible": ("chịu trách nhiệm", "chủ trì"),
    "role": ("vai trò",),
    "implement": ("triển khai", "thực hiện"),
    "implementation": ("triển khai", "thực hiện"),
    "carry out": ("thực hiện",),
    "deploy": ("triển khai",),
    "organise": ("tổ chức",),
    "organize": ("tổ chức",),
    "hold": ("tổ chức",),
    "lead": ("chủ trì",),
    "chair": ("chủ trì",),
    "preside": ("chủ trì",),
    "coordinate": ("phối hợp",),
    "coordination": ("phối hợp",),
    "cooperate": ("phối hợp", "hợp tác"),
    "cooperation": ("hợp tác",),
    "collaboration": ("hợp tác", "phối hợp"),
    "partnership": ("hợp tác", "liên kết"),
    "link": ("liên kết", "kết nối"),
    "connect": ("kết nối",),
    "international": ("quốc tế",),
    "foreign": ("nước ngoài", "quốc tế"),
    "abroad": ("nước ngoài",),
    "overseas": ("nước ngoài",),
    "domestic": ("trong nước",),
    "exchange": ("trao đổi", "giao lưu"),
    "learn from": ("học hỏi",),
    "advise": ("tham mưu",),
    "advice": ("tham mưu",),
    "propose": ("đề xuất",),
    "proposal": ("đề xuất", "tờ trình"),
    "request": ("đề nghị",),
    "direct": ("chỉ đạo",),
    "instruct": ("chỉ đạo", "hướng dẫn"),
    "guidance": ("hướng dẫn",),
    "manage": ("quản lý",),
    "management": ("quản lý",),
    "report": ("báo cáo",),
    "reporting": ("báo cáo",),
    "deadline": ("trước ngày", "thời hạn"),
    "inspect": ("kiểm tra",),
    "inspection": ("kiểm tra", "thanh tra"),
    "monitor": ("giám sát", "theo dõi"),
    "monitoring": ("giám sát", "theo dõi"),
    "supervise": ("giám sát",),
    "supervision": ("giám sát",),
    "evaluate": ("đánh giá",),
    "evaluation": ("đánh giá",),
    "assess": ("đánh giá",),
    "assessment": ("đánh giá",),
    "review": ("sơ kết", "tổng kết", "đánh giá"),
    "mid-term review": ("sơ kết",),
    "final review": ("tổng kết",),
    "result": ("kết quả",),
    "outcome": ("kết quả",),
    "impact": ("tác động",),
    "effect": ("tác động", "hiệu quả"),
    "effectiveness": ("hiệu quả",),
    "efficiency": ("hiệu quả",),
    "quality": ("chất lượng",),
    "improve": ("nâng cao", "cải thiện"),
    "improvement": ("nâng cao", "cải thiện"),
    "raise": ("nâng cao",),
    "strengthen": ("tăng cường", "củng cố"),
    "promote": ("đẩy mạnh", "thúc đẩy", "quảng bá"),
    "promotion": ("quảng bá", "đẩy mạnh"),
    "encourage": ("khuyến khích",),
    "mobilise": ("vận động", "huy động"),
    "mobilize": ("vận động", "huy động"),
    "campaign": ("cuộc vận động", "chiến dịch"),
    "movement": ("phong trào",),
    "awareness": ("nhận thức",),
    "communication": ("truyền thông", "tuyên truyền"),
    "publicity": ("tuyên truyền",),
    "publicise": ("tuyên truyền", "phổ biến"),
    "disseminate": ("phổ biến",),
    "dissemination": ("phổ biến",),
    "news": ("tin, bài",),
    "article": ("bài viết", "tin, bài"),
    "reward": ("khen thưởng",),
    "commend": ("khen thưởng", "biểu dương"),
    "honour": ("tôn vinh",),
    "honor": ("tôn vinh",),
    "emulation": ("thi đua",),
    "innovation": ("đổi mới",),
    "innovate": ("đổi mới",),
    "renew": ("đổi mới",),
    "modernise": ("hiện đại hóa",),
    "modernize": ("hiện đại hóa",),
    "modern": ("hiện đại",),
    "develop": ("phát triển", "xây dựng"),
    "development": ("phát triển",),
    "build": ("xây dựng",),
    "construct": ("xây dựng",),
    "upgrade": ("nâng cấp",),
    "complete": ("hoàn thành", "hoàn thiện"),
    "finish": ("hoàn thành",),
    "preserve": ("bảo tồn",),
    "preservation": ("bảo tồn",),
    "conservation": ("bảo tồn",),
    "collect": ("sưu tầm",),
    "introduce": ("giới thiệu",),
    "serve": ("phục vụ",),
    "service": ("dịch vụ", "phục vụ"),
    "provide": ("cung cấp",),
    "support": ("hỗ trợ",),
    "attract": ("thu hút",),
    "participate": ("tham gia",),
    "take part": ("tham gia",),
    "attend": ("tham dự", "tham gia"),
    "event": ("sự kiện",),
    "activity": ("hoạt động",),
    "infrastructure": ("cơ sở hạ tầng",),
    "facility": ("cơ sở vật chất",),
    "equipment": ("trang thiết bị",),
    "network": ("mạng lưới",),
    "space": ("không gian",),
    "human resource": ("nguồn nhân lực",),
    "personnel": ("nhân lực", "cán bộ"),
    "rural": ("nông thôn",),
    "new rural": ("nông thôn mới",),
    "remote": ("vùng sâu, vùng xa",),
    "remote area": ("vùng sâu, vùng xa",),
    "mountainous": ("miền núi",),
    "disadvantaged": ("khó khăn",),
    # money
    "funding": ("kinh phí", "nguồn kinh phí"),
    "fund": ("kinh phí",),
    "money": ("kinh phí",),
    "cost": ("kinh phí", "chi phí"),
    "budget": ("ngân sách", "dự toán"),
    "state budget": ("ngân sách nhà nước",),
    "budget estimate": ("dự toán",),
    "estimate": ("dự toán",),
    "spending": ("chi", "mức chi"),
    "expenditure": ("chi",),
    "finance": ("tài chính",),
    "financial": ("tài chính",),
    "socialisation": ("xã hội hóa",),
    "socialization": ("xã hội hóa",),
    "private funding": ("xã hội hóa",),
    "private": ("tư nhân", "ngoài công lập"),
    "non-public": ("ngoài công lập",),
    "donation": ("tài trợ", "đóng góp"),
    "donate": ("tài trợ", "tặng"),
    "contribution": ("đóng góp",),
    "sponsorship": ("tài trợ",),
    "lawful": ("hợp pháp",),
    "legal": ("hợp pháp",),
    "appraise": ("thẩm định",),
    "appraisal": ("thẩm định",),
    "allocate": ("bố trí",),
    # numbers and time
    "number": ("số lượng", "số"),
    "percent": ("%",),
    "percentage": ("%", "tỷ lệ"),
    "share": ("tỷ lệ", "chia sẻ"),
    "rate": ("tỷ lệ",),
    "increase": ("tăng",),
    "grow": ("tăng",),
    "growth": ("tăng",),
    "rise": ("tăng",),
    "average": ("bình quân", "trung bình"),
    "annual": ("hằng năm", "mỗi năm"),
    "annually": ("hằng năm", "mỗi năm"),
    "every year": ("hằng năm", "mỗi năm"),
    "each year": ("hằng năm", "mỗi năm"),
    "yearly": ("hằng năm",),
    "year": ("năm",),
    "month": ("tháng",),
    "day": ("ngày",),
    "date": ("ngày",),
    "period": ("giai đoạn",),
    "phase": ("giai đoạn",),
    "stage": ("giai đoạn",),
    "week": ("tuần",),
    "copy": ("bản",),
    "title": ("đầu sách",),
    "at least": ("ít nhất",),
    "regular": ("thường xuyên",),
    "regularly": ("thường xuyên",),
    "periodic": ("định kỳ",),
    "periodically": ("định kỳ",),
}

# British/American spellings and verb forms folded onto the glossary's singular keys.
_SPELLING = {"center": "centre", "centers": "centre", "programs": "programme", "labor": "labour"}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_NUMBER_OR_CODE = re.compile(r"\d[\w./%-]*")
_ACRONYM = re.compile(r"^[A-Z]{2,}$")
MAX_PHRASE = 7


def singular(word: str) -> str:
    """Crude English singular, enough to meet the glossary's keys (libraries -> library)."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]  # possessive: "people's committee" and "province's" alike
    w = _SPELLING.get(w, w)
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("ches", "shes", "sses", "xes", "zzes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def lemma(word: str, vocabulary: frozenset[str]) -> str:
    """The glossary word a form belongs to: singular, then -ing / -ed stripped
    (assessing -> assess, deployed -> deploy, setting -> set) when that is a known word."""
    w = singular(word)
    if w in vocabulary:
        return w
    for suffix in ("ing", "ed"):
        if len(w) > len(suffix) + 2 and w.endswith(suffix):
            stem = w[: -len(suffix)]
            for candidate in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else None, stem[:-1] + "y" if stem.endswith("i") else None):
                if candidate and candidate in vocabulary:
                    return candidate
    return w


def normalise_phrase(text: str) -> str:
    return " ".join(singular(w) for w in _WORD.findall(text.replace("-", " ")))


SKOS = "http://www.w3.org/2004/02/skos/core#"


@lru_cache(maxsize=1)
def _ontology_labels() -> dict[str, dict[str, list[str]]]:
    """subject IRI -> {"en": prefLabels, "vi": prefLabels, "vi-alt": altLabels} from the
    ontology's SKOS labels (schemes.ttl, kehoach.ttl); empty if it cannot be read."""
    try:
        import pyoxigraph as ox

        import kehoach.ontology as onto
    except ImportError:
        return {}
    out: dict[str, dict[str, list[str]]] = {}
    folder = Path(onto.__file__).parent
    for name in ("schemes.ttl", "kehoach.ttl"):
        path = folder / name
        if not path.exists():
            continue
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            predicate = quad.predicate.value
            if predicate not in (SKOS + "prefLabel", SKOS + "altLabel") or not isinstance(quad.object, ox.Literal):
                continue
            lang = quad.object.language
            if lang not in ("en", "vi"):
                continue
            key = lang if predicate.endswith("prefLabel") else f"{lang}-alt"
            out.setdefault(quad.subject.value, {}).setdefault(key, []).append(quad.object.value)
    return out


@lru_cache(maxsize=1)
def ontology_lexicon() -> dict[str, tuple[str, ...]]:
    """English prefLabel -> Vietnamese prefLabels, for every SKOS concept (and scheme)
    labelled in both languages. (Class and property labels of kehoach.ttl are rdfs:label
    and left out: "part of plan" is not vocabulary a user asks with.)"""
    out: dict[str, set[str]] = {}
    for labels in _ontology_labels().values():
        for label in labels.get("en", []):
            key = normalise_phrase(re.sub(r"\(.*?\)", "", label))
            if key and labels.get("vi"):
                out.setdefault(key, set()).update(labels["vi"])
    return {k: tuple(sorted(v)) for k, v in out.items()}


@lru_cache(maxsize=1)
def vietnamese_synonyms() -> list[tuple[str, ...]]:
    """Folded Vietnamese labels (pref + alt) of each SKOS concept with at least two."""
    from kehoach.ingest.vietnamese import fold_lower

    groups = []
    for labels in _ontology_labels().values():
        names = [fold_lower(x) for x in labels.get("vi", []) + labels.get("vi-alt", [])]
        names = list(dict.fromkeys(" ".join(re.findall(r"[a-z0-9%]+", n)) for n in names))
        if len(names) > 1:
            groups.append(tuple(n for n in names if n))
    return groups


def expand_vietnamese(text: str) -> str:
    """The query plus the other labels of every SKOS concept one of whose labels (of two
    syllables or more) it contains: "thư viện xã" also asks for "phòng đọc cơ sở",
    "điểm bưu điện văn hóa xã". Whether this helps is measured (`kehoach eval search`)."""
    from kehoach.ingest.vietnamese import fold_lower

    folded = " " + " ".join(re.findall(r"[a-z0-9%]+", fold_lower(text))) + " "
    extra: list[str] = []
    for group in vietnamese_synonyms():
        if any(len(n.split()) >= 2 and f" {n} " in folded for n in group):
            extra += [n for n in group if f" {n} " not in folded and n not in extra]
    return text if not extra else text + " ; " + " ; ".join(extra)


@lru_cache(maxsize=1)
def lexicon() -> dict[str, tuple[str, ...]]:
    """The glossary merged with the ontology's labels (both kept when a key is shared)."""
    merged: dict[str, list[str]] = {k: list(v) for k, v in ontology_lexicon().items()}
    for key, values in GLOSSARY.items():
        k = normalise_phrase(key)
        merged.setdefault(k, [])
        merged[k] += [v for v in values if v not in merged[k]]
    return {k: tuple(v) for k, v in merged.items()}


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Every English word of the lexicon's keys (for `lemma`)."""
    return frozenset(w for key in lexicon() for w in key.split())


@dataclass
class Translation:
    text: str  # Vietnamese keyword text: translated phrases + kept names and numbers
    matched: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (English phrase, Vietnamese)
    kept: list[str] = field(default_factory=list)  # names, acronyms, numbers kept as typed
    dropped: list[str] = field(default_factory=list)


def translate(query: str) -> Translation:
    """Vietnamese keyword text for an English query (greedy longest phrase first)."""
    lex = lexicon()
    numbers = _NUMBER_OR_CODE.findall(query)
    words = _WORD.findall(re.sub(r"\d[\w./%-]*", " ", query).replace("-", " "))
    vocab = vocabulary()
    norm = [lemma(w, vocab) for w in words]
    out = Translation(text="")
    phrases: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_PHRASE, len(words) - i), 0, -1):
            key = " ".join(norm[i : i + n])
            if n == 1 and key in ENGLISH_STOPWORDS:
                continue
            if key in lex:
                out.matched.append((" ".join(words[i : i + n]), lex[key]))
                phrases += lex[key]
                i += n
                break
        else:
            w = words[i]
            if _ACRONYM.match(w) or (w[:1].isupper() and norm[i] not in ENGLISH_STOPWORDS):
                name = re.sub(r"['’]s$", "", w)
                out.kept.append(name)
                phrases.append(name)
            else:
                out.dropped.append(w)
            i += 1
    out.kept += numbers
    from kehoach.ingest.vietnamese import fold_lower

    unique = list({fold_lower(p): p for p in reversed(phrases + numbers)}.values())[::-1]
    out.text = " ; ".join(unique)
    return out


def english_function_words(text: str) -> int:
    """How many words of the text are English function words."""
    return sum(1 for w in _WORD.findall(text) if w.lower() in ENGLISH_STOPWORDS)
