"""Stage 2, ``segment``: pieces -> a ``Document`` with preface, formula, preamble, operative part,
conclusions and footnote bodies.

Assumes: ``normalise`` ran (one piece per block; footnote bodies are pieces of kind ``footnote``).

Guarantees, after this stage:

1. ``kind`` is ``resolution`` or ``decision`` when an enacting formula (``大会，``, ``人权理事会，``,
   ``安全理事会，``, ...) or a decision header was found, ``statement`` for a titled text of
   numbered paragraphs (a CD statement or working paper), ``document`` when nothing was recognised.
2. Every body piece is in exactly one place: a preface line, the formula, a preambular paragraph,
   an operative paragraph or sub-paragraph (``(a)``, ``(i)``, ``(一)``), a heading, a conclusions
   line.  Nothing is dropped; what cannot be placed is kept and reported.
3. Paragraph numbers are checked for sequence: ``N. `` opens paragraph N only when N follows on;
   a skip is reported (``segment.numbering-gap``) with its line.
4. Footnote bodies are in ``Document.footnotes`` (marker, text, span), citations not yet resolved;
   markers in the text are ``NoteRef`` runs.  A footnote body continued after a page break without
   a marker is rejoined to its body.
5. Metadata read from the text: symbol, body, number, session, agenda items and titles, adoption
   date, committee report, title, meeting, vote, submitter.

Example::

    76/53. 国际法院关于……的后续行动     -> preface Line(role="title"), metadata.number "76/53"
    大会，                               -> formula
    回顾其……决议，                       -> preamble[0]
    1. **再次着重指出**国际法院……；       -> body[0]: Operative(num="1.", runs [bold, text])
"""

from __future__ import annotations

import re

from ..bodies import BY_CODE, BY_NAME, NAMES, code_of
from ..context import Context
from ..model import (
    AgendaItem,
    Annex,
    CommitteeReport,
    Document,
    Footnote,
    Heading,
    Line,
    Metadata,
    Operative,
    Paragraph,
    Part,
    Point,
    Span,
    Text,
    plain,
)
from .inline import inlines, join_runs, strip_runs
from .marks import mark_lines
from .metadata import cn_number, complete, iso_date
from .normalise import Normalised, Piece
from .patterns import (
    AGENDA,
    ANNEX,
    CN_NUM,
    DATE_ONLY,
    FOOTNOTE_LINE,
    FORMULA,
    HEADING_CN,
    HEADING_LATIN,
    MEETING,
    NUMBER_TITLE,
    PARA_NUM,
    PARAGRAPH_START,
    POINT_CN,
    POINT_LATIN,
    POINT_ROMAN,
    SESSION,
    SUP_TO_DIGIT,
    SUPERSCRIPTS,
    VOTE_OPEN,
    S,
    block_opener,
)

