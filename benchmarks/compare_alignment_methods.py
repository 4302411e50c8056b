"""Experiment: other ways of aligning two plans' tasks, scored on the hand alignments.

`kehoach compare` gives every task its nearest task on the other side (kehoach/compare/tasks.py,
`align_tasks`): a broad task can be the nearest of many. Two other methods are tried here, each
with its thresholds fitted the same way (status macro-F1 on the hand alignments of
tests/gold/compare/alignment/, kehoach/compare/alignment_gold.py):

- one-to-one: the pairing of maximum total cosine (Hungarian method, scipy), pairs below the
  "related" cut-off dropped; a task left unpaired is dropped / new;
- mutual: a pair only when each task is the other's nearest.

    python benchmarks/compare_alignment_methods.py      # ~10 s (scipy: the [st] extra)

Prints, per method and alignment, the status accuracy and macro-F1 of each side with
thresholds fitted on the other alignment (the honest figure) and on all of them.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from kehoach.compare.alignment_gold import Aligner, default_alignment_paths, evaluate_alignments, load_alignment_gold
from kehoach.compare.compare import load_records
from kehoach.compare.tasks import STATUS_OF_LABEL, TaskAlignment, TaskEmbedder, TaskItem, Thresholds, align_tasks, label_pair, task_similarities


def _pairs_to_rows(pairs: list[tuple[int, int]], sims: np.ndarray, tasks_a: Sequence[TaskItem], tasks_b: Sequence[TaskItem], th: Thresholds) -> list[TaskAlignment]:
    rows, paired_a, paired_b = [], set(), set()
    for i, j in pairs:
        status = STATUS_OF_LABEL[label_pair(float(sims[i, j]), tasks_a[i].theme, tasks_b[j].theme, th)]
        if status:
            rows.append(TaskAlignment(status, tasks_a[i], tasks_b[j], float(sims[i, j])))
            paired_a.add(i)
            paired_b.add(j)
    rows += [TaskAlignment("dropped", a, None, None) for i, a in enumerate(tasks_a) if i not in paired_a]
    rows += [TaskAlignment("new", None, b, None) for j, b in enumerate(tasks_b) if j not in paired_b]
    return rows


def one_to_one(tasks_a: Sequence[TaskItem], tasks_b: Sequence[TaskItem], embedder: TaskEmbedder, th: Thresholds) -> list[TaskAlignment]:
    from scipy.optimize import linear_sum_assignment

    sims = task_similarities(tasks_a, tasks_b, embedder)
    rows_i, cols_j = linear_sum_assignment(-np.where(sims >= th.related, sims, 0.0))
    return _pairs_to_rows(list(zip(rows_i.tolist(), cols_j.tolist())), sims, tasks_a, tasks_b, th)


def mutual(tasks_a: Sequence[TaskItem], tasks_b: Sequence[TaskItem], embedder: TaskEmbedder, th: Thresholds) -> list[TaskAlignment]:
    sims = task_similarities(tasks_a, tasks_b, embedder)
    pairs = [(i, int(np.argmax(sims[i]))) for i in range(len(tasks_a))]
    return _pairs_to_rows([(i, j) for i, j in pairs if int(np.argmax(sims[:, j])) == i], sims, tasks_a, tasks_b, th)


METHODS: dict[str, Aligner] = {"nearest (shipped)": align_tasks, "one-to-one": one_to_one, "mutual": mutual}


def main() -> None:
    records = {r.id: r for r in load_records()}
    golds = [load_alignment_gold(p) for p in default_alignment_paths()]
    embedder = TaskEmbedder()
    for name, align in METHODS.items():
        result = evaluate_alignments(golds, records, embedder, align=align)
        for gold_name, a in result["alignments"].items():
            for key in ("fitted_on_others", "fitted_on_all"):
                s = a[key]
                print(
                    f"{name:18s} {gold_name:20s} {key:16s} same ≥ {s['thresholds']['same']:.4f} related ≥ {s['thresholds']['related']:.4f}"
                    f"  earlier plan: accuracy {s['a']['accuracy']:.2f} macro-F1 {s['a']['macro_f1']:.2f}"
                    f"  later plan: accuracy {s['b']['accuracy']:.2f} macro-F1 {s['b']['macro_f1']:.2f}"
                    f"  partners shown {s['partners']['shown']} precision {s['partners']['precision']:.2f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
