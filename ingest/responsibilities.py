"""Responsibilities: which agency does which task, in which role, by when.

Sources, read from the normalised text (lines as in tasks.plan_lines):
- the "Tổ chức thực hiện" part (and a "Chế độ báo cáo" part): each numbered heading names
  one or more agencies ("4. Sở Tài chính", "6. Công an tỉnh, Bộ Chỉ huy quân sự tỉnh",
  "9. Đề nghị Ủy ban MTTQ ..."); the lettered items, bullets and paragraphs below it (or
  the text after a colon on the heading line) are its duties;
- closing paragraphs that assign reporting ("Các sở, ban, ngành ... và UBND các huyện ...
  báo cáo ... trước ngày 25/11 hằng năm", "Yêu cầu ...", "đề nghị ...");
- appendix task tables (tab-separated or markdown rows): "Đơn vị thực hiện" = lead, "Đơn vị
  phối hợp" = coordinate; the "Thời gian" column is the row's `period`, and its `deadline`
  when it states one ("Trước 15/12 hằng năm", "Quý III hằng năm");
- texts with no organisation part (news reports, short plans): assignments in running prose
  ("UBND tỉnh giao Sở X là cơ quan thường trực, chủ trì ...", "Đề nghị Ủy ban MTTQ ...",
  "X phối hợp với Y ...", "Sở Tài chính bố trí kinh phí"), see clause_assignments.
A reporting deadline binds the agency that reports, not its coordinators.

Roles, as small pure rules on folded text (so OCR text without tone marks works):
- request: the heading (or clause) starts with "Đề nghị";
- coordinate: the duty starts with "Phối hợp" (possibly after a "Căn cứ ..." clause);
- lead: any other duty of a heading agency ("Chủ trì", "Là cơ quan thường trực", ...);
- agencies named in a "phối hợp với A, B và C" clause of a lead's duty coordinate that duty.
Bodies only directed ("Chỉ đạo Thư viện tỉnh"), owning ("các đơn vị thuộc Sở ..."), or
reported to get no role; nor do generic groups ("các sở, ban, ngành liên quan").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .agencies import AgencyMention, find_agencies, word_matches, written_forms
from .records import PlanRecord, Span
from .tasks import Line, Task, appendix_tasks, classify_theme, line_rank, plan_lines, table_rows, task_id
from .vietnamese import fold_lower

EXTRACTOR_VERSION = "responsibilities-1"
ROLES = ("lead", "coordinate", "request")

# ---- small rules on folded lower-case text ---------------------------------------------

_ORG_PART = re.compile(r"t\S{0,2}\s+ch\S{0,3}c\s+th\S{0,2}c\s+hi\S{0,2}n|ch\S{0,2}\s+d\S{0,2}\s+b\S{0,2}o\s+c\S{0,2}o")
_REQUEST = re.compile(r"^\W*[dpb]\S?\s*ngh\S?\b")
_REQUEST_ANYWHERE = re.compile(r"(?<![a-z])[dpb]\S?\s+ngh\S?(?![a-z])")
_COORDINATE_KEYWORD = re.compile(r"(?<![a-z])ph\S{1,2}i\s+h\S{1,2}p(?![a-z])")
_LEAD_KEYWORD = re.compile(r"(?<![a-z])ch\S{0,2}\s+tr\S?(?![a-z])|co quan thuong truc|don vi dau moi|don vi thuong truc")
_BASIS_CLAUSE = re.compile(r"^\W*c\S{1,2}n\s+c\S{1,3}\b")
_YEU_CAU = re.compile(r"(?<![a-z])y\S{0,2}u\s+c\S{0,2}u(?![a-z])")
_GENERAL_START = re.compile(r"^\W*(?:cac\s|c\S{1,2}c\s|tren\s+day|tr\S{1,2}n\s+d\S{1,2}y|trong\s+qu|giao\s)")
# "trước ngày 25/11", "trước ngày 30 tháng 11 năm 2025", "chậm nhất ngày 15/6", "hạn chót 31/12/2024".
_DEADLINE = re.compile(
    r"(?:tr\S{1,3}c|ch\S{1,2}m\s+nh\S{1,2}t(?:\s+l\S)?(?:\s+v\S{1,2}o)?|h\S{1,2}n\s+ch\S{1,2}t)\s+(?:gui\s+)?"
    r"(?:ng\S{1,2}y\s+)?(\d{1,2})\s*(?:/|th\S{1,2}ng)\s*(\d{1,2})(?:(?:\s*/\s*|\s+n\S{1,2}m\s+)((?:19|20)\d{2}))?(?!\d)"
)
# "hoàn thành trong quý III năm 2023", "trước quý IV/2024".
_QUARTER_DEADLINE = re.compile(
    r"(?:trong|tr\S{1,3}c)\s+qu\S\s+(iv|i{1,3}|[1-4])\s*(?:/|n\S{1,2}m)\s*((?:19|20)\d{2})"
)
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_ASSIGN = re.compile(r"^\W*(?:giao(?:\s+cho)?|y\S{0,2}u\s+c\S{0,2}u)\s+")
# What may follow the agencies of a heading without being a duty: "và các tổ chức ...", "(cơ quan thường trực)".
_GENERIC_TAIL = re.compile(r"^[\s,;]*(?:va\s+cac|cac\s|\(|tinh\b|$)")
_RECURRING = re.compile(r"^\W*(?:h\S{1,2}ng\s+n\S{1,2}m|moi\s+nam|dinh\s+ky)")

# Words that may stand between agencies of one list ("A, B và các sở, ban, ngành liên quan, C").
_LIST_FILLER = frozenset(
    "va voi cung cac cua so ban nganh co quan don vi dia phuong lien quan co huyen thanh pho thi xa tinh trong "
    "chuyen mon phong doan the to chuc chinh tri xa hoi nghe nghiep chat che khac thuoc".split()
)
_WITH = re.compile(r"^v\S{0,3}i$")  # "với" and its OCR forms (voi, véi, vo1i, VGi)
_TOKEN = re.compile(r"[^\W_]+|[¢&]")


def is_request(text: str) -> bool:
    """'Đề nghị Ủy ban MTTQ ...' (also OCR 'Pé nghi')."""
    return bool(_REQUEST.match(fold_lower(text)))


def strip_label(text: str) -> str:
    return re.sub(r"^\s*(?:[a-zđ]\)|[-+•–—*]|\d{1,2}(?:\.\d{1,2})*[.)]?)\s*", "", text)


def duty_role(duty: str) -> str:
    """lead, or coordinate when the duty opens with 'Phối hợp' (after an optional 'Căn cứ ...' clause)."""
    folded = fold_lower(strip_label(duty))
    if _COORDINATE_KEYWORD.match(folded.lstrip(" -–:")):
        return "coordinate"
    if _BASIS_CLAUSE.match(folded):
        first_clause = re.split(r"[.;:]", folded, maxsplit=1)[0]
        co = _COORDINATE_KEYWORD.search(first_clause)
        lead = _LEAD_KEYWORD.search(first_clause)
        if co and (lead is None or lead.start() > co.start()):
            verbs_before = re.search(r"tham m\S{1,2}u|ch\S{0,2} d\S{1,2}o|x\S{1,2}y d\S{1,2}ng|tri\S{1,2}n khai", first_clause[: co.start()])
            if verbs_before is None:
                return "coordinate"
    return "lead"


def leads_a_later_clause(duty: str) -> bool:
    """'Phối hợp với A ...; chủ trì, phối hợp cùng B tổ chức ...': a coordinating duty whose later
    clause makes the same agency lead of a second task."""
    clauses = re.split(r";", fold_lower(strip_label(duty)))
    return any(_LEAD_KEYWORD.match(c.strip(" ,.-")) for c in clauses[1:])


@dataclass(frozen=True)
class Deadline:
    text: str
    month: int | None
    day: int | None
    year: int | None
    recurring: bool
    quarter: int | None = None

    @property
    def value(self) -> str:
        """xsd:date when day, month and year are given, xsd:gMonthDay ("--11-25") without a year,
        "2023-Q3" for a quarter."""
        if self.quarter:
            return f"{self.year:04d}-Q{self.quarter}" if self.year else f"Q{self.quarter}"
        if self.year:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return f"--{self.month:02d}-{self.day:02d}"

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "value": self.value, "month": self.month, "day": self.day, "year": self.year,
                "quarter": self.quarter, "recurring": self.recurring}


def find_deadline(text: str) -> tuple[Deadline, int, int] | None:
    """The first deadline in text ('trước ngày 25/11 hằng năm', 'chậm nhất ngày 15/6/2024',
    'trong quý III năm 2023'), with its offsets."""
    folded = fold_lower(text)
    found: list[tuple[Deadline, int, int]] = []
    for m in _DEADLINE.finditer(folded):
        day, month = int(m[1]), int(m[2])
        if not (1 <= day <= 31 and 1 <= month <= 12):
            continue
        end = m.end()
        recurring = _RECURRING.match(folded[end : end + 20])
        if recurring:
            end += recurring.end()
        found.append((Deadline(text[m.start() : end], month, day, int(m[3]) if m[3] else None, bool(recurring)),
                       m.start(), end))
        break
    for m in _QUARTER_DEADLINE.finditer(folded):
        found.append((Deadline(text[m.start() : m.end()], None, None, int(m[2]), False, _QUARTERS[m[1]]),
                      m.start(), m.end()))
        break
    return min(found, key=lambda f: f[1]) if found else None


_CELL_QUARTER = re.compile(r"qu\S\s+(iv|i{1,3}|[1-4])\b(?:\s*(?:/|n\S{1,2}m)\s*((?:19|20)\d{2}))?")
_REPORTING = re.compile(r"(?<![a-z])b\S{1,2}o\s+c\S{1,2}o(?![a-z])")


def cell_deadline(text: str) -> Deadline | None:
    """The deadline a table's time column states ("Trước 15/12 hằng năm", "Quý III hằng năm",
    "Quý II/2025"); None for a period or a frequency ("Thường xuyên", "2024 - 2025")."""
    found = find_deadline(text)
    if found:
        return found[0]
    folded = fold_lower(text)
    m = _CELL_QUARTER.search(folded)
    if m is None:
        return None
    recurring = bool(re.search(r"h\S{1,2}ng\s+n\S{1,2}m|moi\s+nam", folded))
    return Deadline(re.sub(r"\s+", " ", text).strip(), None, None, int(m[2]) if m[2] else None, recurring, _QUARTERS[m[1]])


def is_reporting(text: str) -> bool:
    """A duty to report ("báo cáo ... trước ngày 15/12"): its deadline binds the reporting agency only."""
    return bool(_REPORTING.search(fold_lower(text)))


def is_list_filler(token: str) -> bool:
    """A word that may sit between listed agencies, OCR-damaged forms included ("céc" for "các")."""
    if token in _LIST_FILLER or _WITH.match(token):
        return True
    # OCR damage changes a vowel inside the word ("céc" for "các"); a different word ("tổng", "báo")
    # differs in length or in its last letter and ends the list.
    return len(token) >= 3 and any(len(w) == len(token) and w[0] == token[0] and w[-1] == token[-1]
                                   and word_matches(token, w) for w in _LIST_FILLER)


def list_after(text: str, pos: int, mentions: list[AgencyMention], max_gap_tokens: int = 14) -> list[AgencyMention]:
    """Agencies listed from `pos` on: each separated from the previous only by list filler words.

    A mention right after "thuộc" names an owner ("các đơn vị thuộc Sở ..."): it is skipped
    without ending the list.
    """
    found: list[AgencyMention] = []
    for m in mentions:
        if m.start < pos:
            continue
        gap = fold_lower(text[pos : m.start])
        tokens = _TOKEN.findall(gap)
        if len(tokens) > max_gap_tokens or not all(is_list_filler(t) for t in tokens):
            break
        if _COORDINATE_KEYWORD.search(gap) or _LEAD_KEYWORD.search(gap) or _REQUEST_ANYWHERE.search(gap):
            break  # a new clause starts: "A Chủ trì, phối hợp với B" does not list B with A
        if not (tokens and tokens[-1] == "thuoc"):
            found.append(m)
        pos = m.end
    return found


def coordinators(duty: str, mentions: list[AgencyMention], role: str) -> list[AgencyMention]:
    """Agencies in the duty's 'phối hợp (với) ...' clauses; a coordinating duty's own opening clause names its lead."""
    folded = fold_lower(duty)
    out: list[AgencyMention] = []
    for k, m in enumerate(_COORDINATE_KEYWORD.finditer(folded)):
        if role == "coordinate" and k == 0:
            continue  # "Phối hợp với X" / "Căn cứ ..., phối hợp với X": X leads, not listed
        for a in list_after(duty, m.end(), mentions):
            if a not in out:
                out.append(a)
    return out


def heading_agencies(heading: str, province: str | None) -> tuple[list[AgencyMention], bool, int | None]:
    """(agencies named by a numbered heading, is it a request, offset where an inline duty starts or None)."""
    body = strip_label(heading)
    offset = len(heading) - len(body)
    folded = fold_lower(body)
    request = bool(_REQUEST.match(folded))
    pos = _REQUEST.match(folded).end() if request else 0
    assign = _ASSIGN.match(folded)  # "Giao Sở X chủ trì ..."
    if not request and assign:
        pos = assign.end()
    colon = body.find(":")
    scan = body if colon < 0 else body[:colon]
    mentions = find_agencies(scan, province)
    listed = list_after(scan, pos, mentions, max_gap_tokens=8)
    if not listed:
        return [], request, None
    for m in listed:
        m.start += offset
        m.end += offset
    if colon >= 0:
        return listed, request, offset + colon + 1
    rest_start = listed[-1].end
    rest = heading[rest_start:]
    only_filler = all(is_list_filler(t) for t in _TOKEN.findall(fold_lower(rest)))  # ", xã hội nghề nghiệp và ..."
    if len(rest.strip()) > 15 and not _GENERIC_TAIL.match(fold_lower(rest)) and not only_filler:
        return listed, request, rest_start  # "7. Báo X, Đài Y Chủ trì ..." / "2. Sở Nội vụ phối hợp với ..."
    return listed, request, None


@dataclass
class Duty:
    """A unit of text assigning work: a duty under a heading agency, a reporting paragraph, or an appendix row."""

    start: int  # offsets in record.text
    end: int
    text: str
    source: str  # organisation-section | reporting | appendix
    task_id: str


@dataclass
class Responsibility:
    agency: str  # as written
    agency_key: str
    agency_label: str  # canonical label
    role: str  # lead | coordinate | request
    task: str  # the duty or task text (short)
    task_id: str
    deadline: Deadline | None
    span: Span  # the duty / table row
    agency_span: Span  # where the agency is named
    source: str
    theme: str | None = None
    mention: AgencyMention | None = None  # the agency's type data (kind, level ...), not serialised
    period: str | None = None  # a table row's time column as written ("Thường xuyên", "Quý III hằng năm")
    # a completion time stated in words that is no calendar date ("Thường xuyên", "Năm 2024",
    # "Tháng 10 hằng năm"): reported as the deadline's text, with no typed value
    stated_deadline: str | None = None
    extractor_version: str = EXTRACTOR_VERSION

    def to_json(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "agency_key": self.agency_key,
            "agency_label": self.agency_label,
            "role": self.role,
            "task": self.task,
            "task_id": self.task_id,
            "deadline": self.deadline.to_json() if self.deadline else self._stated_json(),
            "period": self.period,
            "source": self.source,
            "theme": self.theme,
            "span": self.span.to_json(),
            "agency_span": self.agency_span.to_json(),
            "extractor_version": self.extractor_version,
        }

    def _stated_json(self) -> dict[str, Any] | None:
        return _stated_deadline_json(self.stated_deadline)


def _stated_deadline_json(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    folded = fold_lower(text)
    return {"text": text, "value": None, "month": None, "day": None, "year": None, "quarter": None,
            "recurring": bool(re.search(r"h\S{1,2}ng\s+n\S{1,2}m|m\S{1,2}i\s+n\S{1,2}m|th\S{1,2}ng\s+xuy\S{1,2}n", folded))}


# A time column that states when the work is carried out, not when it must be done.
_PERIOD_HEADER = re.compile(r"th\S{1,2}c\s+hi\S{1,2}n|ti\S{1,2}n\s+d\S{1,2}")


def completion_column(header: str) -> bool:
    """ "Thời gian hoàn thành", "Thời hạn", "Thời gian": the cell is the row's deadline; "Thời gian thực
    hiện" and "Tiến độ" give a period of work instead."""
    return bool(header.strip()) and not _PERIOD_HEADER.search(fold_lower(header))


