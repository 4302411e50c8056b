"""Restore Vietnamese diacritics in OCR text: noisy-channel decoding over syllables.

For every OCR word the channel (`confusions.RULES`, searched against the trie of known
syllable keys) proposes diacritic-free keys with a cost, each key stands for the
accented syllables that fold to it, and a Viterbi search over the syllable trigram
model picks the sequence maximising  log P_LM(syllables) - CHANNEL_WEIGHT * cost.
Numbers, document codes and words that are not Vietnamese (no candidate beats
keeping them, whose language-model probability is that of an unseen word) are left
as they are; a short number of letter-like digits ("10 trinh") may be read as a
syllable when its context says so; capitalised place and person names take their
gazetteer form (names.py); casing is copied from the OCR word.

Speed (benchmarks/bench_repair.py): each line is split once, for detection and
decoding alike; candidates are cached per distinct OCR word, the neighbour test of
`prune` per pair of neighbouring words, and whole decoded segments per segment; the
Viterbi inner loop uses integer n-gram keys and drops states BEAM nats behind.

`repair_text` is a pure function of its input and the model. Its offsets map every
repaired character to the input character it came from, so a span found in the
repaired text can be traced to the exact OCR characters.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from .confusions import DOUBLED_LETTER_COST, rules_by_first_char
from .detect import DOCUMENT_THRESHOLD, LineScore, line_needs_repair, token_counts
from .lm import BOS, EOS, NUM, UNK
from .model import END, RepairModel, load_model
from .names import MAX_NAME_COST, MAX_PLACE_SYLLABLES, first_by_key, forms_by_key, is_title_word
from .tokens import Token, fold, split_line, syllable_key

CHANNEL_WEIGHT = 1.0  # nats of channel cost traded for one nat of LM log-probability
KEEP_COST = 6.0  # channel cost of leaving a non-syllable word unchanged (a foreign word, a name)
MAX_COST = 5.0  # rewrites dearer than this are not considered
MAX_CANDIDATES = 16  # per word, best by unigram score minus channel cost
PER_KEY = 6  # accentuations kept per rewritten key (all are kept for the word's own key)
DIGIT_WORD_COST = 4.0  # nats, on top of the rewrites, for reading a number as a syllable
KEEP_TOP = 2  # candidates kept whatever their neighbours (see Restorer.prune)
MAX_PRUNED = 8
BEAM = 10.0  # nats: previous states this far below the best are not extended
LINK_CACHE = 500_000  # cached neighbour tests (see Restorer.prune) before the cache is emptied


class Change(NamedTuple):
    start: int  # in the input text
    end: int
    before: str
    after: str
    confidence: float


class LineConfidence(NamedTuple):
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
            "lines": [lc._asdict() for lc in self.line_confidence],
            "changes": [c._asdict() for c in self.changes],
        }


class _Cand(NamedTuple):
    """One reading of an OCR token (a tuple: cheap to make and to unpack in the search)."""

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
        self._number = (_Cand(self._num, 0.0, None),)
        self._pair_links: dict[tuple, tuple[int, int]] = {}
        tables = model.names or {}
        self.places: dict[str, str] = tables.get("places", {})
        self.place_prefixes = {" ".join(k.split()[:n]) for k in self.places for n in range(1, len(k.split()))}
        self.provinces = {k for k in (" ".join(fold(s).lower() for s in p.split()) for p in tables.get("provinces", ())) if k in self.places}
        self.surnames = first_by_key(tables.get("surnames", ()))
        self.middle_names = first_by_key(tables.get("middle", ()))
        self.given_names = forms_by_key(tables.get("given", ()))
        self.keys = lru_cache(maxsize=200_000)(self._keys)
        self.number_candidates = lru_cache(maxsize=1024)(self._number_candidates)

    # ---- channel -------------------------------------------------------------------
    def _keys(self, word: str) -> dict[str, float]:
        """Syllable keys the OCR word may stand for, with their channel cost (cached as `keys`)."""
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

    def _number_candidates(self, digits: str) -> tuple[_Cand, ...]:
        """A short number made of letter-like digits ("10" in "10 trinh") may be a syllable
        the OCR read as digits ("lộ"): the number stays the first choice, the syllable
        readings cost their rewrites plus DIGIT_WORD_COST, and the context decides."""
        cands = [self._number[0]]
        uni, vocab = self.lm.uni, self.lm.vocab
        for key, cost in self.keys(digits).items():
            for sid in sorted(self.model.by_key[key], key=lambda s: -uni[s])[:PER_KEY]:
                cands.append(_Cand(sid, cost + DIGIT_WORD_COST, vocab[sid]))
        return tuple(cands[:MAX_CANDIDATES])

    # ---- names -------------------------------------------------------------------
    def _name_cand(self, form: str, cost: float) -> tuple[_Cand, ...]:
        low = form.lower()
        return (_Cand(self.lm.index.get(low, self._unk), cost, low),)

    def _cheap_keys(self, word: str) -> dict[str, float]:
        """Keys a name may read the word as: its own key when that is a syllable (a
        well-spelt word is not rewritten to fit a name), else the cheap rewrites."""
        keys = self.keys(word)
        own = syllable_key(word)
        if keys.get(own) == 0.0:
            return {own: 0.0}
        return {k: c for k, c in keys.items() if c <= MAX_NAME_COST}

    def name_candidates(self, line: str, tokens: list[Token]) -> list[tuple[_Cand, ...] | None]:
        """Per token: the candidates a name rule fixes, or None (see names.py)."""
        out: list[tuple[_Cand, ...] | None] = [None] * len(tokens)
        if not (self.places or self.surnames):
            return out
        title = [t.kind == "word" and is_title_word(t.text) for t in tokens]
        if 2 <= len(tokens) <= 4 and all(title) and not _PERSON_LINE_NOISE.search(line):
            person = self._person_name(tokens)
            if person is not None:
                return person
        i = 0
        while i < len(tokens):
            if not title[i]:
                i += 1
                continue
            # a province is named anywhere; a district or commune after its unit word
            allowed = None if self._place_expected(line, tokens, i) else self.provinces
            match = self._place_at(line, tokens, title, i, allowed)
            if match is None:
                i += 1
                continue
            for j, (form, cost) in enumerate(match):
                out[i + j] = self._name_cand(form, cost)
            i += len(match)
        return out

    def _place_expected(self, line: str, tokens: list[Token], i: int) -> bool:
        """A place name follows the word for its kind of unit ("tỉnh Lào Cai", "huyện
        Bảo Thắng") or heads the place-and-date line ("Lào Cai, ngày 25 tháng 8")."""
        if i and not line[tokens[i - 1].end:tokens[i].start].strip():
            prev = self._cheap_keys(tokens[i - 1].text)
            if any(k in UNIT_WORDS for k in prev):
                return True
        if i == 0:
            for j in range(1, min(len(tokens), MAX_PLACE_SYLLABLES + 1)):
                if "," in line[tokens[j - 1].end:tokens[j].start]:
                    return "ngay" in self._cheap_keys(tokens[j].text)
        return False

    def _place_at(self, line: str, tokens: list[Token], title: list[bool], i: int, allowed: set[str] | None = None) -> list[tuple[str, float]] | None:
        """The longest place name spelt by the Title-case words from i on, as (syllable, cost)."""
        best = None
        paths: list[tuple[str, float]] = [("", 0.0)]
        j = i
        while j < len(tokens) and j - i < MAX_PLACE_SYLLABLES and title[j]:
            if j > i and line[tokens[j - 1].end:tokens[j].start].strip():
                break  # punctuation between the words: not one name
            grown = []
            for prefix, cost in paths:
                for key, c in self._cheap_keys(tokens[j].text).items():
                    k = f"{prefix} {key}" if prefix else key
                    if cost + c > MAX_NAME_COST:
                        continue
                    if k in self.places and j > i and (allowed is None or k in allowed):
                        if best is None or j - i + 1 > len(best[0].split()) or cost + c < best[1]:
                            best = (k, cost + c)
                    if k in self.place_prefixes:
                        grown.append((k, cost + c))
            paths = grown
            if not paths:
                break
            j += 1
        if best is None:
            return None
        key, _ = best
        form = self.places[key].split()
        return [(syl, self.keys(tokens[i + n].text)[k]) for n, (syl, k) in enumerate(zip(form, key.split()))]

    def _person_name(self, tokens: list[Token]) -> list[tuple[_Cand, ...] | None] | None:
        """Family name, middle names, given name: a whole line like "Giang Thi Dung"."""
        first = self._cheap_keys(tokens[0].text)
        family = [(c, self.surnames[k]) for k, c in first.items() if k in self.surnames]
        if not family:
            return None
        cost, form = min(family)
        out: list[tuple[_Cand, ...] | None] = [self._name_cand(form, cost)]
        for n, tok in enumerate(tokens[1:], start=1):
            keys = self._cheap_keys(tok.text)
            last = n == len(tokens) - 1
            middle = [(c, self.middle_names[k]) for k, c in keys.items() if k in self.middle_names]
            given = [(c, f) for k, c in keys.items() for f in self.given_names.get(k, ())]
            if last:  # a middle name may be the given name too ("Đặng Quốc Văn")
                given += [(c, self.middle_names[k]) for k, c in keys.items() if k in self.middle_names and (c, self.middle_names[k]) not in given]
            if not last and middle:
                c, f = min(middle)
                out.append(self._name_cand(f, c))
            elif given:
                out.append(tuple(_Cand(self.lm.index.get(f.lower(), self._unk), c, f.lower()) for c, f in sorted(given)))
            elif middle:
                c, f = min(middle)
                out.append(self._name_cand(f, c))
            else:
                out.append(None)
        return out

    # ---- search --------------------------------------------------------------------
    def _decode_segment(self, seg: tuple[tuple, ...]) -> tuple[tuple[str | None, ...], tuple[float, ...]]:
        """Chosen lower-case surface (None = keep) and confidence per (kind, text[, candidates]) token.

        A third element, when present, is the token's candidate list fixed by a name rule.
        """
        lattice = []
        for kind, text, *fixed in seg:
            if fixed:
                lattice.append(fixed[0])
            elif kind == "number":
                lattice.append(self.number_candidates(text) if _LETTER_LIKE_NUMBER.match(text) else self._number)
            elif kind == "code":
                abbr = self.model.abbreviations.get(text) if text.isupper() else None
                form = (abbr or text).lower()
                lattice.append((_Cand(self.lm.index.get(form, self._unk), 0.0, form if abbr else None),))
            else:
                lattice.append(self.candidates(text))
        choice, conf = self.decode(lattice, seg)
        return tuple(c[i].surface for c, i in zip(lattice, choice)), tuple(conf)

    def prune(self, lattice: list[tuple[_Cand, ...]], keys: tuple | None = None) -> list[tuple[_Cand, ...]]:
        """Keep, per word, the candidates some neighbour candidate was seen next to.

        Most accentuations of a toneless syllable never occur beside any accentuation of
        its neighbours; dropping them (keeping the KEEP_TOP likeliest alone) makes the
        search several times cheaper and loses nothing the model could have preferred.
        With `keys` (one hashable key per position that fixes its candidates, such as
        the token's (kind, text)) the test is cached per pair of neighbouring tokens,
        both ways at once: word pairs recur throughout a plan.
        """
        n = len(lattice)
        if not n:
            return []
        # per position, the candidates linked to the previous / the next position
        left = [0] * n
        right = [0] * n
        wide = [len(c) > KEEP_TOP for c in lattice]
        if wide[0]:
            left[0] = self._links(lattice[0], {self._bos}, self.predecessors)
        if wide[-1]:
            right[-1] = self._links(lattice[-1], {self._eos}, self.successors)
        links = self._pair_links
        for i in range(n - 1):
            if not (wide[i] or wide[i + 1]):
                continue
            a, b = lattice[i], lattice[i + 1]
            pair = None if keys is None else (keys[i], keys[i + 1])
            masks = None if pair is None else links.get(pair)
            if masks is None:
                masks = (
                    self._links(a, {c.word for c in b}, self.successors) if wide[i] else 0,
                    self._links(b, {c.word for c in a}, self.predecessors) if wide[i + 1] else 0,
                )
                if pair is not None:
                    links[pair] = masks
            right[i], left[i + 1] = masks
        out = []
        for i, cands in enumerate(lattice):
            if not wide[i]:
                out.append(cands)
                continue
            mask = left[i] | right[i]
            if not mask:
                out.append(cands[:KEEP_TOP])
                continue
            kept = list(cands[:KEEP_TOP])
            while mask and len(kept) < MAX_PRUNED:  # the set bits, lowest first
                low = mask & -mask
                kept.append(cands[low.bit_length() - 1])
                mask ^= low
            out.append(tuple(kept))
        if len(links) > LINK_CACHE:
            links.clear()
        return out

    @staticmethod
    def _links(cands: tuple[_Cand, ...], ids: set[int], table: dict[int, set[int]]) -> int:
        """Bit k set when candidate k (k >= KEEP_TOP) forms a seen bigram with some word of `ids`."""
        empty: frozenset = frozenset()
        mask = 0
        for k in range(KEEP_TOP, len(cands)):
            if not table.get(cands[k].word, empty).isdisjoint(ids):
                mask |= 1 << k
        return mask

    def decode(self, lattice: list[tuple[_Cand, ...]], keys: tuple | None = None) -> tuple[list[int], list[float]]:
        """Best candidate per position (indices into the given lattice) and its posterior.

        Viterbi with one state per candidate word; each state remembers its best
        predecessor, whose word serves as the trigram's first context word. The inner
        loop is written out (no function calls, context keys computed once per state,
        states more than BEAM nats behind the best not extended) because it runs for
        every pair of neighbouring candidates.

        Confidence of the word chosen at position i: its share among the candidates at
        i of exp(best path score into the candidate + transition to the word chosen at
        i+1), read from the scores the forward pass already computed.
        """
        pruned = self.prune(lattice, keys)
        lm = self.lm
        V = lm.size
        bow1, uni = lm.bow1, lm.uni
        alpha = self.alpha
        tri_get, bi_get, bow2_get = lm.tri.get, lm.bi.get, lm.bow2.get
        bow2_has = lm.bow2.__contains__
        bos, eos = self._bos, self._eos
        # a state: (score, word, previous word)
        prev_states = [(0.0, bos, bos)]
        top = 0.0  # best score among prev_states
        backs: list[list[int]] = []
        # per position: the previous states in the beam, and per candidate its score via each
        incoming: list[tuple[list[int], list[list[float]]]] = []
        for cands in (*pruned, (_Cand(eos, 0.0, None),)):
            # per previous state: its score, the trigram key base (None when the context
            # (u, v) was never seen, so no trigram can match), the bigram key base and
            # the back-off weights
            ctx = []
            active = []  # indices of the previous states within the beam
            floor = top - BEAM
            for k, (sc, v, u) in enumerate(prev_states):
                if sc < floor:
                    continue
                active.append(k)
                uv = u * V + v
                if bow2_has(uv):
                    ctx.append((sc, uv * V, v * V, bow2_get(uv), bow1[v]))
                else:
                    ctx.append((sc, None, v * V, 0.0, bow1[v]))
            states = []
            back = []
            scores_in = []
            if len(ctx) == 1:  # one state in the beam (common): no choice of predecessor
                sc, tri_base, bi_base, b2, b1 = ctx[0]
                k0 = active[0]
                v0 = prev_states[k0][1]
                top = -math.inf
                for w, cost, _ in cands:
                    p = None if tri_base is None else tri_get(tri_base + w)
                    if p is None:
                        p = bi_get(bi_base + w)
                        p = b2 + (p if p is not None else b1 + uni[w])
                    s_ = sc + p
                    score = s_ - alpha * cost
                    if score > top:
                        top = score
                    states.append((score, w, v0))
                    back.append(k0)
                    scores_in.append((s_,))
                prev_states = states
                backs.append(back)
                incoming.append((active, scores_in))
                continue
            for c in cands:
                w = c.word
                uw = uni[w]
                vals = []
                for sc, tri_base, bi_base, b2, b1 in ctx:
                    if tri_base is not None:
                        p = tri_get(tri_base + w)
                        if p is not None:
                            vals.append(sc + p)
                            continue
                    p = bi_get(bi_base + w)
                    vals.append(sc + b2 + (p if p is not None else b1 + uw))
                best = max(vals)
                best_k = active[vals.index(best)]
                states.append((best - alpha * c.cost, w, prev_states[best_k][1]))
                back.append(best_k)
                scores_in.append(vals)
            prev_states = states
            top = max(st[0] for st in states)
            backs.append(back)
            incoming.append((active, scores_in))
        n = len(pruned)
        idx = [0] * (n + 1)
        k_best = 0  # the single end state
        for pos in range(n, -1, -1):
            idx[pos] = k_best
            k_best = backs[pos][k_best]
        # indices into the unpruned lattice
        choice = [k if pruned[i] is lattice[i] else lattice[i].index(pruned[i][k]) for i, k in enumerate(idx[:n])]
        exp = math.exp
        conf: list[float] = []
        for i in range(n):
            if len(pruned[i]) == 1:
                conf.append(1.0)
                continue
            active, scores_in = incoming[i + 1]
            vals = scores_in[idx[i + 1]]
            m = vals[active.index(idx[i])]
            conf.append(1.0 / sum(exp(x - m) for x in vals))
        return choice, conf


# words for a kind of administrative unit, after which a place name is expected
UNIT_WORDS = frozenset({"tinh", "huyen", "xa", "phuong", "quan", "tran", "pho", "thon", "xom"})
# a number of one or two digits that look like letters (1/l, 0/o, 6/ô, 4/á)
_LETTER_LIKE_NUMBER = re.compile(r"^[0146]{1,2}$")
# a person's name stands alone on its line: no digits or punctuation beside it
_PERSON_LINE_NOISE = re.compile(r"[^\w\s’'‘¢&§¥]|\d")
_ROMAN = re.compile(r"^(?:X{0,3})(?:IX|IV|V?I{0,3})$")
# OCR reads the "I" of a Roman numeral as "l" or "1": "Il." for "II.", "IIl." for "III."
_OCR_ROMAN = re.compile(r"^[IVX][IVXl1]{1,4}$")


def _is_marker(word: str) -> bool:
    """List letters ("b)", "đ)") and Roman numerals ("III") are labels, not syllables."""
    if len(word) == 1 and word.isascii() and word.isalpha():
        return True
    return (word.isupper() and bool(_ROMAN.match(word))) or bool(_OCR_ROMAN.match(word))


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
    fixed = dict(zip((t.start for t in tokens), restorer.name_candidates(line, tokens)))
    for seg in _segments(line, tokens):
        key = tuple((t.kind, t.text) if fixed[t.start] is None else (t.kind, t.text, fixed[t.start]) for t in seg)
        surfaces, conf = restorer.decode_segment(key)
        for t, surface, cf in zip(seg, surfaces, conf):
            if t.kind != "number":
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


def _token_offsets(start: int, n_in: int, n_out: int) -> range | list[int]:
    """Spread n_out output characters over n_in input ones; first->first, last->last."""
    if n_in == n_out:
        return range(start, start + n_in)
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
