"""Rebuild the shipped repair model from its sources: `python -m kehoach.ingest.repair.build`.

The output (ingest/data/repair-model.json.gz) is deterministic: the same sources give
the same bytes, so a rebuilt model can be compared with the shipped one.
"""

from __future__ import annotations

import sys
import time

from .model import build_model, save_model


def main(argv: list[str] | None = None) -> int:
    t0 = time.time()
    model = build_model()
    path = save_model(model)
    lm = model.lm
    print(
        f"{path}: {model.version}; {len(lm.vocab)} units, {len(lm.bi)} bigrams, {len(lm.tri)} trigrams, "
        f"{len(model.by_key)} syllable keys; sources: {', '.join(model.sources)} ({time.time() - t0:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
