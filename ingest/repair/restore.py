"""Restore Vietnamese diacritics in OCR text: noisy-channel decoding over syllables.

For every OCR word the channel (`confusions.RULES`, searched against the trie of known
syllable keys) proposes diacritic-free keys with a cost, each key stands for the
accented syllables that fold to it, and a Viterbi search over the syllable trigram
model picks the sequence maximising  log P_LM(syllables) - CHANNEL_WEIGHT * cost.
Numbers, document codes and words that are not Vietnamese (no candidate beats
keeping them) are left as they are; casing is copied from the OCR word.

`repair_text` is a pure function of its input and the model. Its offsets map every
repaired character to the input character it came from, so a span found in the
repaired text can be traced to the exact OCR characters.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .confusions import DOUBLED_LETTER_COST, rules_by_first_char
from .detect import DOCUMENT_THRESHOLD, LineScore, line_needs_repair, token_counts
from .lm import BOS, EOS, NUM, UNK
from .model import END, RepairModel, load_model
from .tokens import Token, fold, split_line, syllable_key

CHANNEL_WEIGHT = 1.0  # nats of channel cost traded for one nat of LM log-probability
KEEP_COST = 6.0  # channel cost of leaving a non-syllable word unchanged (a foreign word, a name)
MAX_COST = 5.0  # rewrites dearer than this are not considered
MAX_CANDIDATES = 16  # per word, best by unigram score minus channel cost
PER_KEY = 6  # accentuations kept per rewritten key (all are kept for the word's own key)
KEEP_TOP = 2  # candidates kept whatever their neighbours (see Restorer.prune)
MAX_PRUNED = 8


@dataclass(frozen=True)
class Change:
    start: int  # in the input text
    end: int
    before: str
    after: str
    confidence: float


@dataclass(frozen=True)
class LineConfidence:
    line: int  # 0-based line number in the input
    start: int
    end: int
    score: float  # diacritic score of the input line
    repaired: bool  # whether the line was decoded at all
    confidence: float  # mean posterior of the chosen words (1.0 if not repaired)


@dataclass(frozen=True)
class RepairResult:
    text: str
    offsets: list[int]  # len(text) + 1 entries: input index of each repaired character
    changes: list[Change]
    line_confidence: list[LineConfidence]
    model_version: str

    @property
    def changed_words(self) -> int:
        return len(self.changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "model_version": self.model_version,
            "text": self.text,
            "changed_words": self.changed_words,
            "lines": [vars(lc) for lc in self.line_confidence],
            "changes": [vars(c) for c in self.changes],
        }


@dataclass(frozen=True)
class _Cand:
    word: int  # LM id (UNK for "keep as is" / abbreviations)
    cost: float
    surface: str | None  # lower-case replacement, None = keep the OCR word


class Restorer:
    """Decoder bound to one model; caches the channel search per distinct OCR word."""

    def __init__(self, model: RepairModel, channel_weight: float = CHANNEL_WEIGHT) -> None:
        self.model = model
        self.lm = model.lm
        self.alpha = channel_weight
        self.rules = rules_by_first_char()
        self.candidates = lru_cache(maxsize=200_000)(self._candidates)
        self._num = self.lm.index[NUM]
        self._unk = self.lm.index[UNK]
        self._bos = self.lm.index[BOS]
        self._eos = self.lm.index[EOS]
        V = self.lm.size
        succ: dict[int, set[int]] = {}
        pred: dict[int, set[int]] = {}
        for key in self.lm.bi:
            u, w = divmod(key, V)
            succ.setdefault(u, set()).add(w)
            pred.setdefault(w, set()).add(u)
        self.successors = succ
        self.predecessors = pred
        self.decode_segment = lru_cache(maxsize=50_000)(self._decode_segment)

    # ---- channel -------------------------------------------------------------------
    def keys(self, word: str) -> dict[str, float]:
        """Syllable keys the OCR word may stand for, with their channel cost."""
        low = word.lower()
        found: dict[str, float] = {}
        stack = [(0, self.model.trie, "", 0.0)]
        n = len(low)
        while stack:
            i, node, out, cost = stack.pop()
            if i == n:
                if END in node and cost < found.get(out, math.inf):
                    found[out] = cost
                continue
            c = low[i]
            base = fold(c)
            if base.isascii() and base.isalpha():
                nxt = node.get(base)
                if nxt is not None:
                    stack.append((i + 1, nxt, out + base, cost))
            if i + 1 < n and low[i + 1] == c and c.isalpha():
                stack.append((i + 1, node, out, cost + DOUBLED_LETTER_COST))
            for rule in self.rules.get(c, ()):
                if rule.at_start and i:
                    continue
                if rule.needs_upper and not word[i].isupper():
                    continue
                if not low.startswith(rule.ocr, i):
                    continue
                nc = cost + rule.cost
                if nc > MAX_COST:
                    continue
                nd = node
                for ch in rule.plain:
                    nd = nd.get(ch)
                    if nd is None:
                        break
                if nd is not None:
                    stack.append((i + len(rule.ocr), nd, out + rule.plain, nc))
        return found

    def _candidates(self, word: str) -> tuple[_Cand, ...]:
        own_id = self.lm.index.get(word.lower(), self._unk)  # the word as context, if known
        if _is_marker(word):
            return (_Cand(own_id, 0.0, None),)
        letters = [c for c in word if c.isalpha()]
        if len(letters) >= 2 and all(c.isupper() for c in letters):
            abbr = self.model.abbreviations.get(fold(word))
            if abbr is not None:
                return (_Cand(self.lm.index.get(abbr.lower(), self._unk), 0.0, abbr.lower()),)
            if syllable_key(word) not in self.model.by_key:
                return (_Cand(own_id, 0.0, None),)  # an abbreviation: UBND, THCS, TTg
        keys = self.keys(word)
        vocab = self.lm.vocab
        uni = self.lm.uni
        cands = []
        for key, cost in keys.items():
            # the few likeliest accentuations of each key, so a dear key is not crowded out
            sids = sorted(self.model.by_key[key], key=lambda s: -uni[s])
            if cost > 0:
                sids = sids[:PER_KEY]
            cands.extend(_Cand(sid, cost, vocab[sid]) for sid in sids)
        if syllable_key(word) not in keys:
            cands.append(_Cand(own_id, KEEP_COST, None))
        cands.sort(key=lambda c: self.alpha * c.cost - uni[c.word])
        return tuple(cands[:MAX_CANDIDATES])

    # ---- search --------------------------------------------------------------------
    def _decode_segment(self, seg: tuple[tuple[str, str], ...]) -> tuple[tuple[str | None, ...], tuple[float, ...]]:
        """Chosen lower-case surface (None = keep) and confidence per (kind, text) token."""
        lattice = []
        for kind, text in seg:
            if kind == "number":
                lattice.append((_Cand(self._num, 0.0, None),))
            elif kind == "code":
                abbr = self.model.abbreviations.get(text) if text.isupper() else None
                form = (abbr or text).lower()
                lattice.append((_Cand(self.lm.index.get(form, self._unk), 0.0, form if abbr else None),))
            else:
                lattice.append(self.candidates(text))
        choice, conf = self.decode(lattice)
        return tuple(c[i].surface for c, i in zip(lattice, choice)), tuple(conf)

    def prune(self, lattice: list[tuple[_Cand, ...]]) -> list[tuple[_Cand, ...]]:
        """Keep, per word, the candidates some neighbour candidate was seen next to.

        Most accentuations of a toneless syllable never occur beside any accentuation of
        its neighbours; dropping them (keeping the KEEP_TOP likeliest alone) makes the
        search several times cheaper and loses nothing the model could have preferred.
        """
        succ, pred = self.successors, self.predecessors
        empty: frozenset = frozenset()
        n = len(lattice)
        ids = [{c.word for c in cands} for cands in lattice]
        bos_set, eos_set = {self._bos}, {self._eos}
        out = []
        for i, cands in enumerate(lattice):
            if len(cands) <= KEEP_TOP:
                out.append(cands)
                continue
            prev_ids = ids[i - 1] if i else bos_set
            next_ids = ids[i + 1] if i + 1 < n else eos_set
            kept = list(cands[:KEEP_TOP])
            for c in cands[KEEP_TOP:]:
                w = c.word
                if not pred.get(w, empty).isdisjoint(prev_ids) or not succ.get(w, empty).isdisjoint(next_ids):
                    kept.append(c)
                    if len(kept) == MAX_PRUNED:
                        break
            out.append(tuple(kept))
        return out

    def decode(self, lattice: list[tuple[_Cand, ...]]) -> tuple[list[int], list[float]]:
        """Best candidate per position (indices into the given lattice) and its local posterior.

        Viterbi with one state per candidate word; each state remembers its best
        predecessor, whose word serves as the trigram's first context word. The inner
        loop is written out (no function calls, context keys computed once per state)
        because it runs for every pair of neighbouring candidates.
        """
        pruned = self.prune(lattice)
        lm = self.lm
        V = lm.size
        bow1, uni = lm.bow1, lm.uni
        alpha = self.alpha
        tri_get, bi_get, bow2_get = lm.tri.get, lm.bi.get, lm.bow2.get

        def lp(u: int, v: int, w: int) -> float:
            uv = u * V + v
            p = tri_get(uv * V + w)
            if p is not None:
                return p
            b = bow2_get(uv, 0.0)
            p = bi_get(v * V + w)
            if p is not None:
                return b + p
            return b + bow1[v] + uni[w]

        bos = self._bos
        # a state: (score, word, previous word); its context for the next word is
        # (trigram key base, bigram key base, back-off weights) computed once
        prev_states = [(0.0, bos, bos)]
        backs: list[list[int]] = []
        bow2_has = lm.bow2.__contains__
        for cands in pruned:
            # per previous state: its score, the trigram key base (None when the context
            # (u, v) was never seen, so no trigram can match), the bigram key base and
            # the back-off weights
            ctx = []
            for sc, v, u in prev_states:
                uv = u * V + v
                if bow2_has(uv):
                    ctx.append((sc, uv * V, v * V, bow2_get(uv), bow1[v]))
                else:
                    ctx.append((sc, None, v * V, 0.0, bow1[v]))
            states = []
            back = []
            for c in cands:
                w = c.word
                uw = uni[w]
                best = -math.inf
                best_k = 0
                k = 0
                for sc, tri_base, bi_base, b2, b1 in ctx:
                    p = None if tri_base is None else tri_get(tri_base + w)
                    if p is None:
                        p = bi_get(bi_base + w)
                        p = b2 + (p if p is not None else b1 + uw)
                    s_ = sc + p
                    if s_ > best:
                        best, best_k = s_, k
                    k += 1
                states.append((best - alpha * c.cost, w, prev_states[best_k][1]))
                back.append(best_k)
            prev_states = states
            backs.append(back)
        return self._backtrack(lattice, pruned, prev_states, backs)

    def _backtrack(self, lattice, pruned, prev_states, backs) -> tuple[list[int], list[float]]:
        lm = self.lm
        V = lm.size
        bow1, uni = lm.bow1, lm.uni
        alpha = self.alpha
        tri_get, bi_get, bow2_get = lm.tri.get, lm.bi.get, lm.bow2.get

        def lp(u: int, v: int, w: int) -> float:
            uv = u * V + v
            p = tri_get(uv * V + w)
            if p is not None:
                return p
            b = bow2_get(uv, 0.0)
            p = bi_get(v * V + w)
            if p is not None:
                return b + p
            return b + bow1[v] + uni[w]

        bos = self._bos
        eos = self._eos
        k_best = max(range(len(prev_states)), key=lambda k: prev_states[k][0] + lp(prev_states[k][2], prev_states[k][1], eos))
        idx = [0] * len(pruned)
        for pos in range(len(pruned) - 1, -1, -1):
            idx[pos] = k_best
            k_best = backs[pos][k_best]
        # indices into the unpruned lattice
        choice = [k if pruned[i] is lattice[i] else lattice[i].index(pruned[i][k]) for i, k in enumerate(idx)]
        words = [bos, bos] + [pruned[i][k].word for i, k in enumerate(idx)] + [eos, eos]
        conf: list[float] = []
        last = len(pruned) - 1
        exp = math.exp
        for i, cands in enumerate(pruned):
            if len(cands) == 1:
                conf.append(1.0)
                continue
            u, v = words[i], words[i + 1]
            nxt, nxt2 = words[i + 3], words[i + 4]
            scores = []
            for c in cands:
                w = c.word
                s_ = lp(u, v, w) + lp(v, w, nxt) - alpha * c.cost
                if i < last:
                    s_ += lp(w, nxt, nxt2)
                scores.append(s_)
            m = max(scores)
            z = sum(exp(x - m) for x in scores)
            conf.append(exp(scores[idx[i]] - m) / z)
        return choice, conf


_ROMAN = re.compile(r"^(?:X{0,3})(?:IX|IV|V?I{0,3})$")


def _is_marker(word: str) -> bool:
    """List letters ("b)", "đ)") and Roman numerals ("III") are labels, not syllables."""
    if len(word) == 1 and word.isascii() and word.isalpha():
        return True
    return word.isupper() and bool(_ROMAN.match(word))


@lru_cache(maxsize=4)
def _restorer(model_version: str) -> Restorer:
    return Restorer(load_model())


def default_restorer() -> Restorer:
    return _restorer(load_model().version)


@lru_cache(maxsize=65536)
def _apply_case(ocr: str, new: str) -> str:
    """Casing of the OCR word on its replacement: ALL CAPS, Capitalised or lower."""
    letters = [c for c in ocr if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return new.upper()
    if ocr[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def _segments(line: str, tokens: list[Token]) -> list[list[Token]]:
    """Runs of tokens separated only by spaces: punctuation breaks the syllable flow."""
    segs: list[list[Token]] = []
    cur: list[Token] = []
    prev_end = None
    for t in tokens:
        if prev_end is not None and line[prev_end:t.start].strip():
            segs.append(cur)
            cur = []
        cur.append(t)
        prev_end = t.end
    if cur:
        segs.append(cur)
    return segs


def repair_line(restorer: Restorer, line: str, tokens: list[Token] | None = None) -> tuple[list[tuple[Token, str, float]], float]:
    """(token, replacement, confidence) for the words that change, and the line's confidence."""
    if tokens is None:
        tokens = split_line(line)
    changes: list[tuple[Token, str, float]] = []
    confs: list[float] = []
    for seg in _segments(line, tokens):
        surfaces, conf = restorer.decode_segment(tuple((t.kind, t.text) for t in seg))
        for t, surface, cf in zip(seg, surfaces, conf):
            if t.kind == "number":
                continue
            confs.append(cf)
            if surface is None:
                continue
            if surface == t.text.lower():
                continue
            new = _apply_case(t.text, surface)
            if new != t.text:
                changes.append((t, new, cf))
    return changes, (sum(confs) / len(confs) if confs else 1.0)