SC = BY_CODE["un-sc"]
ADOPTION = re.compile(
    f"^(?:({NAMES}){S})?\\d{{4}}{S}年{S}\\d{{1,2}}{S}月{S}\\d{{1,2}}{S}日{S}(?:通过的)?(?:({NAMES}))?(?:决议|决定)$"
)
REPORT = re.compile(
    r"^\[根据(.+?)的报告[(（]([^,，)）]+?)(?:[,，]" + S + r"第" + S + r"([\d、和至 ]+?)" + S + r"段)?[)）]通过\]$"
)
NO_COMMITTEE = re.compile(r"^\[未经发交(?:主要)?委员会而通过[(（]([^)）]+)[)）]\]$")
DECISION_HEAD = re.compile(f"^第{S}((?:S-)?\\d+/\\d+){S}号决定[:：]?{S}(.*)$")
SC_NUMBER = re.compile(f"^第{S}(\\d{{1,5}}){S}[(（](\\d{{4}})[)）]{S}号决议$")
SC_ADOPTION = re.compile(
    f"^(\\d{{4}}{S}年{S}\\d{{1,2}}{S}月{S}\\d{{1,2}}{S}日){S}({SC.chinese}){S}(第{S}\\d+{S}次会议){S}通过$"
)
PRST = re.compile(f"^{SC.chinese}主席(?:的)?声明$")
PRST_INTRO = re.compile(f"(?:{SC.chinese}主席.{{0,12}}(?:发表|宣读)(?:了)?(?:下列|如下)?声明|次会议上.*声明[：:]?$)")
PART_MARK = re.compile(r"^([A-Z])\.?$")
ANNEX_NUM = re.compile(f"^第[{CN_NUM}\\d]+条{S}")
SUBMITTER = re.compile(r"^(.+?)(?:提交|提出)$")
ROMAN = [
    "i",
    "ii",
    "iii",
    "iv",
    "v",
    "vi",
    "vii",
    "viii",
    "ix",
    "x",
    "xi",
    "xii",
    "xiii",
    "xiv",
    "xv",
    "xvi",
    "xvii",
    "xviii",
    "xix",
    "xx",
]
_TERMINAL = "。.;；)）]】"


def span(piece: Piece) -> Span:
    return Span(start=piece.first_line, end=piece.last_line)


