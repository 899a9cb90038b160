"""The units in charge of a measure, in every form the genre prints them.

An *annotation* is a bracketed note after a measure or one of its sentences:
``（牵头单位：X；责任单位：Y）``, ``（X牵头，Y按职责分工负责）``, ``（X会同Y负责）``,
``（负责部门：X；适用范围：…）``, ``[X牵头,Y负责]``, or a bare list of organs
``（区市场局、区大数据中心）``. Inside it, clauses are told apart by what they say:
a label (牵头单位：), a verb at the end (牵头 / 负责 / 按职责分工负责 / 配合 / 落实),
a deadline (完成时限：…, 年底前), a scope (适用范围：…), or a convention the
document states once (排在第一位的为牵头部门，下同 / 以下各项…不再列出).

Rules rather than a statistical tagger: the forms are few and fixed by drafting
practice, every decision can be explained in the output's notes, and there is no
training data beyond a handful of documents (a CRF would learn these documents).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LEAD_LABELS: tuple[str, ...] = ("牵头单位", "牵头部门", "主办单位", "主责单位", "牵头")
RESPONSIBLE_LABELS: tuple[str, ...] = (
    "责任单位", "责任部门", "负责单位", "负责部门", "配合单位", "配合部门", "协同单位",
    "协同部门", "协办单位", "参与单位", "参加单位", "成员单位", "实施单位", "指导部门",
    "主要责任单位", "主要责任部门",
)
#: labels that name people, not units: kept as notes
PERSON_LABELS: tuple[str, ...] = ("牵头领导", "责任领导", "分管领导", "责任人", "联系人")
_LABELS = "|".join(sorted(LEAD_LABELS + RESPONSIBLE_LABELS, key=len, reverse=True))
_PERSON_RE = re.compile(rf"^\s*(?:{'|'.join(PERSON_LABELS)})\s*[:：]")
_LABEL_RE = re.compile(rf"^\s*({_LABELS})\s*[:：]\s*")
_INNER_LABEL_RE = re.compile(
    rf"(?<=[^；;，,。\s])\s*(?=(?:{_LABELS}|{'|'.join(PERSON_LABELS)})\s*[:：])"
)
OPEN, CLOSE = "（(〔【[［", "）)〕】]］"
_PAIRS = dict(zip(OPEN, CLOSE, strict=True))

#: the last character(s) of an organ's name
ORGAN_END = "[厅局委办府院会行部团心室署处所司门位社馆站队区县市镇道组科校园台庭关联协]"
_ORGAN_END_RE = re.compile(f"{ORGAN_END}$")
_DEADLINE_LABEL_RE = re.compile(r"^(?:完成时限|完成时间|时间节点|时限|进度安排)\s*[:：]\s*")
#: a deadline clause, or the deadline at the end of a clause naming units
_DEADLINE_RE = re.compile(
    r"(?:(?:19|20)\d{2}\s*年(?:\d{1,2}\s*月)?|\d{1,2}\s*月|年|上半年|下半年|年内|季度)"
    r"(?:底|末|上旬|中旬|下旬|内|中)?(?:前|以前)?"
    r"(?:完成|基本完成|取得成效|见效|建成|出台|落实到位|启动)?$"
    r"|(?:长期坚持|持续推进|持续实施|长期实施|持续开展)$"
)
_SCOPE_RE = re.compile(r"^(?:适用范围|实施范围|试点范围|推广范围)")
_CONVENTION_FIRST_RE = re.compile(
    r"(?:排在?|列|居)?(?:第一位|首位)(?:的|者)?(?:部门|单位)?(?:为|是)(?:牵头|主责)"
)
_BLANKET_RE = re.compile(
    r"^(?:以下|此后|下列|后续).{0,40}$|^不再(?:一一)?(?:列出|重复|做分工|分工|单独列出)$|^下同$"
)
_BLANKET_LEAD_RE = re.compile(r"^(?:具体|上述|各项|其他|所有|其余)|均")
_VERB_RE = re.compile(
    r"^(?P<units>.+?)\s*(?P<verb>牵头负责|牵头落实|牵头|会同(?P<with>.+?)(?:负责|落实|推进|实施)"
    r"|按职责分工负责|按职责分工落实|按职责负责|按职能分工负责|分工负责|共同负责|负责落实"
    r"|负责实施|负责推进|负责|配合|参与|协同|协助|落实|实施|推进)$"
)
#: characters no organ's name holds (running text does)
_NOT_A_NAME_RE = re.compile(
    r"[0-9%“”《》的由对将把被在是含即如]|以下|范围|^[省市区县州旗盟地乡镇、]+$"
)
_NON_ASCII_SPACE_RE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")
#: a name piece that is only an administrative level (各市、州人民政府 is one unit)
_LEVEL_ONLY_RE = re.compile(
    r"^(?:各|有关|相关|全省|省|市|各有关)?(?:市|州|县|区|市州|县市|县区|县市区|乡|镇|乡镇|街道)$"
)
#: what completes such a collective after its 、: 州人民政府, 县级市, 区政府, 县
_LEVEL_TAIL_RE = re.compile(
    r"^(?:[市州县区镇乡旗盟]|县级市|县市区|县市|县区|街道|乡镇)(?:人民政府|政府|管委会|办事处)?等?$"
)
#: 等 + a generic collective: 等有关部门 → keep 有关部门; 等部门 → drop it
_DENG_RE = re.compile(r"^(?P<head>.+?)等(?P<rest>.*)$")
_DROP_AFTER_DENG = {"", "部门", "单位", "部门单位", "部门和单位", "单位和部门"}
#: a conjunction that joins two collectives: …有关部门及各县市区政府
_CONJ_RE = re.compile(
    rf"(?<={ORGAN_END})(?:及|和|以及|与)(?=各|有关|相关|市级|省级|县级|全市|全省)"
)
#: run-together units: 市行政审批局市司法局 (an organ's end, then a level prefix)
_RUN_TOGETHER_RE = re.compile(
    r"(?<=[局厅委办署心府])(?=(?:省|市|区|县)[\u4e00-\u9fff]{2,}[局厅委办署])"
)


@dataclass
class Convention:
    """What a document says once about its annotations (applies from there on)."""

    first_is_lead: bool = False
    blanket: list[str] = field(default_factory=list)


@dataclass
class Annotation:
    """The units (and deadline) one bracketed note names."""

    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    deadline: str | None = None
    notes: list[str] = field(default_factory=list)


def split_units(text: str) -> list[str]:
    """Split a list of units on 、 ， , ； and on 及/和 between collectives.

    Names holding 、 after a bare level are kept whole (各市、州人民政府,
    各区、县级市); ``A等有关部门`` gives A and 有关部门, ``A等部门`` gives A.

    >>> split_units("省商务厅，有关市、州人民政府")
    ['省商务厅', '有关市、州人民政府']
    >>> split_units("省发改委及市、州、县人民政府等")
    ['省发改委', '市、州、县人民政府']
    >>> split_units("市级各有关部门及各县市区政府")
    ['市级各有关部门', '各县市区政府']
    """
    text = _CONJ_RE.sub("、", text)
    text = re.sub(rf"(?<={ORGAN_END})及(?=[\u4e00-\u9fff])", "、", text)
    pieces: list[tuple[str, str]] = []  # (separator before, piece)
    depth, current, sep_before = 0, "", ""
    for char in text:
        if char in OPEN:
            depth += 1
        elif char in CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and char in "、，,；;":
            pieces.append((sep_before, current))
            current, sep_before = "", char
        else:
            current += char
    pieces.append((sep_before, current))
    units: list[str] = []
    for sep, raw in pieces:
        piece = _NON_ASCII_SPACE_RE.sub("", raw.strip().strip("。."))
        if not piece:
            continue
        last = units[-1].rsplit("、", 1)[-1] if units else ""
        if units and sep == "、" and _LEVEL_ONLY_RE.match(last) and _LEVEL_TAIL_RE.match(piece):
            units[-1] = f"{units[-1]}、{piece.removesuffix('等')}"
            continue
        units.extend(_expand_piece(piece))
    return list(dict.fromkeys(u for u in units if u))


def _expand_piece(piece: str) -> list[str]:
    out: list[str] = []
    m = _DENG_RE.match(piece)
    if m and len(m.group("head")) >= 2 and _ORGAN_END_RE.search(m.group("head")):
        rest = m.group("rest")
        out.extend(_RUN_TOGETHER_RE.split(m.group("head")))
        if rest not in _DROP_AFTER_DENG:
            out.append(rest)
        return out
    return [p for p in _RUN_TOGETHER_RE.split(piece.removesuffix("等")) if p]


def _clauses(body: str) -> list[str]:
    """Split an annotation's body at top-level ， ； 。 (not inside brackets)."""
    out, depth, current = [], 0, ""
    for char in body:
        if char in OPEN:
            depth += 1
        elif char in CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and char in "，,；;。":
            out.append((current, char))
            current = ""
        else:
            current += char
    out.append((current, ""))
    return [c.strip() for c, _ in out]