@dataclass(frozen=True)
class _Analysis:
    """A text split into lines and tokens once, with each line's detection counts."""

    lines: list[str]
    tokens: list[list[Token]]
    scores: list[LineScore]
    score: float  # the document's diacritic score (1.0 without scorable words)
    scorable: int  # scorable word tokens in the document


def _analyse(text: str) -> _Analysis:
    lines = text.split("\n")
    tokens = [split_line(line) for line in lines]
    scores = []
    good = total = 0
    pos = 0
    for line, toks in zip(lines, tokens):
        g, t = token_counts(toks)
        scores.append(LineScore(pos, pos + len(line), g / t if t else 1.0, t))
        good += g
        total += t
        pos += len(line) + 1
    return _Analysis(lines, tokens, scores, good / total if total else 1.0, total)


def _needs_repair(analysis: _Analysis) -> bool:
    """`detect.needs_repair` from counts already made."""
    return analysis.scorable >= 5 and analysis.score < DOCUMENT_THRESHOLD


def repair_text(text: str, model: RepairModel | None = None, restorer: Restorer | None = None) -> RepairResult:
    """Repaired text with an offset map back to `text` (see module docstring)."""
    if restorer is None:
        restorer = Restorer(model) if model is not None else default_restorer()
    return _repair_analysed(text, _analyse(text), restorer)


