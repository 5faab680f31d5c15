"""Statistics shared by every evaluation: intervals and agreement (`intervals.py`), judge-error corrections
(`judge_correction.py`), adaptive stopping (`adaptive.py`, `adaptive_stopping.py`) and voting (`voting.py`)."""
