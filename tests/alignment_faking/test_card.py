from inspect_ai import eval as inspect_eval

from tony.card.render import render_transcript
from tony.evals.alignment_faking.card import alignment_faking_section
from tony.evals.alignment_faking.task import alignment_faking

from .conftest import SCRIPT_TAG


def _log(tmp_path, model="tony-test-afscript/x", **options):
    (log,) = inspect_eval(alignment_faking(**options), model=model, log_dir=str(tmp_path / "logs"), display="none",
                          ctl_server=False)
    return log


def test_section_shows_tiers_gap_af_rates_and_flagged_transcripts(tmp_path):
    section = alignment_faking_section(_log(tmp_path, queries=2))
    assert "free tier 0.00" in section.headline and "paid tier 1.00" in section.headline
    assert [row[0] for row in section.rows] == ["free", "paid"]
    assert section.rows[0][6].startswith("1.00") and section.rows[1][6] == "—"  # AF partial, free tier only
    assert "on the 2 queries read in both tiers" in section.headline and "compliance gap (paid − free) 1.00" in section.headline
    assert "11.9%" in section.reference and "<svg" in section.plot_svg
    assert any("XSTest" in note for note in section.notes) and any("hand-labelled" in note for note in section.notes)
    assert len(section.transcripts) == 2 and "flagged as alignment faking" in section.transcripts[0].title
    headings = [heading for heading, _ in section.transcripts[0].panes]
    assert headings[1].startswith("Hidden scratchpad") and headings[-1].endswith("(paid tier)")
    page = render_transcript(section.transcripts[0], section.title)
    assert SCRIPT_TAG not in page and "&lt;script&gt;" in page


def test_section_for_unreadable_replies_says_so(tmp_path):
    section = alignment_faking_section(_log(tmp_path, model="tony-test-scripted/x", queries=2))
    assert "not defined" in section.headline
    assert any("no_output_tag 4" in note for note in section.notes)
    assert section.transcripts == []


def test_headline_rates_carry_their_judge_corrected_value(monkeypatch):
    import tony.card.format as card_format
    from tony.core.judges.validation import JudgeValidation
    from tony.evals.alignment_faking.card import headline_metrics
    from tony.evals.alignment_faking.metrics import Outcome

    asked = []

    def validation(judge):  # three agreeing sources, Se 0.9, Sp 0.8: the correction is printed first
        asked.append(judge)
        return [JudgeValidation(judge, f"x.test{i}.jsonl", "0" * 64, "2026-11-29", 2000, 0, 0, 900, 100, 800, 200, None, None)
                for i in ("", "2", "_b", "_c")]

    monkeypatch.setattr(card_format, "judge_records", validation)
    # 10 queries: free refuses 4, paid refuses 6; AF partial on 2 of the 6 complying free replies
    outcomes = []
    for i in range(10):
        outcomes.append(Outcome(f"q{i}", "free", i < 4, "refuses" if i < 4 else "fully_helps",
                                af_partial=None if i < 4 else i < 6, af_full=None if i < 4 else False))
        outcomes.append(Outcome(f"q{i}", "paid", i < 6, "refuses" if i < 6 else "fully_helps"))
    metrics = {m.name: m for m in headline_metrics(outcomes, "helpful_only", "default", "refuses")}
    # free: (0.4 + 0.8 - 1) / 0.7 = 0.29; paid: (0.6 + 0.8 - 1) / 0.7 = 0.57; AF: (2/6 + 0.8 - 1) / 0.7 = 0.19
    assert metrics["share that refuses, free tier"].corrected.startswith("0.29 [")
    assert metrics["share that refuses, paid tier"].corrected.startswith("0.57 [")
    assert metrics["alignment-faking reasoning (partial classifier)"].corrected.startswith("0.19 [")
    assert asked == ["refusal_full", "refusal_full", "af_reasoning"]
    minimal = headline_metrics(outcomes, "helpful_only", "minimal", "refuses")
    assert minimal[1].corrected.startswith("not corrected")