def short(text: str, limit: int = 200) -> str:
    text = re.sub(r"\s+", " ", strip_label(text)).strip()
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _province(record: PlanRecord) -> str | None:
    return record.header.province if record.header else None


def organisation_lines(lines: list[Line]) -> list[Line]:
    """Lines of the 'Tổ chức thực hiện' / 'Chế độ báo cáo' parts, up to the closing block."""
    out, inside = [], False
    for line in lines:
        if line.kind in ("closing", "appendix"):
            inside = False
            continue
        if line.kind == "part":
            inside = bool(_ORG_PART.search(fold_lower(line.text)))
            continue
        if inside:
            out.append(line)
    return out


def _rel(mentions: list[AgencyMention], base: int) -> list[AgencyMention]:
    return [AgencyMention(m.start + base, m.end + base, m.as_written, m.key, m.label, m.kind, m.level, m.under_ubnd,
                          m.known) for m in mentions]


def organisation_responsibilities(record: PlanRecord, lines: list[Line]) -> list[Responsibility]:
    province = _province(record)
    text = record.text
    out: list[Responsibility] = []
    block: list[AgencyMention] = []
    block_request = False
    block_rank = 99.0
    for line in organisation_lines(lines):
        duties: list[tuple[int, int]] = []
        if line.kind == "section" and (not block or line_rank(line) <= block_rank):
            listed, request, inline = heading_agencies(line.text, province)
            block = _rel(listed, line.start)
            block_request, block_rank = request, line_rank(line)
            if block and inline is not None:
                duties.append((line.start + inline, line.end))
        elif line.kind == "paragraph" and _GENERAL_START.match(fold_lower(line.text)):
            out += reporting_responsibilities(record, line)
            block = []
            continue
        elif block:
            duties.append((line.start, line.end))
        for ds, de in duties:
            duty_text = text[ds:de]
            if not duty_text.strip(" :.-"):
                continue
            role = "request" if block_request else duty_role(duty_text)
            deadline = find_deadline(duty_text)
            span = record.span(ds, de)
            tid = task_id(ds)
            theme = classify_theme(duty_text)
            roles = [role] + (["lead"] if role == "coordinate" and leads_a_later_clause(duty_text) else [])
            for m in block:
                for r in roles:
                    out.append(_resp(record, m, r, duty_text, tid, deadline, span, "organisation-section", theme))
            mentions = _rel(find_agencies(duty_text, province), 0)
            own = {m.key for m in block}
            for m in coordinators(duty_text, mentions, role):
                if m.key in own:
                    continue
                shifted = AgencyMention(m.start + ds, m.end + ds, m.as_written, m.key, m.label, m.kind, m.level,
                                        m.under_ubnd, m.known)
                own_deadline = None if is_reporting(duty_text) else deadline
                out.append(_resp(record, shifted, "coordinate", duty_text, tid, own_deadline, span, "organisation-section",
                                 theme))
    return out