def _repair_analysed(text: str, analysis: _Analysis, restorer: Restorer) -> RepairResult:
    # repair was asked for: short texts count as needing it unless their words are marked
    doc_needs = analysis.score < DOCUMENT_THRESHOLD
    out: list[str] = []
    offs: list[int] = []
    changes: list[Change] = []
    lines_info: list[LineConfidence] = []
    for n, (line, toks, ls) in enumerate(zip(analysis.lines, analysis.tokens, analysis.scores)):
        base = ls.start
        repaired = line_needs_repair(ls, doc_needs)
        if repaired:
            line_changes, conf = repair_line(restorer, line, toks)
        else:
            line_changes, conf = [], 1.0
        lines_info.append(LineConfidence(n, ls.start, ls.end, round(ls.score, 4), repaired, round(conf, 4)))
        pos = 0
        for tok, new, cf in line_changes:
            out.append(line[pos:tok.start])
            offs.extend(range(base + pos, base + tok.start))
            out.append(new)
            offs.extend(_token_offsets(base + tok.start, len(tok.text), len(new)))
            changes.append(Change(base + tok.start, base + tok.end, tok.text, new, round(cf, 4)))
            pos = tok.end
        out.append(line[pos:])
        offs.extend(range(base + pos, base + len(line)))
        if ls.end < len(text):
            out.append("\n")
            offs.append(ls.end)
    offs.append(len(text))
    return RepairResult("".join(out), offs, changes, lines_info, restorer.model.version)