def looks_like_units(text: str) -> bool:
    """Whether every piece of a list reads as an organ's name."""
    units = split_units(text)
    return bool(units) and all(
        2 <= len(u) <= 30
        and _ORGAN_END_RE.search(u)
        and not _NOT_A_NAME_RE.search(u)
        for u in units
    )


def _names_only(text: str) -> bool:
    """Whether a list reads as names (not necessarily of organs: 各专班, 各成员)."""
    units = split_units(text)
    return bool(units) and all(2 <= len(u) <= 30 and not _NOT_A_NAME_RE.search(u) for u in units)


def is_annotation(body: str, *, at_boundary: bool = True) -> bool:
    """Whether a bracket's content is a unit annotation; a bare list of organs
    (no label, no verb) counts only ``at_boundary`` (before a full stop or at the end)."""
    body = body.strip()
    if not body or len(body) > 400:
        return False
    if _LABEL_RE.match(body):
        return True
    first = _clauses(body)[0]
    m = _VERB_RE.match(first)
    if m and looks_like_units(m.group("units")) and (
        not m.group("with") or looks_like_units(m.group("with"))
    ):
        return True
    return at_boundary and looks_like_units(first) and all(
        _classify_ok(c) for c in _clauses(body)[1:] if c
    )


def _classify_ok(clause: str) -> bool:
    return bool(
        _LABEL_RE.match(clause)
        or _VERB_RE.match(clause)
        or looks_like_units(clause)
        or _CONVENTION_FIRST_RE.search(clause)
        or _BLANKET_RE.match(clause)
        or _DEADLINE_LABEL_RE.match(clause)
        or (_DEADLINE_RE.search(clause) and len(clause) <= 30)
        or _SCOPE_RE.match(clause)
    )


