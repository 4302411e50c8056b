"""Compare plans across the two national programmes (208/QĐ-TTg of 2014, 1520/QĐ-TTg of 2022).

- indicators.py: targets of different plans mapped onto shared indicator concepts, through an
  explicit crosswalk of institution types and metrics renamed between the programmes;
- tasks.py: tasks aligned by meaning (embedding cosine + theme) into continued / changed / new /
  dropped, with thresholds measured on tests/gold/compare/task-pairs.jsonl;
- compare.py: the comparisons as rows of data, each carrying the source spans of both sides;
- report.py: the HTML report with charts; cli.py: `kehoach compare` and `kehoach eval compare`.
"""