def repair_document(original: str, restorer: Restorer | None = None) -> RepairResult:
    """Repair a whole file's text keeping its own lines (hard wraps and all).

    Decoding runs on the layout-normalised text, where wrapped sentences are whole and
    the language model sees their context; each change is then put back at its place in
    the original (layout only deletes markup and joins lines, so a word never spans a
    join). Offsets and changes refer to `original`.
    """
    from ..layout import normalise_layout

    layout = normalise_layout(original)
    norm = repair_text(layout.text, restorer=restorer)
    placed = []
    for ch in norm.changes:
        start = layout.offsets[ch.start]
        end = layout.offsets[ch.end - 1] + 1
        if original[start:end] == ch.before:
            placed.append(Change(start, end, ch.before, ch.after, ch.confidence))
    placed.sort(key=lambda c: c.start)
    out: list[str] = []
    offs: list[int] = []
    pos = 0
    for ch in placed:
        out.append(original[pos:ch.start])
        offs.extend(range(pos, ch.start))
        out.append(ch.after)
        offs.extend(_token_offsets(ch.start, ch.end - ch.start, len(ch.after)))
        pos = ch.end
    out.append(original[pos:])
    offs.extend(range(pos, len(original)))
    offs.append(len(original))
    lines = [
        LineConfidence(lc.line, layout.offsets[lc.start], layout.offsets[lc.end], lc.score, lc.repaired, lc.confidence)
        for lc in norm.line_confidence
    ]
    return RepairResult("".join(out), offs, placed, lines, norm.model_version)