def parse_annotation(body: str, convention: Convention) -> Annotation:
    """The units of one annotation; ``convention`` is read and updated in place."""
    reader = _Reader(convention)
    body = _INNER_LABEL_RE.sub("；", body)  # 牵头单位：X 责任单位：Y run together
    clauses = [c for c in _clauses(body) if c]
    for i, clause in enumerate(clauses):
        blanket = (
            i + 1 < len(clauses)
            and _BLANKET_RE.match(clauses[i + 1]) is not None
            and _BLANKET_LEAD_RE.search(clause) is not None
        )  # 具体任务均涉及…，不再做分工 states a blanket too
        reader.clause(f"以下{clause}" if blanket else clause)
    return reader.finish()


_RESPONSIBLE_VERBS = ("配合", "参与", "协同", "协助")


class _Reader:
    """Reads the clauses of one annotation in order."""

    def __init__(self, convention: Convention) -> None:
        self.convention = convention
        self.ann = Annotation()
        self.label_role: str | None = None  # the role of a label still running
        self.pending: list[str] = []  # unlabelled units waiting for a verb
        self.bare: list[str] = []  # units whose role the document's convention decides

    def _add(self, role: str, units: list[str]) -> None:
        (self.ann.lead if role == "lead" else self.ann.responsible).extend(units)

    def clause(self, clause: str) -> None:
        if self._convention(clause):
            return
        if _PERSON_RE.match(clause):
            self.ann.notes.append(clause)
            self.label_role = None
            return
        dl = _DEADLINE_LABEL_RE.match(clause)
        if dl:
            self.ann.deadline = clause[dl.end() :].strip()
            return
        dm = _DEADLINE_RE.search(clause)
        if dm and (dm.start() == 0 or looks_like_units(clause[: dm.start()])):
            self.ann.deadline = clause[dm.start() :]
            clause = clause[: dm.start()].strip()
            if not clause:
                return
        if _SCOPE_RE.match(clause):
            self.ann.notes.append(clause)
            return
        lm = _LABEL_RE.match(clause)
        if lm:
            self.label_role = "lead" if lm.group(1) in LEAD_LABELS else "responsible"
            rest = clause[lm.end() :]
            vm = _VERB_RE.match(rest)
            if vm and not vm.group("with") and looks_like_units(vm.group("units")):
                rest = vm.group("units")  # 责任单位：X按职责分工负责
            self._add(self.label_role, split_units(rest))
            return
        vm = _VERB_RE.match(clause)
        if vm and looks_like_units(vm.group("units")):
            self._verb(vm)
            return
        if self.label_role is not None and _names_only(clause):
            self._add(self.label_role, split_units(clause))  # a labelled list running on
            return
        if not looks_like_units(clause):
            self.ann.notes.append(clause)
            return
        if self.label_role is not None:
            self._add(self.label_role, split_units(clause))
            return
        self.pending.extend(split_units(clause))

    def _convention(self, clause: str) -> bool:
        if _CONVENTION_FIRST_RE.search(clause):
            self.convention.first_is_lead = True
            self.ann.notes.append(f"文件约定：{clause}")
            return True
        if _BLANKET_RE.match(clause):
            if clause != "下同":
                self.convention.blanket.append(clause)
                self.ann.notes.append(f"文件约定：{clause}")
            return True
        return False

    def _verb(self, vm: re.Match[str]) -> None:
        units = self.pending + split_units(vm.group("units"))
        self.pending = []
        self.label_role = None
        verb = vm.group("verb")
        if vm.group("with"):
            self._add("lead", units)
            self._add("responsible", split_units(vm.group("with")))
        elif verb.startswith("牵头"):
            self._add("lead", units)
        elif "分工" in verb or verb in _RESPONSIBLE_VERBS:
            self._add("responsible", units)
        else:  # 负责 / 落实: the convention decides whether the first leads
            self.bare.extend(units)

    def finish(self) -> Annotation:
        ann = self.ann
        bare = self.bare + self.pending
        if bare and self.convention.first_is_lead and not ann.lead:
            ann.lead.append(bare[0])
            ann.notes.append(f"按文件约定，列第一位的「{bare[0]}」为牵头单位")
            bare = bare[1:]
        ann.responsible.extend(bare)
        ann.lead = list(dict.fromkeys(ann.lead))
        ann.responsible = [u for u in dict.fromkeys(ann.responsible) if u not in ann.lead]
        return ann


