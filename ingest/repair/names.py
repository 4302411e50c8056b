"""Proper names: a gazetteer that gives capitalised OCR words their accented form.

Why: a language model learns the words of running text, not the names in it. A name
is seldom seen, so the model prefers a common syllable with the same letters ("Giáng"
for the surname Giang, "Lạo Cái" for the province Lào Cai). People restoring a text
use a different knowledge for names: the list of places and the usual Vietnamese
family, middle and given names. This module holds that knowledge and the two rules
that use it:

  * a run of Title-case words whose syllable keys spell a place name (province,
    district or commune, from vietnamadminunits) takes the place's accented form;
  * a line made only of 2-4 Title-case words that starts with a family name (the
    signer's line under a signature, a contact line) is a person's name: the family
    name and the middle names take their usual form, and the given name is chosen by
    the language model among the given names with that key.

Matching runs on the channel keys of each OCR word ("Cal" may stand for "cai"), so
garbled names are found too, but only through cheap rewrites (MAX_NAME_COST).
The name lists are general knowledge about Vietnamese names, ordered by how common
each form is, so that of two forms with the same key the commoner one wins.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .tokens import fold, normalise_tone_placement

MAX_NAME_COST = 2.5  # total channel cost a name match may need (nats)
MAX_PLACE_SYLLABLES = 4

# Family names, commonest first (several forms share a key: Giang/Giàng, Lò/Lô).
SURNAMES = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Vương Trịnh "
    "Trương Lâm Phùng Mai Tô Hà Tạ Lưu Cao Đinh Lương Quách Chu Triệu Thái Giang Kiều Lục Mạc Tăng "
    "Nông Đàm Khổng Lại Lò Sùng Giàng Thào Vàng Hầu Mã Lã Âu Doãn Hứa Khúc Ninh Quan Tống Từ Vi "
    "Diệp Châu Thân Ông Bạch Cù Mẫn Nghiêm Phí Phó Tiêu Viên Trình Hán Ma Lù Cầm Điêu Bế"
).split()

# Middle names, commonest first.
MIDDLE_NAMES = (
    "Thị Văn Đức Hữu Minh Quang Ngọc Thanh Xuân Hồng Kim Thu Công Đình Bá Quốc Anh Mạnh Trọng Duy "
    "Tiến Tuấn Thành Huy Hoài Gia Khánh Phương Thúy Diệu Bảo Chí Viết Mai Như Hải Việt Trung Nhật"
).split()

# Given names. Forms sharing a key (Dung, Dũng) are all kept: the language model
# chooses between them.
GIVEN_NAMES = (
    "Anh Bình Chi Chung Cường Dung Dũng Duy Dương Đạt Điệp Định Đông Đức Giang Hà Hải Hạnh Hằng Hiền "
    "Hiếu Hiệp Hoa Hòa Hoàn Hoàng Hồng Huệ Hùng Hưng Hương Hường Huy Huyền Khánh Khoa Kiên Lan Liên Linh "
    "Loan Long Lợi Mai Minh My Nam Nga Ngân Ngọc Nguyên Nhung Oanh Phong Phúc Phương Quân Quang Quyên "
    "Quỳnh Sơn Tâm Tân Thắng Thanh Thành Thảo Thịnh Thơm Thu Thủy Thúy Thư Tiến Toàn Trang Trung Tú Tuấn "
    "Tùng Tuyết Uyên Vân Việt Vinh Xuân Yến Hậu Hiển Lộc Lực Nhàn Thoa Thương Trâm Vy Diệp Bích Chiến"
).split()


def first_by_key(forms: Iterable[str]) -> dict[str, str]:
    """Folded lower-case key -> the first (commonest) form listed with that key."""
    out: dict[str, str] = {}
    for f in forms:
        out.setdefault(fold(f).lower(), f)
    return out


def forms_by_key(forms: Iterable[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in forms:
        lst = out.setdefault(fold(f).lower(), [])
        if f not in lst:
            lst.append(f)
    return out


def place_gazetteer(names: Iterable[str]) -> dict[str, str]:
    """Space-joined syllable keys -> accented place name, for names of 2+ syllables.

    A key spelt by places with different accents ("Tân Hòa"/"Tấn Hòa") keeps the
    form that has at least two thirds of the occurrences, or is left out: the
    language model decides then.
    """
    seen: dict[str, Counter] = {}
    for name in names:
        syllables = name.split()
        if not 2 <= len(syllables) <= MAX_PLACE_SYLLABLES:
            continue
        if not all(s.isalpha() for s in syllables):
            continue
        key = " ".join(fold(s).lower() for s in syllables)
        seen.setdefault(key, Counter())[" ".join(normalise_tone_placement(s) for s in syllables)] += 1
    out = {}
    for key in sorted(seen):
        form, n = seen[key].most_common(1)[0]
        if 3 * n >= 2 * sum(seen[key].values()):
            out[key] = form
    return out


def is_title_word(word: str) -> bool:
    """"Cai", "Lao": upper-case first letter, the rest lower (digit and glyph look-alikes allowed)."""
    return word[:1].isupper() and word[:1].isalpha() and not any(c.isupper() for c in word[1:])