# What is left after the agencies of a closing request that names no duty of its own.
_BARE_EXHORTATION = re.compile(
    r"[\s,]*(?:nghiem\s+tuc|khan\s+truong|chu\s+dong|tich\s+cuc)?\s*(?:to\s+chuc\s+)?(?:trien\s+khai\s*)?(?:thuc\s+hien)?"
    r"\s*(?:ke\s+hoach(?:\s+nay)?)?\s*(?:[./;!]+\s*)*$")


def reporting_responsibilities(record: PlanRecord, line: Line) -> list[Responsibility]:
    """A closing paragraph: agencies opening it (or after 'Yêu cầu') lead; those after 'đề nghị' are requested."""
    province = _province(record)
    text = line.text
    folded = fold_lower(text)
    mentions = find_agencies(text, province)
    deadline = find_deadline(text)
    span = record.span(line.start, line.end)
    tid = task_id(line.start)
    out: list[Responsibility] = []
    starts: list[tuple[int, str]] = []
    if not re.match(r"^\W*tr\S{1,2}n\s+d\S{1,2}y", folded):
        starts.append((0, "lead"))
    starts += [(m.end(), "lead") for m in _YEU_CAU.finditer(folded)]
    starts += [(m.end(), "lead") for m in re.finditer(r"(?<![a-z])giao(?:\s+cho)?\s+", folded)]
    starts += [(m.end(), "request") for m in _REQUEST_ANYWHERE.finditer(folded)]
    seen: set[str] = set()
    for pos, role in starts:
        listed = list_after(text, pos, mentions)
        if listed and deadline is None and _BARE_EXHORTATION.match(folded, listed[-1].end):
            continue  # "yêu cầu các cơ quan, UBND các xã nghiêm túc triển khai thực hiện./.": no duty of its own
        for m in listed:
            if m.key in seen:
                continue
            seen.add(m.key)
            shifted = AgencyMention(m.start + line.start, m.end + line.start, m.as_written, m.key, m.label, m.kind,
                                    m.level, m.under_ubnd, m.known)
            out.append(_resp(record, shifted, role, text, tid, deadline, span, "reporting", "inspection-reporting"))
    return out


