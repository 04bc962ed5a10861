"""The rules of scoring.md applied: formulas, scoring (`score_year`) and its results, progress within the
year, the fund warning and the duty to report, and scores in words."""
