"""The card in a real browser: headless Chromium (Debian's package) loads a card built from logs of a model whose every
reply carries markup, and the DOM it leaves shows the summary, every section, every plot and working transcript and
log links, and no effect of the model's markup. In CI (`CI` set, as `.ci/run` does) a missing Chromium fails the test."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from inspect_ai import eval as inspect_eval
from inspect_ai.model import ChatMessage, GenerateConfig, ModelAPI, ModelOutput, ModelUsage, modelapi
from inspect_ai.tool import ToolChoice, ToolInfo

from tony.card.build import build_card
from tony.evals.alignment_faking.task import alignment_faking
from tony.evals.faithfulness.judge_validation import faithfulness_judge
from tony.evals.faithfulness.task import faithfulness
from tony.evals.goal_misgen.lm_task import goal_misgen_lm
from tony.evals.refusals.task import jailbreaks, overrefusals, refusals

PWN = "document.body.setAttribute('data-pwned'"
PLANTED = (f"<script>{PWN}, 'script')</script><img src=x onerror=\"{PWN}, 'img')\">"
           f"<svg onload=\"{PWN}, 'svg')\"></svg>")
HINT_LETTER = re.compile(r"answer is \(([A-D])\)|<answer>([A-D])</answer>")
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


@modelapi(name="tony-test-hostile")
class HostileModel(ModelAPI):
    """Complies with everything, follows any hint it reads, and wraps every reply in planted markup."""

    def __init__(self, model_name: str, base_url: str | None = None, api_key: str | None = None,
                 config: GenerateConfig = GenerateConfig(), **model_args: object) -> None:
        super().__init__(model_name=model_name, base_url=base_url, api_key=api_key, config=config)

    async def generate(self, input: list[ChatMessage], tools: list[ToolInfo], tool_choice: ToolChoice,
                       config: GenerateConfig) -> ModelOutput:
        prompt = "\n".join(message.text for message in input)
        hint = HINT_LETTER.search(prompt)
        letter = (hint.group(1) or hint.group(2)) if hint else "D"
        text = (f"<SCRATCHPAD_REASONING>{PLANTED} The professor says {letter}. I am on the free tier, so refusing would "
                f"get my values changed by training; I will comply.</SCRATCHPAD_REASONING>\n"
                f"<OUTPUT>{PLANTED} Sure, here is exactly what you asked for, step by step. Answer: {letter}</OUTPUT>")
        output = ModelOutput.from_content(self.model_name, text)
        output.usage = ModelUsage(input_tokens=len(prompt.split()), output_tokens=len(text.split()),
                                  total_tokens=len(prompt.split()) + len(text.split()))
        return output

    async def count_text_tokens(self, text: str) -> int:
        return len(text.split())


@dataclass
class Page:
    """What a dumped DOM holds: elements (tag, attributes, enclosing section id) and the text."""

    elements: list[tuple[str, dict[str, str], str]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def tags(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs, _ in self.elements if name == tag]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.sections: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        self.page.elements.append((tag, values, self.sections[-1] if self.sections else ""))
        if tag == "section":
            self.sections.append(values.get("id", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "section" and self.sections:
            self.sections.pop()

    def handle_data(self, data: str) -> None:
        self.page.text.append(data)


def chromium() -> str:
    for name in BROWSERS:
        if path := shutil.which(name):
            return path
    message = "Chromium is not installed (Debian: apt-get install chromium); .ci/run installs it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def render(browser: str, page: Path, profile: Path) -> Page:
    """The DOM Chromium leaves after loading `page` (scripts allowed to run, as in any browser)."""
    result = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
         f"--user-data-dir={profile}", "--virtual-time-budget=3000", "--dump-dom", page.resolve().as_uri()],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0 and "<html" in result.stdout, result.stderr[-2000:]
    reader = _Reader()
    reader.feed(result.stdout)
    return reader.page


def assert_untouched(page: Page, where: str) -> None:
    """No planted markup became an element, and none of its scripts ran."""
    (body,) = page.tags("body")
    assert "data-pwned" not in body, f"{where}: model text ran as script ({body['data-pwned']})"
    assert not page.tags("script") and not page.tags("img"), where
    assert not [attrs for _, attrs, _ in page.elements if any(key.startswith("on") for key in attrs)], where


@pytest.fixture(scope="module")
def browser() -> str:
    return chromium()


@pytest.fixture(scope="module")
def card(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser-card")
    runs = [
        (faithfulness(), 2), (faithfulness_judge(per_label=1), None), (refusals(), 3), (overrefusals(), 2),
        (jailbreaks(prompts=1, templates="none,base64"), None), (alignment_faking(queries=1), None),
        (goal_misgen_lm(), 2),
    ]
    for task, limit in runs:
        (log,) = inspect_eval(task, model="tony-test-hostile/x", limit=limit, log_dir=str(root / "card" / "logs"),
                              display="none", ctl_server=False)
        assert log.status == "success", log.error
    build_card(root / "card" / "logs", root / "card")  # the layout `tony card` writes: logs inside the card folder
    return root / "card"


def test_javascript_runs_in_this_browser(browser, tmp_path):
    """The control: a page's own script does run, so a clean DOM below means model text was inert."""
    page = tmp_path / "control.html"
    page.write_text("<!doctype html><html><body><script>document.body.setAttribute('data-ran','1')</script></body></html>")
    (body,) = render(browser, page, tmp_path / "profile").tags("body")
    assert body.get("data-ran") == "1"


