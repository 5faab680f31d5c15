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