def letter_seq(n: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa (UN style doubles the letter)."""
    return chr(97 + n % 26) * (n // 26 + 1)


LETTERS = [letter_seq(n) for n in range(52)]


class Segmenter:
    def __init__(self, norm: Normalised, ctx: Context):
        self.norm = norm
        self.ctx = ctx
        self.meta = Metadata()
        self.doc = Document(source=ctx.source, metadata=self.meta)  # no copy of the default made
        self.body_pieces = [p for p in norm.pieces if p.kind == "body"]
        self.decision_header = False  # the preface says the document is a decision
        self._conclusion: dict[int, bool] = {}  # id(piece) -> is_conclusion (the pieces outlive it)

    # ------------------------------------------------------------------ entry

    def run(self) -> Document:
        doc = self.doc
        doc.removed = list(self.norm.removed)
        self.footnotes()
        pieces, annexes = self.split_annexes(self.body_pieces)
        formula_at = next((k for k, p in enumerate(pieces) if FORMULA.match(p.key)), None)
        head_at = next((k for k, p in enumerate(pieces[:15]) if self.is_header_end(p)), None)
        prst_at = next((k for k, p in enumerate(pieces[:8]) if PRST.match(p.key)), None)
        parts = self.part_starts(pieces)
        if prst_at is not None and (formula_at is None or formula_at > prst_at + 3):
            doc.kind = "presidentialStatement"
            self.meta.body = SC.code
            self.preface(pieces[: prst_at + 1])
            k = prst_at + 1
            if k < len(pieces) and PRST_INTRO.search(pieces[k].key):
                self.preface(pieces[k : k + 1])
                k += 1
            self.main(pieces[k:], preamble=False, target=doc)
        elif parts:
            self.preface(pieces[: parts[0]])
            doc.kind = "decision" if self.is_decision() else "resolution"
            for n, start in enumerate(parts):
                end = parts[n + 1] if n + 1 < len(parts) else len(pieces)
                self.part(pieces[start:end])
        elif formula_at is not None and (head_at is None or formula_at <= head_at + 3):
            self.preface(pieces[:formula_at])
            self.formula(doc, pieces[formula_at])
            doc.kind = "decision" if self.is_decision() else "resolution"
            self.main(pieces[formula_at + 1 :], preamble=True, target=doc)
        elif head_at is not None:
            self.preface(pieces[: head_at + 1])
            doc.kind = "decision" if self.is_decision() else "resolution"
            self.main(pieces[head_at + 1 :], preamble=False, target=doc)
        elif self.looks_like_statement(pieces):
            doc.kind = "statement"
            self.statement(pieces)
        else:
            doc.kind = "document"
            self.unstructured(pieces, 0)
        for group in annexes:
            self.annex(group)
        complete(self.doc, self.meta, self.ctx)
        doc.metadata = self.meta
        mark_lines(doc)
        return doc

    def formula(self, target, p: Piece) -> None:
        m = FORMULA.match(p.key)
        self.set_body(code_of(m.group(1)))
        target.formula = Paragraph(inlines=inlines(p), span=span(p))

    def is_header_end(self, p: Piece) -> bool:
        """The last preface line of a document without formula: a decision header or a resolution
        number and title, or a Security Council resolution number."""
        return bool(
            DECISION_HEAD.match(p.key)
            or SC_NUMBER.match(p.key)
            or (NUMBER_TITLE.match(p.key) and not PARA_NUM.match(p.key))
        )

    # ------------------------------------------------------------------ parts and annexes

    def part_starts(self, pieces: list[Piece]) -> list[int]:
        """Indexes of part markers (``A``, ``B.``) each followed, within three blocks and before
        the next marker, by a formula."""
        starts = []
        for k, p in enumerate(pieces):
            if not PART_MARK.match(p.key):
                continue
            for q in pieces[k + 1 : k + 4]:
                if PART_MARK.match(q.key):
                    break
                if FORMULA.match(q.key):
                    starts.append(k)
                    break
        letters = [PART_MARK.match(pieces[k].key).group(1) for k in starts]
        if len(starts) >= 2 and letters == [chr(65 + n) for n in range(len(letters))]:
            return starts
        return []

    def part(self, pieces: list[Piece]) -> None:
        """One part: its marker, title lines, formula, preamble, operative part and closing lines
        (``part_starts`` made sure a formula comes before the next marker)."""
        mark = pieces[0]
        formula_at = next(k for k, p in enumerate(pieces) if FORMULA.match(p.key))
        part = Part(
            num=PART_MARK.match(mark.key).group(1),
            span=span(mark),
            heading=[r for p in pieces[1:formula_at] for r in inlines(p)],
        )
        self.doc.body.append(part)
        self.formula(part, pieces[formula_at])
        self.main(pieces[formula_at + 1 :], preamble=True, target=part)
        part.span.end = max([part.span.end] + [x.span.end for x in part.preamble + part.body])

    def split_annexes(self, pieces: list[Piece]) -> tuple[list[Piece], list[list[Piece]]]:
        """Annexes start at a ``附件`` line after the operative part or the closing lines."""
        seen_body = False
        starts = []
        for k, p in enumerate(pieces):
            if PARA_NUM.match(p.key) or self.is_conclusion(p) or p.key.endswith("。"):
                seen_body = True
            elif seen_body and ANNEX.match(p.key):
                starts.append(k)
        if not starts:
            return pieces, []
        groups = [pieces[a:b] for a, b in zip(starts, starts[1:] + [len(pieces)], strict=True)]
        return pieces[: starts[0]], groups

    def annex(self, pieces: list[Piece]) -> None:
        annex = Annex(span=Span(start=pieces[0].first_line, end=pieces[-1].last_line))
        annex.heading.append(Line(role="annex", inlines=inlines(pieces[0]), span=span(pieces[0])))
        rest = pieces[1:]
        if (
            rest
            and len(rest[0].key) < 60
            and not rest[0].key.endswith(("，", "。", "；"))
            and not PARA_NUM.match(rest[0].key)
        ):
            annex.heading.append(Line(role="title", inlines=inlines(rest[0]), span=span(rest[0])))
            rest = rest[1:]
        for p in rest:
            m = PARA_NUM.match(p.key) or ANNEX_NUM.match(p.key)
            annex.blocks.append(
                Operative(num=m.group(0).strip() if m else None, inlines=inlines(p, m.end() if m else 0), span=span(p))
            )
        self.doc.annexes.append(annex)

    # ------------------------------------------------------------------ footnote bodies

    def footnotes(self) -> None:
        """Footnote pieces -> ``Footnote``; a body that continues at the next page end without a
        marker (a body piece standing alone between a page break and the next footnote block, after
        a footnote that did not end a sentence) is rejoined."""
        seen: dict[str, Footnote] = {}
        self.continuations: set[int] = set()
        pieces = self.norm.pieces
        last_note: Footnote | None = None
        for k, p in enumerate(pieces):
            if p.kind == "footnote":
                m = FOOTNOTE_LINE.match(p.key)
                run, start = (m.group(1), m.end()) if m else (p.key, len(p.key))  # else a bare marker
                marker = run.translate(SUP_TO_DIGIT)
                note = Footnote(marker=marker, inlines=inlines(p, start), span=span(p))
                if marker in seen:
                    self.ctx.report(
                        "footnote.duplicate-body",
                        p.first_line,
                        f"footnote {marker} has a second body (first on line {seen[marker].span.start}); both are kept",
                    )
                seen.setdefault(marker, note)
                self.doc.footnotes.append(note)
                last_note = note
            elif (
                last_note is not None
                and plain(last_note.inlines).rstrip()[-1:] not in _TERMINAL
                and not block_opener(p.key)
                and (k + 1 == len(pieces) or pieces[k + 1].kind == "footnote" or p.page_break_after)
                and self._looks_like_note_tail(p)
            ):
                last_note.inlines = join_runs(last_note.inlines, inlines(p), " ")
                last_note.span.end = p.last_line
                self.continuations.add(id(p))
                self.ctx.report(
                    "footnote.continued",
                    p.first_line,
                    f"footnote {last_note.marker} continues on line {p.first_line} after a page break",
                )
                last_note = None
        if self.continuations:
            self.body_pieces = [p for p in self.body_pieces if id(p) not in self.continuations]

    @staticmethod
    def _looks_like_note_tail(p: Piece) -> bool:
        """Short, and not shaped like a paragraph of the body: it neither ends a clause nor opens
        like a paragraph (a quotation, an operative or preambular verb, a body's name)."""
        key = p.key
        return (
            len(key) < 200
            and not FORMULA.match(key)
            and not key.endswith(("，", "；"))
            and not key.startswith(("“", "‘", "「", "**"))
            and not PARAGRAPH_START.match(key)
            and not any(key.startswith(name) for name in BY_NAME)
        )

    # ------------------------------------------------------------------ preface

    def preface(self, pieces: list[Piece]) -> None:
        after_agenda = False
        titles: list[str] = []
        for p in pieces:
            text = p.key
            runs = inlines(p)
            role = "other"
            if m := SESSION.match(text):
                role = "session"
                self.meta.session = str(cn_number(m.group(1)) or m.group(1))
                self.meta.session_text = p.text
            elif m := AGENDA.match(text):
                role = "agenda"
                for num in re.split(r"\s*(?:和|及|、|,|，)\s*", m.group(1)):
                    if num:
                        self.meta.agenda_items.append(AgendaItem(number=num.strip()))
                after_agenda = True
                self.doc.preface.append(Line(role=role, inlines=runs, span=span(p)))
                continue
            elif m := SC_NUMBER.match(text):
                role = "number"
                self.meta.number = f"{m.group(1)} ({m.group(2)})"
                self.set_body(SC.code)
            elif m := SC_ADOPTION.match(text):
                role = "date"
                self.meta.adoption_date = iso_date(text)
                self.meta.meeting = m.group(3)
                self.set_body(SC.code)
            elif PRST.match(text):
                role = "title"
                self.meta.title = p.text
            elif PRST_INTRO.search(text):
                role = "date"
                self.meta.adoption_date = iso_date(text)
                if mm := re.search(f"第{S}\\d+{S}次会议", text):
                    self.meta.meeting = mm.group(0)
            elif text in BY_NAME:
                role = "body"
                self.set_body(code_of(text))
            elif m := ADOPTION.match(text):
                role = "date"
                self.meta.adoption_date = iso_date(text)
                self.set_body(code_of(m.group(1) or m.group(2)))
                if text.endswith("决定"):
                    self.decision_header = True
            elif m := REPORT.match(text):
                role = "committeeReport"
                self.meta.committee_report = CommitteeReport(
                    committee=m.group(1),
                    symbol=re.split(r"\s*(?:和|、|,|，)\s*", m.group(2).strip())[0],
                    paragraph=(m.group(3) or "").strip() or None,
                )
            elif m := NO_COMMITTEE.match(text):
                role = "committeeReport"
                first = re.split(r"\s*(?:和|、|,|，)\s*", m.group(1))[0]
                self.meta.committee_report = CommitteeReport(committee=None, symbol=first.strip())
            elif m := DECISION_HEAD.match(text):
                role = "number"
                self.meta.number = m.group(1)
                self.meta.title = plain(inlines(p, m.start(2))) or None
                self.decision_header = True
            elif m := NUMBER_TITLE.match(text):
                role = "title"
                self.meta.number = m.group(1).replace(" ", "")
                self.meta.title = plain(inlines(p, m.start(2)))
            elif after_agenda and self.meta.agenda_items:
                role = "agendaTitle"
                titles.append(plain(runs))
                self.doc.preface.append(Line(role=role, inlines=runs, span=span(p)))
                continue
            else:
                self.ctx.report(
                    "segment.unclassified", p.first_line, f"preface line not recognised, kept as is: {text[:40]}"
                )
            after_agenda = False
            self.doc.preface.append(Line(role=role, inlines=runs, span=span(p)))
        self.agenda_titles(titles)

    def agenda_titles(self, titles: list[str]) -> None:
        """One title per agenda item when there are as many titles as items (``议程项目 15 和 116``
        then two titles); otherwise the lines are one wrapped title."""
        items = self.meta.agenda_items
        if not titles or not items:
            return
        if len(items) > 1 and len(titles) == len(items):
            for item, title in zip(items, titles, strict=True):
                item.title = title
        else:
            items[-1].title = "".join(titles)

    def is_decision(self) -> bool:
        return self.decision_header

    def set_body(self, code: str | None) -> None:
        """The body the text names first is the document's (a side-car or --body may override it)."""
        if code and not self.meta.body:
            self.meta.body = code

    # ------------------------------------------------------------------ preamble and operative part

    def main(self, pieces: list[Piece], preamble: bool, target) -> bool:
        """Preamble (when ``preamble``), then the operative part, into ``target`` (the document or
        a part).  Returns True when the closing lines were reached (and segmented)."""
        k = 0
        if preamble:
            while k < len(pieces) and not self.starts_body(pieces, k):
                if self.is_conclusion(pieces[k]):
                    break
                target.preamble.append(Paragraph(inlines=inlines(pieces[k]), span=span(pieces[k])))
                k += 1
            if (
                (k == len(pieces) or self.is_conclusion(pieces[k]))
                and target.preamble
                and plain(target.preamble[-1].inlines).rstrip()[-1:] == "。"
            ):
                # no numbered paragraphs: the sentence that ends with 。 is the operative part
                # (decisions such as the HRC's UPR outcomes), preambular paragraphs end with ，
                last = target.preamble.pop()
                target.body.append(Operative(num=None, inlines=last.inlines, span=last.span))
        expected = 1
        current: Operative | None = None
        body = target.body
        while k < len(pieces):
            p = pieces[k]
            text = p.key
            if self.is_conclusion(p):
                self.conclusions(pieces[k:], target)
                return True
            m = PARA_NUM.match(text)
            if m:
                n = int(m.group(1))
                ok = n == expected or (n == 1 and bool(body) and isinstance(body[-1], Heading))
                if not ok and expected < n <= expected + 5:
                    self.ctx.report(
                        "segment.numbering-gap",
                        p.first_line,
                        f"paragraph {n} follows paragraph {expected - 1}; "
                        f"{'paragraphs' if n - expected > 1 else 'paragraph'} "
                        f"{expected}{'-' + str(n - 1) if n - expected > 1 else ''} missing",
                    )
                    ok = True
                if ok:
                    current = Operative(num=f"{n}.", inlines=[], span=span(p))
                    self.fill(current, p, m.end())
                    body.append(current)
                    expected = n + 1
                    k += 1
                    continue
            if current is not None and self.add_point(current, p):
                k += 1
                continue
            h = HEADING_CN.match(text) or HEADING_LATIN.match(text)
            if h and len(text) < 80 and not text.endswith(("；", "。", "，")):
                body.append(Heading(num=h.group(0).strip(), inlines=inlines(p, h.end()), span=span(p)))
                current = None
                k += 1
                continue
            if current is None and not body:
                if preamble and not text.startswith("**"):  # more preamble: keep order
                    target.preamble.append(Paragraph(inlines=inlines(p), span=span(p)))
                    k += 1
                    continue
                if k == 0 or text.startswith("**") or not any(PARA_NUM.match(q.key) for q in pieces):
                    # decisions and statements often have unnumbered paragraphs only; sub-paragraphs
                    # that follow belong to them
                    current = Operative(num=None, inlines=[], span=span(p))
                    self.fill(current, p, 0)
                    body.append(current)
                    k += 1
                    continue
                self.unstructured(pieces[k:], p.first_line)
                return False
            # a short unnumbered line that ends no sentence, before a numbered paragraph: a heading
            nxt = pieces[k + 1].key if k + 1 < len(pieces) else ""
            before = plain(self.last_runs(current or body[-1])).rstrip(SUPERSCRIPTS + " ")
            if (
                len(text) <= 60
                and text.rstrip(SUPERSCRIPTS + "*")[-1:] not in "。；，：.;,:"
                and before[-1:] in "。；;."
                and PARA_NUM.match(nxt)
            ):
                body.append(Heading(num=None, inlines=inlines(p), span=span(p)))
                current = None
                k += 1
                continue
            # an unnumbered block inside the operative part: it continues the last block
            last = current or body[-1]
            if isinstance(last, Heading) or (isinstance(last, Operative) and last.num is None and not last.points):
                body.append(Operative(num=None, inlines=inlines(p), span=span(p)))
                k += 1
                continue
            target_runs = self.last_runs(last)
            self.ctx.report(
                "segment.unclassified",
                p.first_line,
                "an unnumbered block in the operative part was joined to the block before it",
            )
            target_runs.extend([Text(text="\n")] + inlines(p))
            last.span.end = p.last_line
            k += 1
        return False

    def starts_body(self, pieces: list[Piece], k: int) -> bool:
        """The operative part starts at paragraph 1, at a heading just before it, or at an
        unnumbered paragraph opening with a bold operative verb (preambular ones never do)."""
        text = pieces[k].key
        if text.startswith("**"):
            return True
        m = PARA_NUM.match(text)
        if m and m.group(1) == "1":
            return True
        h = HEADING_CN.match(text) or HEADING_LATIN.match(text)
        if h and len(text) < 80 and k + 1 < len(pieces):
            m = PARA_NUM.match(pieces[k + 1].key)
            return bool(m and m.group(1) == "1")
        return False

    def is_conclusion(self, p: Piece) -> bool:
        """A closing line: a date, a meeting, a vote (asked several times a piece: remembered)."""
        known = self._conclusion.get(id(p))
        if known is None:
            key = p.key
            known = self._conclusion[id(p)] = bool(
                DATE_ONLY.match(key)
                or MEETING.match(key)
                or (VOTE_OPEN.match(key) and ("通过" in key or "表决" in key))
            )
        return known

    def last_runs(self, item) -> list:
        if isinstance(item, Operative) and item.points:
            pt = item.points[-1]
            while pt.points:
                pt = pt.points[-1]
            return pt.inlines
        return item.inlines

    def fill(self, op: Operative, p: Piece, start: int) -> None:
        """Text of a numbered paragraph; sub-paragraphs folded into the line (``…如下： (a) …；
        (b) …``) become points."""
        cuts = self.inline_points(p.key, start)
        if not cuts:
            op.inlines = inlines(p, start)
            return
        op.inlines = strip_runs(inlines(p, start, cuts[0][0]))
        for n, (_start, e, label) in enumerate(cuts):
            end = cuts[n + 1][0] if n + 1 < len(cuts) else len(p.key)
            pt = Point(num=f"({label})", inlines=[], span=span(p))
            sub = self.inline_points(p.key, e, end, roman=True)
            if sub:
                pt.inlines = strip_runs(inlines(p, e, sub[0][0]))
                for j, (_start2, e2, label2) in enumerate(sub):
                    end2 = sub[j + 1][0] if j + 1 < len(sub) else end
                    pt.points.append(Point(num=f"({label2})", inlines=strip_runs(inlines(p, e2, end2)), span=span(p)))
            else:
                pt.inlines = strip_runs(inlines(p, e, end))
            op.points.append(pt)

    @staticmethod
    def inline_points(text: str, start: int, end: int | None = None, roman: bool = False) -> list[tuple[int, int, str]]:
        """Positions of folded sub-paragraph labels in ``text[start:end]``: a chain ``(a)``,
        ``(b)``, ... (or ``(i)``, ``(ii)``, ...) each after a colon, semicolon or space.  Needs at
        least two labels in sequence."""
        end = len(text) if end is None else end
        if ("(i)" if roman else "(a)") not in text[start:end]:
            return []
        labels = ROMAN if roman else LETTERS
        out: list[tuple[int, int, str]] = []
        pos = start
        for label in labels:
            pat = re.compile(r"(?:(?<=[：:；;。，])|(?<= ))\(" + label + r"\) ?")
            m = pat.search(text, pos, end)
            if not m:
                break
            before = text[max(start, m.start() - 8) : m.start()].rstrip(SUPERSCRIPTS + " ")
            if not out and not before.endswith(("：", ":")):
                break
            out.append((m.start(), m.end(), label))
            pos = m.end()
        return out if len(out) >= 2 else []

    def add_point(self, op: Operative, p: Piece) -> bool:
        """A sub-paragraph on its own line: ``(a) …``, ``(i) …``, ``(一) …``."""
        text = p.key
        latin = POINT_LATIN.match(text)
        roman = POINT_ROMAN.match(text)
        cn = POINT_CN.match(text)
        if not (latin or roman or cn):
            return False
        top = op.points
        last = top[-1] if top else None
        if roman and roman.group(1):
            label = roman.group(1)
            expected_latin = letter_seq(len(top)) if top else "a"
            nested = last is not None and (
                (label == "i" and expected_latin != "i")
                or (label != "i" and last.points and last.points[-1].num.strip("()") in ROMAN)
            )
            if nested:
                last.points.append(Point(num=f"({label})", inlines=inlines(p, roman.end()), span=span(p)))
                last.span.end = p.last_line
                op.span.end = p.last_line
                return True
        m = latin or cn or roman
        label = m.group(1)
        if latin and label != letter_seq(len(top)) and not cn:
            self.ctx.report(
                "segment.point-sequence",
                p.first_line,
                f"sub-paragraph ({label}) follows {top[-1].num if top else 'no sub-paragraph'}",
            )
        op.points.append(
            Point(num=f"({label})" if not cn else m.group(0).strip(), inlines=inlines(p, m.end()), span=span(p))
        )
        op.span.end = p.last_line
        return True

    # ------------------------------------------------------------------ conclusions

    def conclusions(self, pieces: list[Piece], target=None) -> None:
        """Closing lines: date, meeting, vote.  In a multi-part resolution each part may close
        with its own; they stay with the part (``target``)."""
        lines = target.conclusions if isinstance(target, Part) else self.doc.conclusions
        in_vote = False
        vote: list[str] = []  # a recorded vote runs over several lines, up to its closing bracket
        for p in pieces:
            text = p.key
            if in_vote or VOTE_OPEN.match(text):
                role = "vote"
                in_vote = not text.endswith("]")  # the key reads ］ as ]
                vote.append(p.text)
            elif DATE_ONLY.match(text):
                role = "date"
                if not self.meta.adoption_date:
                    self.meta.adoption_date = iso_date(text)
            elif MEETING.match(text):
                role = "meeting"
                self.meta.meeting = p.text
            else:
                role = "other"
                self.ctx.report(
                    "segment.text-after-conclusions",
                    p.first_line,
                    f"text after the closing lines, kept in the conclusions: {text[:40]}",
                )
            lines.append(Line(role=role, inlines=inlines(p), span=span(p)))
        if vote and not self.meta.vote:
            self.meta.vote = "\n".join(vote)

    # ------------------------------------------------------------------ statements and the rest

    @staticmethod
    def looks_like_statement(pieces: list[Piece]) -> bool:
        """Numbered paragraphs from 1, or a title line (no closing punctuation) followed by
        paragraphs that end sentences (a letter)."""
        nums = [int(m.group(1)) for p in pieces if (m := PARA_NUM.match(p.key))]
        if len(nums) >= 2 and nums[0] == 1 and nums[1] == 2:
            return True
        return (
            len(pieces) >= 2
            and pieces[0].key[-1:] not in "。；，"
            and any(p.key.rstrip(SUPERSCRIPTS)[-1:] == "。" for p in pieces[1:])
        )

    def statement(self, pieces: list[Piece]) -> None:
        """A statement, working paper or letter: title, submitter or date lines, then numbered or
        unnumbered paragraphs, and a signature (short lines after the last sentence)."""
        k = 0
        while (
            k < len(pieces)
            and not self.starts_body(pieces, k)
            and not (k and pieces[k].key.rstrip(SUPERSCRIPTS)[-1:] in "。；")
        ):
            p = pieces[k]
            if k == 0:
                role = "title"
                self.meta.title = p.text
            elif m := SUBMITTER.match(p.key):
                role = "submitter"
                self.meta.submitter = p.text[: m.end(1)].strip()
            elif iso_date(p.key) and len(p.key) < 30:
                role = "date"
                self.meta.adoption_date = iso_date(p.key)
            else:
                role = "other"
            self.doc.preface.append(Line(role=role, inlines=inlines(p), span=span(p)))
            k += 1
        end = len(pieces)
        while (
            end > k + 1
            and len(pieces[end - 1].key) < 40
            and pieces[end - 1].key.rstrip(SUPERSCRIPTS)[-1:] not in "。；，：.;:,"
        ):
            end -= 1
        self.main(pieces[k:end], preamble=False, target=self.doc)
        for p in pieces[end:]:
            self.doc.conclusions.append(Line(role="signature", inlines=inlines(p), span=span(p)))

    def unstructured(self, pieces: list[Piece], line: int) -> None:
        """Keep the rest of the text, one paragraph per block, and say where structure stopped."""
        self.doc.structured = False
        first = pieces[0].first_line if pieces else line
        self.ctx.report(
            "segment.no-structure", first, f"no recognisable structure from line {first}; the text is kept unstructured"
        )
        for p in pieces:
            self.doc.body.append(Operative(num=None, inlines=inlines(p), span=span(p)))


def segment(norm: Normalised, ctx: Context) -> Document:
    """The stage: ``Normalised`` -> ``Document``."""
    return Segmenter(norm, ctx).run()