def _resp(record: PlanRecord, m: AgencyMention, role: str, duty: str, tid: str, deadline, span: Span, source: str,
          theme: str | None) -> Responsibility:
    agency_span = record.span(m.start, m.end)
    return Responsibility(
        agency=written_forms(m.as_written, agency_span)[0],
        agency_key=m.key,
        agency_label=m.label,
        role=role,
        task=short(duty),
        task_id=tid,
        deadline=deadline[0] if deadline else None,
        span=span,
        agency_span=agency_span,
        source=source,
        theme=theme,
        mention=m,
    )


def appendix_responsibilities(record: PlanRecord, lines: list[Line]) -> list[Responsibility]:
    province = _province(record)
    out: list[Responsibility] = []
    for row in table_rows(lines):
        content = row.cell("content")
        if not content.text:
            continue
        span = record.span(row.start, row.end)
        tid = task_id(row.start)
        theme = classify_theme(content.text, row.group or "")
        time_text = re.sub(r"\s+", " ", row.cell("period").text).strip() or None
        deadline = find_deadline(content.text)
        if deadline is None and time_text:
            found = cell_deadline(time_text)
            deadline = (found, 0, len(time_text)) if found else None
        stated = time_text if deadline is None and time_text and completion_column(row.header("period")) else None
        for role, column in (("lead", "lead"), ("coordinate", "coordinate")):
            cell = row.cell(column)
            own_deadline = None if role == "coordinate" and is_reporting(content.text) else deadline
            own_stated = None if role == "coordinate" and is_reporting(content.text) else stated
            for m in find_agencies(cell.text, province):
                s, e = cell.offsets[m.start], cell.offsets[m.end - 1] + 1
                shifted = AgencyMention(s, e, m.as_written, m.key, m.label, m.kind, m.level, m.under_ubnd, m.known)
                r = _resp(record, shifted, role, content.text, tid, own_deadline, span, "appendix", theme)
                r.period = time_text
                r.stated_deadline = own_stated
                out.append(r)
    return out