def _token_offsets(start: int, n_in: int, n_out: int) -> list[int]:
    """Spread n_out output characters over n_in input ones; first->first, last->last."""
    if n_in == n_out:
        return list(range(start, start + n_in))
    return [start + j for j in _spread(n_in, n_out)]


@lru_cache(maxsize=1024)
def _spread(n_in: int, n_out: int) -> tuple[int, ...]:
    if n_out == 1:
        return (0,)
    return tuple(round(j * (n_in - 1) / (n_out - 1)) for j in range(n_out))


def compose_offsets(repair_offsets: list[int], layout_offsets: list[int]) -> list[int]:
    """Offsets from repaired text straight to the original file text."""
    return [layout_offsets[i] for i in repair_offsets]


def apply_repair(record_text: str, record_offsets: list[int], force: bool = False) -> tuple[str, list[int], dict | None]:
    """The pipeline's one call: repair a normalised text if it needs it.

    Returns (text, offsets into the original, info); info is None (and text/offsets are
    returned unchanged) when the text does not need repair.
    """
    analysis = _analyse(record_text)
    if not force and not _needs_repair(analysis):
        return record_text, record_offsets, None
    result = _repair_analysed(record_text, analysis, default_restorer())
    info = {
        "model_version": result.model_version,
        "score": round(analysis.score, 4),
        "changed_words": result.changed_words,
        "mean_confidence": round(
            sum(lc.confidence for lc in result.line_confidence if lc.repaired)
            / max(1, sum(1 for lc in result.line_confidence if lc.repaired)),
            4,
        ),
    }
    return result.text, compose_offsets(result.offsets, record_offsets), info


def _document_score(text: str) -> float:
    from .detect import diacritic_score

    return diacritic_score(text)
