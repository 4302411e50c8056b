"""Tasks of a plan: each nhiệm vụ / giải pháp item and each appendix table row.

The plan's normalised text is walked line by line (one logical line per heading,
item, bullet, paragraph or table row, see layout.py; lines are classified by
segment.classify_line). A task is a *leaf* item inside a part or section whose title
names tasks or solutions ("NHIỆM VỤ", "GIẢI PHÁP", "NỘI DUNG NHIỆM VỤ CỤ THỂ"), outside
sub-sections about objectives ("Mục tiêu cụ thể"); a paragraph that follows an item
continues it. Appendix tables are read by their header row (Nội dung công việc / Sản
phẩm / Đơn vị thực hiện / Đơn vị phối hợp / Thời gian thực hiện); a row whose first cell
is empty continues the row above (the source broke it across lines).

Each task gets a theme from the task-theme SKOS scheme (ontology/schemes.ttl) by
keyword rules on folded text, so OCR text without tone marks is classified too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .records import PlanRecord, Span
from .segment import classify_line
from .vietnamese import fold_lower

EXTRACTOR_VERSION = "tasks-1"


# Theme keys are the concept keys of the task-theme scheme in ontology/schemes.ttl.
# Each theme lists keyword patterns over folded lower-case text; the first word of a task
# (its verb phrase) weighs more than the rest. Order breaks ties.
THEME_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("international-cooperation", (r"(?<!ngay )quoc te", r"nuoc ngoai", r"cac quoc gia")),
    ("inspection-reporting", (r"kiem tra", r"giam sat", r"bao cao", r"so ket", r"tong ket", r"danh gia", r"thanh tra")),
    ("emulation-reward", (r"khen thuong", r"bieu duong", r"ton vinh", r"thi dua")),
    ("events", (r"tuan le", r"ngay sach", r"ngay (?:quoc te )?bao tang", r"ngay di san", r"ngay hoi", r"lien hoan",
                r"hoi thi", r"hoi dien", r"trung bay", r"su kien", r"ky niem", r"\d{1,2}/\d{1,2}")),
    ("socialisation-resources", (r"xa hoi hoa", r"tai tro", r"quyen gop", r"huy dong (?:cac )?nguon", r"ngoai cong lap",
                                 r"nguon luc")),
    ("funding", (r"kinh phi", r"ngan sach", r"du toan")),
    ("human-resources-training", (r"dao tao", r"boi duong", r"tap huan", r"nguon nhan luc", r"nhan luc", r"can bo",
                                  r"tai lieu huong dan", r"cong tac vien", r"tu hoc", r"ngoai ngu")),
    ("it-digital-transformation", (r"chuyen doi so", r"cong nghe so", r"nen tang (?:cong nghe )?so", r"cong nghe thong tin",
                                   r"internet", r"so hoa", r"dien tu", r"khong gian so", r"cong nghe cao")),
    ("awareness-communication", (r"tuyen truyen", r"truyen thong", r"pho bien", r"nhan thuc", r"quang ba", r"van dong",
                                 r"phong trao")),
    ("infrastructure-network", (r"co so vat chat", r"co so ha tang", r"nang cap", r"xay dung nha", r"mang luoi",
                                r"dau tu", r"thiet che", r"cong trinh", r"quy hoach")),
    ("coordination", (r"phoi hop", r"lien ket", r"hop tac", r"giao luu", r"kinh nghiem")),
    ("policy-institutions", (r"lanh dao", r"chi dao", r"van ban", r"co che", r"chinh sach", r"nghi quyet", r"quy pham")),
    ("content-services", (r"luan chuyen", r"bo sung", r"suu tam", r"bao ton", r"mo hinh", r"cau lac bo", r"doc gia",
                          r"suu tap", r"gioi thieu", r"van nghe", r"tai lieu")),
)
_COMPILED_THEMES = tuple((k, tuple(re.compile(p) for p in ps)) for k, ps in THEME_RULES)


# Words every task of these plans shares (the programme's name, role phrases): no theme signal.
_BOILERPLATE = re.compile(
    r"(?:cac )?hoat dong (?:phuc vu )?(?:nguoi dan )?hoc tap suot doi|phuc vu (?:nhu cau )?hoc tap suot doi"
    r"|thu vien, bao tang, trung tam van hoa|chu tri,? (?:chi dao,? )?phoi hop(?: voi| cung)?|^\W*(?:[a-z]\)|[-+])"
)


def classify_theme(text: str, context: str = "") -> str:
    """Theme key of a task: keyword hits in its opening words weigh 3, elsewhere 1; the section title breaks silence.

    The programme's own name and role phrases ("chủ trì, phối hợp với") are removed first:
    every task repeats them, so they say nothing about its theme.
    """
    folded = _BOILERPLATE.sub(" ", fold_lower(text)).strip()
    head = " ".join(folded.split()[:8])
    best, best_score = "other", 0.0
    for rank, (key, patterns) in enumerate(_COMPILED_THEMES):
        score = 0.0
        for p in patterns:
            if p.search(head):
                score += 3
            score += min(len(p.findall(folded)), 2)
        if score > best_score:
            best, best_score = key, score
    if best_score == 0 and context:
        return classify_theme(context)
    return best


@dataclass(frozen=True)
class Line:
    start: int  # offsets in record.text
    end: int
    text: str
    kind: str
    label: str | None


_MARKDOWN_ROW = re.compile(r"^\s*\|.*\|.*\|\s*$")
_MARKDOWN_RULE = re.compile(r"^[\s|:\-–]+$")


def split_cells(line: Line) -> tuple[list[str], list[int]]:
    """A table row's cells and their start offsets: tab-separated (the layout normaliser's rows)
    or a markdown row ("| 1 | Nội dung | Sở X |", outer bars dropped)."""
    text = line.text
    sep = "|" if _MARKDOWN_ROW.match(text) else "\t"
    cells, positions, pos = [], [], line.start
    for c in text.split(sep):
        cells.append(c)
        positions.append(pos)
        pos += len(c) + 1
    if sep == "|":
        cells, positions = cells[1:-1], positions[1:-1]
    return cells, positions


def plan_lines(text: str) -> list[Line]:
    """Non-blank lines of the normalised text with their kind (part, section, item, bullet, paragraph, row ...)."""
    out, pos = [], 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        if not raw.strip():
            continue
        kind, label, _title = classify_line(raw)
        if kind == "bullet" and raw.lstrip().startswith("+"):
            kind = "subbullet"
        if _MARKDOWN_ROW.match(raw):
            if _MARKDOWN_RULE.match(raw):
                continue  # "|---|---|": the header's underline
            kind, label = "row", None
        out.append(Line(start, end, raw, kind, label))
    return out


# Rank of each line kind: a line's parent is the nearest earlier line of lower rank.
def line_rank(line: Line) -> float:
    if line.kind in ("part", "appendix", "closing"):
        return 1
    if line.kind == "section":
        return 2 + (line.label or "").count(".")
    return {"item": 6, "bullet": 7, "subbullet": 8, "paragraph": 9, "row": 9}.get(line.kind, 9)


def folded_title(line: Line) -> str:
    return fold_lower(line.text)


_TASK_HEADING = re.compile(r"nhi\S{0,2}m\s+v\S{0,2}|gi\S{0,2}i\s+ph\S{0,2}p|noi dung cong viec")
_OBJECTIVE_HEADING = re.compile(r"^\W*(?:[\dIVXl1]{1,5}(?:\.\d{1,2})*[.)]?\s*)?(?:m\S{0,2}c\s+ti\S{0,2}u|m\S{0,2}c\s+d\S{0,2}ch|y\S{0,2}u\s+c\S{0,2}u)")
_ORGANISATION_HEADING = re.compile(r"t\S{0,2}\s+ch\S{0,3}c\s+th\S{0,2}c\s+hi\S{0,2}n|kinh\s+ph")
_APPENDIX_POINTER = re.compile(r"chi tiet tai phu luc|\(chi tiet")


def is_task_heading(line: Line) -> bool:
    t = folded_title(line)
    return bool(_TASK_HEADING.search(t)) and not _ORGANISATION_HEADING.search(t)


def is_objective_heading(line: Line) -> bool:
    t = folded_title(line)
    return bool(_OBJECTIVE_HEADING.search(t)) and not _TASK_HEADING.search(t)


@dataclass
class Task:
    """A step of the plan, with where it sits in the document and what it is about."""

    id: str  # "task-00123": its first character's offset in the normalised text
    text: str
    section_path: list[str]  # labels of the enclosing headings: ["III", "2", "a"]
    section_title: str | None
    theme: str
    period: str | None  # "2024-2025", "2025", "annual" or None
    source: str  # section | appendix | duty
    span: Span
    product: str | None = None
    lead_text: str | None = None
    coordinate_text: str | None = None
    extractor_version: str = EXTRACTOR_VERSION

    @property
    def summary(self) -> str:
        text = re.sub(r"^\s*(?:[a-zđ]\)|[-+•–]|\d+[.)])\s*", "", self.text).strip()
        return text if len(text) <= 200 else text[:197].rsplit(" ", 1)[0] + "…"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "task": self.summary,
            "text": self.text,
            "section_path": list(self.section_path),
            "section_title": self.section_title,
            "theme": self.theme,
            "period": self.period,
            "source": self.source,
            "product": self.product,
            "lead": self.lead_text,
            "coordinate": self.coordinate_text,
            "span": self.span.to_json(),
            "extractor_version": self.extractor_version,
        }


def task_id(start: int) -> str:
    return f"task-{start:05d}"


_PERIOD_RANGE = re.compile(r"((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})")
_PERIOD_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_ANNUAL = re.compile(r"h[aă\S]?ng\s+n[aă\S]?m|hang nam|moi nam|thuong xuyen")


def parse_period(cell: str) -> str | None:
    """"2024- 2025" -> "2024-2025"; "Hàng năm" -> "annual"; "2025" -> "2025"."""
    folded = fold_lower(cell)
    m = _PERIOD_RANGE.search(folded)
    if m:
        return f"{m[1]}-{m[2]}"
    m = _PERIOD_YEAR.search(folded)
    if m:
        return m[1]
    if _ANNUAL.search(folded):
        return "annual"
    return None


def section_tasks(record: PlanRecord, lines: list[Line] | None = None) -> list[Task]:
    """Leaf items of the task and solution sections."""
    lines = lines if lines is not None else plan_lines(record.text)
    tasks: list[Task] = []
    stack: list[tuple[Line, bool, bool]] = []  # (heading line, inside tasks, inside objectives)
    current: Task | None = None
    current_rank = 0.0
    for idx, line in enumerate(lines):
        if line.kind in ("appendix", "closing", "row"):
            if line.kind != "row":
                stack, current = [], None
            continue
        rank = line_rank(line)
        if line.kind in ("part", "section"):
            while stack and line_rank(stack[-1][0]) >= rank:
                stack.pop()
            parent_tasks = bool(stack) and stack[-1][1]
            parent_obj = bool(stack) and stack[-1][2]
            in_tasks = is_task_heading(line) or (parent_tasks and not is_objective_heading(line))
            if line.kind == "part" and not is_task_heading(line):
                in_tasks = False
            stack.append((line, in_tasks, parent_obj or is_objective_heading(line)))
            current = None
            continue
        if not stack or not stack[-1][1] or stack[-1][2]:
            current = None
            continue
        if line.kind == "paragraph" and current is not None and current_rank < 9:
            _extend(record, current, line)  # continuation of the item above
            continue
        nxt = lines[idx + 1] if idx + 1 < len(lines) else None
        has_children = nxt is not None and nxt.kind not in ("part", "section", "appendix", "closing", "paragraph") \
            and line_rank(nxt) > rank
        if has_children:
            current = None
            continue
        if _APPENDIX_POINTER.search(fold_lower(line.text)):
            current = None
            continue
        path = [h.label or "" for h, _, _ in stack if h.label]
        title = stack[-1][0].text if stack else None
        current = Task(task_id(line.start), line.text, path, title, "other", None, "section",
                       record.span(line.start, line.end))
        current_rank = rank
        tasks.append(current)
    for task in tasks:
        task.theme = classify_theme(task.text, task.section_title or "")
        if _APPENDIX_POINTER.search(fold_lower(task.text)):
            task.source = "pointer"
    return [t for t in tasks if t.source != "pointer"]


def _extend(record: PlanRecord, task: Task, line: Line) -> None:
    """Append a continuation paragraph to a task, widening its span."""
    task.text = task.text + "\n" + line.text
    end = record.span(line.start, line.end).end
    task.span = Span(task.span.start, end, record.original_text[task.span.start : end])


# ---- appendix tables ---------------------------------------------------------------

COLUMN_ROLES: tuple[tuple[str, str], ...] = (
    ("content", r"noi dung|nhiem vu|ten nhiem vu|cong viec"),
    ("product", r"san pham|ket qua"),
    ("lead", r"don vi thuc hien|chu tri|co quan thuc hien|don vi chu tri|co quan chu tri"),
    ("coordinate", r"phoi hop"),
    ("period", r"thoi gian|tien do|thoi han"),
    ("number", r"^\s*(?:stt|tt|so tt)\s*$"),
)


def column_roles(header_cells: list[str]) -> dict[str, int]:
    """Map column roles (content, product, lead, coordinate, period, number) to indices of a header row."""
    roles: dict[str, int] = {}
    for i, cell in enumerate(header_cells):
        folded = fold_lower(cell).strip()
        for role, pattern in COLUMN_ROLES:
            if role not in roles and re.search(pattern, folded):
                roles[role] = i
                break
    return roles


@dataclass
class Cell:
    """A table cell, possibly gathered from several source lines: its text and normalised offsets."""

    text: str = ""
    offsets: list[int] = field(default_factory=list)  # normalised offset of each character of text

    def add(self, piece: str, start: int) -> None:
        lead = len(piece) - len(piece.lstrip())
        piece_stripped = piece.strip()
        if not piece_stripped:
            return
        if self.text:
            self.offsets.append(start + lead)  # the joining space maps to the next piece
            self.text += " "
        self.text += piece_stripped
        self.offsets.extend(range(start + lead, start + lead + len(piece_stripped)))


@dataclass
class TableRow:
    """One appendix row with its cells merged across continuation lines."""

    start: int
    end: int
    cells: list[Cell]
    roles: dict[str, int]
    group: str | None  # the Roman-numeral group row above it ("TUYÊN TRUYỀN ...")
    group_label: str | None
    number: str
    appendix: str | None
    headers: list[str] = field(default_factory=list)  # the header row's cells, as written

    def header(self, role: str) -> str:
        i = self.roles.get(role)
        return self.headers[i] if i is not None and i < len(self.headers) else ""

    def cell(self, role: str) -> Cell:
        i = self.roles.get(role)
        return self.cells[i] if i is not None and i < len(self.cells) else Cell()


_ROMAN_CELL = re.compile(r"^[IVXLl1]{1,5}$")


def table_rows(lines: list[Line]) -> list[TableRow]:
    """Rows of the task tables (those with a content and a lead column), continuation lines merged."""
    rows: list[TableRow] = []
    roles: dict[str, int] | None = None
    headers: list[str] = []
    group = group_label = appendix = None
    current: TableRow | None = None
    for line in lines:
        if line.kind == "appendix":
            appendix, roles, current = line.text.strip(), None, None
            continue
        if line.kind != "row":
            if line.kind in ("part", "section", "closing"):
                current = None
            continue
        raw_cells, positions = split_cells(line)
        header = column_roles(raw_cells)
        if "content" in header and ("lead" in header or "coordinate" in header):
            roles, current, group = header, None, None
            headers = [c.strip() for c in raw_cells]
            continue
        if roles is None:
            continue
        first = raw_cells[0].strip()
        others = [c for c in raw_cells[1:] if c.strip()]
        if _ROMAN_CELL.match(first) and len(others) <= 1:
            group_label, group, current = first, (others[0].strip() if others else None), None
            continue
        if first and re.match(r"^\d{1,3}\.?$", first):
            current = TableRow(line.start, line.end, [Cell() for _ in raw_cells], roles, group, group_label,
                               first.rstrip("."), appendix, headers)
            rows.append(current)
        elif current is None:
            continue
        else:
            current.end = line.end
        while len(current.cells) < len(raw_cells):
            current.cells.append(Cell())
        for i, c in enumerate(raw_cells):
            if i == roles.get("number", 0) and i == 0:
                continue
            current.cells[i].add(c, positions[i])
    return rows


def appendix_tasks(record: PlanRecord, lines: list[Line] | None = None) -> list[Task]:
    lines = lines if lines is not None else plan_lines(record.text)
    tasks = []
    for row in table_rows(lines):
        content = row.cell("content")
        if not content.text:
            continue
        path = [p for p in (row.appendix, row.group_label, row.number) if p]
        theme = classify_theme(content.text, row.group or "")
        tasks.append(Task(
            task_id(row.start), content.text, path, row.group, theme, parse_period(row.cell("period").text), "appendix",
            record.span(row.start, row.end), product=row.cell("product").text or None,
            lead_text=row.cell("lead").text or None, coordinate_text=row.cell("coordinate").text or None,
        ))
    return tasks


def extract_tasks(record: PlanRecord) -> list[Task]:
    """Task and solution items, then appendix rows, then the duties of the organisation section."""
    from .responsibilities import duty_tasks

    lines = plan_lines(record.text)
    tasks = section_tasks(record, lines) + appendix_tasks(record, lines)
    seen = {t.id for t in tasks}
    tasks += [t for t in duty_tasks(record, lines) if t.id not in seen]
    return tasks