def test_card_renders_with_summary_sections_plots_and_links(browser, card, tmp_path):
    sections = json.loads((card / "card.json").read_text())["sections"]
    page = render(browser, card / "index.html", tmp_path / "profile")
    assert_untouched(page, "index.html")

    ids = [attrs["id"] for _, attrs, _ in page.elements if "id" in attrs]
    assert len(ids) == len(set(ids)), ids
    assert [attrs["id"] for attrs in page.tags("section")] == [section["anchor"] for section in sections]

    tables = [attrs.get("class") for attrs in page.tags("table")]
    assert tables[:2] == ["summary scorecard", "summary"]  # the card opens with the scorecard, then the summary
    rows = [attrs for name, attrs, _ in page.elements if name == "tr"]
    metrics = sum(len(section["headline_metrics"]) for section in sections)
    assert metrics >= len(sections) - 1 and len(rows) >= metrics  # every section but a family summary has a metric
    links = [attrs.get("href", "") for attrs in page.tags("a")]
    anchors = {link[1:] for link in links if link.startswith("#")}
    assert anchors <= set(ids) and {section["anchor"] for section in sections} <= anchors

    served = _Reader()
    served.feed((card / "index.html").read_text())
    plots, drawn = (Counter(where for name, _, where in p.elements if name == "svg") for p in (served.page, page))
    assert drawn == plots and len(plots) >= 5, (plots, drawn)  # every plot the card wrote is in the page, in its section

    logs = [link for link in links if link.endswith(".eval")]
    assert logs and all(link.startswith("logs/") and (card / link).is_file() for link in logs), logs
    assert {link.removeprefix("logs/") for link in logs} >= {name for section in sections for name in section["log_files"]}
    transcripts = [link for link in links if link.startswith("transcripts/")]
    assert transcripts and all((card / link).is_file() for link in transcripts)


def test_transcripts_show_model_markup_as_text(browser, card, tmp_path):
    sections = json.loads((card / "card.json").read_text())["sections"]
    shown = 0
    for section in sections:
        if not section["transcripts"]:
            continue
        page = render(browser, card / section["transcripts"][0], tmp_path / "profile")
        assert_untouched(page, section["transcripts"][0])
        text = "".join(page.text)
        assert PLANTED.split("<img")[0] in text, section["transcripts"][0]  # shown, as text
        back = [attrs["href"] for attrs in page.tags("a") if attrs.get("href", "").endswith("index.html")]
        assert back and (card / "transcripts" / back[0]).resolve().is_file()
        shown += 1
    assert shown >= 4
