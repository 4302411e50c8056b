"""Vietnamese text repair: restore diacritics in OCR'd plans (issue 4).

detect   -> diacritic_score / line_scores / needs_repair (no model needed)
restore  -> repair_text / repair_document / apply_repair (noisy-channel Viterbi)
model    -> the syllable trigram model, built from `sources` by `build`
names    -> the place and person-name gazetteer for capitalised words
evaluate -> `kehoach eval repair`
"""

from .detect import diacritic_score, line_scores, needs_repair
from .restore import RepairResult, apply_repair, repair_document, repair_text

__all__ = ["RepairResult", "apply_repair", "diacritic_score", "line_scores", "needs_repair", "repair_document", "repair_text"]