_BOUNDARY = "。；;，,！？!?" + OPEN


#: a line (or the rest of one) that is itself a labelled list: 牵头单位：区发改局
_LABEL_LINE_RE = re.compile(
    rf"(?m)^[ \t]*((?:{_LABELS}|{'|'.join(PERSON_LABELS)})\s*[:：][^\n]*)$"
)


def find_annotations(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, body)`` of every top-level bracket whose content is an annotation,
    and of every line that is a labelled list without brackets (牵头单位：X)."""
    found = _bracketed(text)
    for m in _LABEL_LINE_RE.finditer(text):
        if not any(start <= m.start() < end for start, end, _ in found):
            found.append((m.start(), m.end(), m.group(1)))
    return sorted(found)


def starts_with_label(text: str) -> bool:
    """Whether a paragraph is a labelled list (牵头单位：… / 责任单位：…)."""
    return _LABEL_RE.match(text) is not None


def _bracketed(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in _PAIRS:
            end = _matching(text, i)
            if end is None:
                i += 1
                continue
            body = text[i + 1 : end]
            after = text[end + 1 : end + 2]
            if is_annotation(body, at_boundary=after in ("", "\n") or after in _BOUNDARY):
                found.append((i, end + 1, body))
            i = end + 1
        else:
            i += 1
    return found


_OPEN_UNITS_RE = re.compile(f"^[\u4e00-\u9fff]{{1,30}}{ORGAN_END}?")


def find_open_annotation(text: str) -> tuple[int, str] | None:
    """A bracket left open at the end of a text cut off inside its units."""
    for i in range(len(text) - 1, max(-1, len(text) - 200), -1):
        if text[i] in CLOSE:
            return None
        if text[i] in OPEN:
            body = text[i + 1 :]
            if body and (_LABEL_RE.match(body) or _OPEN_UNITS_RE.match(body)):
                return i, body
            return None
    return None


def _matching(text: str, start: int) -> int | None:
    depth = 0
    for j in range(start, min(len(text), start + 600)):
        if text[j] in OPEN:
            depth += 1
        elif text[j] in CLOSE:
            depth -= 1
            if depth == 0:
                return j
    return None


def states_first_is_lead(text: str) -> bool:
    """Whether a text states the first-listed-unit-leads convention."""
    return _CONVENTION_FIRST_RE.search(text) is not None