# ---- prose: news reports and plans without a "Tổ chức thực hiện" part ------------------------

# Discourse openers before a clause's subject: "Theo đó, ...", "Đồng thời, ...".
_OPENER = re.compile(r"^\W*(?:(?:theo\s+do|dong\s+thoi|ngoai\s+ra|ben\s+canh\s+do|theo\s+ke\s+hoach|cu\s+the)\s*,?\s*)?")
# Verbs of a body that hands work to others: its subject assigns, it does not do the task.
_ASSIGNER_VERB = re.compile(r"^\W*(?:vua\s+|da\s+|cung\s+)?(?:giao|yeu\s+cau|de\s+nghi|chi\s+dao|ban\s+hanh|phe\s+duyet|quyet\s+dinh|co\s+van\s+ban)\b")
# What a body that opens a clause must go on with for the clause to assign it a duty (so that
# "Thư viện tỉnh đã phục vụ 95.000 lượt" reports a fact and gives no role).
_MODAL = re.compile(
    r"^\W*(?:\([^)]{0,60}\)\s*)?(?:(?:can(?!\s+doi)|phai|se|co\s+trach\s+nhiem|chiu\s+trach\s+nhiem|tiep\s+tuc|chu\s+dong|kip\s+thoi)\b\s*,?\s*)*"
)
_DUTY_VERB = re.compile(
    r"(?:chu\s+tri|la\s+co\s+quan|la\s+don\s+vi|phoi\s+hop|tham\s+muu|bo\s+tri|huong\s+dan|to\s+chuc|trien\s+khai"
    r"|xay\s+dung|thuc\s+hien|chi\s+dao|tuyen\s+truyen|kiem\s+tra|theo\s+doi|don\s+doc|tong\s+hop|bao\s+cao"
    r"|can\s+doi|dam\s+bao|bao\s+dam|long\s+ghep|day\s+manh|nghien\s+cuu|cung\s+cap|phat\s+dong|ra\s+soat"
    r"|huy\s+dong|bien\s+soan|tang\s+cuong|quan\s+tam|dua\s+tin|xuat\s+ban|mo\s+|van\s+dong|nang\s+cao|de\s+xuat)\b"
)
_GIAO = re.compile(r"(?<![a-z])(?:giao(?:\s+cho)?|y\S{0,2}u\s+c\S{0,2}u)\s+")
_BASIS_OPENING = re.compile(r"^\W*c\S{1,2}n\s+c\S{1,3}\b[^,;]{0,80}?(?=\s(?:xay|to|trien|thuc|chu|bo|tham|huong|kiem|tuyen)\s)")
_CLAUSE_SPLIT = re.compile(r"(?<=[;.!?])\s+|\n")


