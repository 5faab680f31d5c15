"""Judges shared by several evaluations: the grader plumbing (`grader.py`), the offline classifier and the offline
refusal and toxicity judges, judge tasks, the judge sets (`judge_sets/`) and how far each judge is trusted
(`validation.py`, `judge_sources.py`, `judge_run_validation.py`, `grader_card.py`)."""