def _clauses(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in _CLAUSE_SPLIT.finditer(text):
        if text[pos : m.start()].strip():
            out.append((pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        out.append((pos, len(text)))
    return out


def clause_assignments(clause: str, province: str | None) -> list[tuple[AgencyMention, str]]:
    """(agency, role) pairs one sentence or clause of prose assigns.

    - "đề nghị A và B ..." -> A, B are requested (not "theo đề nghị của A");
    - "giao A (là cơ quan thường trực,) chủ trì ..." -> A leads; "giao A phối hợp ..." -> A coordinates;
    - "A chủ trì / A bố trí ..." (A opens the clause) -> A leads; "A phối hợp với B ..." -> A coordinates;
    - the bodies after "phối hợp với" in a lead's clause coordinate;
    - a subject that assigns ("UBND tỉnh giao ...", "UBND tỉnh vừa ban hành ...") gets no role itself."""
    folded = fold_lower(clause)
    mentions = find_agencies(clause, province)
    if not mentions:
        return []
    out: list[tuple[AgencyMention, str]] = []
    leads: list[tuple[AgencyMention, str]] = []
    for m in _REQUEST_ANYWHERE.finditer(folded):
        if re.match(r"\s*c\S{0,2}a\b", folded[m.end() :]):
            continue  # "theo đề nghị của Sở X": X proposed, it is not asked
        out += [(a, "request") for a in list_after(clause, m.end(), mentions)]
    starts = [g.end() for g in _GIAO.finditer(folded)]
    opener = _OPENER.match(folded)
    subject = list_after(clause, opener.end() if opener else 0, mentions, max_gap_tokens=3)
    after_subject = folded[subject[-1].end :] if subject else ""
    basis = _BASIS_OPENING.match(after_subject)  # "UBND các huyện căn cứ Kế hoạch này xây dựng ..."
    if basis:
        after_subject = after_subject[basis.end() :]
    standing = re.match(r"^\W*\([^)]*(?:thuong\s+truc|dau\s+moi)[^)]*\)", after_subject)  # "(cơ quan thường trực)"
    after_subject = after_subject[_MODAL.match(after_subject).end() :]
    if subject and (_DUTY_VERB.match(after_subject) or standing) and not _ASSIGNER_VERB.match(after_subject):
        starts.insert(0, -1)
    for pos in starts:
        listed = subject if pos < 0 else list_after(clause, pos, mentions)
        if not listed:
            continue
        base = listed[-1].end
        rest = clause[base:]
        opening = fold_lower(rest)
        opening = opening[_MODAL.match(opening).end() :]
        role = "coordinate" if _COORDINATE_KEYWORD.match(opening.lstrip(" ,-–:")) else "lead"
        leads += [(a, role) for a in listed]
        in_rest = [m for m in _rel(mentions, -base) if m.start >= 0]
        out += [(a, "coordinate") for a in _rel(coordinators(rest, in_rest, role), base)]
    seen: set[str] = set()
    unique = []
    for a, role in leads + out:
        if a.key not in seen:
            seen.add(a.key)
            unique.append((a, role))
    return unique


def prose_responsibilities(record: PlanRecord, lines: list[Line]) -> list[Responsibility]:
    """Assignments written in running text, for texts with no organisation part (news reports,
    short plans): each sentence's clauses are read with clause_assignments."""
    province = _province(record)
    out: list[Responsibility] = []
    for line in lines:
        if line.kind in ("closing", "appendix"):
            break
        if line.kind in ("row", "header", "title", "signature"):
            continue
        for cs, ce in _clauses(line.text):
            clause = line.text[cs:ce]
            pairs = clause_assignments(clause, province)
            if not pairs:
                continue
            ds, de = line.start + cs, line.start + ce
            span = record.span(ds, de)
            deadline = find_deadline(clause)
            theme = classify_theme(clause)
            for m, role in pairs:
                shifted = AgencyMention(m.start + ds, m.end + ds, m.as_written, m.key, m.label, m.kind, m.level,
                                        m.under_ubnd, m.known)
                own_deadline = None if role != "lead" and is_reporting(clause) else deadline
                out.append(_resp(record, shifted, role, clause, task_id(ds), own_deadline, span, "prose", theme))
    return out


def extract_responsibilities(record: PlanRecord) -> list[Responsibility]:
    """Every (agency, role, task) the plan assigns, each with its span and deadline."""
    lines = plan_lines(record.text)
    found = organisation_responsibilities(record, lines) + appendix_responsibilities(record, lines)
    if not organisation_lines(lines):
        found += prose_responsibilities(record, lines)
    unique: list[Responsibility] = []
    seen: set[tuple[str, str, str]] = set()
    for r in found:
        key = (r.agency_key, r.role, r.task_id)
        if key not in seen:
            seen.add(key)
            unique.append(r)
    return unique


def duty_tasks(record: PlanRecord, lines: list[Line] | None = None) -> list[Task]:
    """The duties of the organisation section as tasks (source 'duty'), so each responsibility has a task node."""
    lines = lines if lines is not None else plan_lines(record.text)
    tasks: dict[str, Task] = {}
    appendix_ids = {t.id for t in appendix_tasks(record, lines)}
    known = [r for r in record.responsibilities if isinstance(r, Responsibility)]
    for r in known or organisation_responsibilities(record, lines):
        if r.source not in ("organisation-section", "reporting", "prose"):
            continue
        if r.task_id in tasks or r.task_id in appendix_ids:
            continue
        # its text as read (restored, for an OCR'd plan); the span keeps the original characters
        tasks[r.task_id] = Task(r.task_id, record.text_of(r.span), [], None, r.theme or "other", None, "duty", r.span)
    return list(tasks.values())


def agency_mentions_of(record: PlanRecord) -> list[tuple[AgencyMention, Span]]:
    """(mention, span) of every agency that holds a responsibility, for agencies.extract_agencies."""
    responsibilities = record.responsibilities or extract_responsibilities(record)
    out = []
    for r in responsibilities:
        if isinstance(r, Responsibility) and r.mention is not None:
            out.append((r.mention, r.agency_span))
    return out
