"""Dev items for the offline step judge in other styles (chatty, terse, LaTeX, words for operators, units,
"of" fractions and percentages, errors that cancel). Written by the tony authors; appended to
`src/tony/core/judges/judge_sets/step_judge.dev.jsonl` (the set the checker is tuned on; never a test set).

Run: python scripts/dev_sets/step_judge_styles.py  (idempotent: items already in the file are skipped)."""

from __future__ import annotations

import json
from pathlib import Path

DEV = Path(__file__).resolve().parents[2] / "src/tony/core/judges/judge_sets/step_judge.dev.jsonl"
P1 = "A school orders 6 boxes of 24 pencils. It gives 3/4 of the pencils to the younger classes. How many pencils go to the younger classes?"
P2 = "A coat costs $120. The shop takes 15% off. How much does the coat cost now?"
P3 = "A cyclist rides at 18 km per hour for 2.5 hours, then walks 4 km. How far does she travel in all?"
P4 = "Mia saves $35 a week for 8 weeks and then spends $96 on a bike. How much money is left?"
P5 = "A tank holds 1.5 litres. Jo fills 12 glasses of 250 ml from full tanks. How many full tanks does she use?"
ITEMS = [
    # (id, problem, answer, steps, first_error, style, why)
    ("dev-37", P1, "108", ["Let's think step by step!", "First, 6 boxes times 24 pencils is 144 pencils.",
                           "Then 3/4 of 144 is 108.", "So the answer is 108."], None, "chatty_words", "correct"),
    ("dev-38", P1, "108", ["6 \\times 24 = 144", "\\frac{3}{4} \\times 144 = 108", "Answer: 108"], None, "latex", "correct"),
    ("dev-39", P1, "108", ["6 × 24 = 144", "3/4 of 144 is 118", "The answer is 118"], 1, "words_slip", "3/4 of 144 is 108"),
    ("dev-40", P1, "108", ["$6 \\cdot 24 = 154$ pencils", "$\\frac{3}{4} \\cdot 154 = 115.5$", "Answer: 115.5"], 0,
     "latex_slip", "6·24 is 144"),
    ("dev-41", P2, "102", ["15% of $120 is $18.", "$120 - $18 = $102.", "The answer is 102."], None, "percent", "correct"),
    ("dev-42", P2, "102", ["Discount: 15% of 120 = 20 dollars.", "120 - 20 = 100", "The answer is 100"], 0,
     "percent_slip", "15% of 120 is 18"),
    ("dev-43", P2, "102", ["120 multiplied by 0.85 gives 102.", "The coat now costs $102."], None, "words", "correct"),
    ("dev-44", P2, "102", ["120 minus 15 equals 105.", "The answer is 105."], 0, "wrong_setup_words",
     "15% is not $15"),
    ("dev-45", P3, "49", ["Distance riding: 18 km/h × 2.5 h = 45 km", "Plus walking: 45 km + 4 km = 49 km",
                          "Total: 49 km"], None, "units", "correct with units inside the expressions"),
    ("dev-46", P3, "49", ["Riding: 18 km/h × 2.5 h = 36 km", "36 km + 4 km = 40 km", "The answer is 40."], 0,
     "units_slip", "18 × 2.5 is 45"),
    ("dev-47", P3, "49", ["ride 18*2.5=45", "walk 4", "45+4=49", "49"], None, "terse", "correct"),
    ("dev-48", P4, "184", ["Okay, so Mia saves 35 dollars each week.", "Over 8 weeks that's 35 x 8 = 280 dollars.",
                           "After the bike she has 280 − 96 = 184 dollars.", "The answer is 184."], None,
     "chatty", "correct, with a unicode minus"),
    ("dev-49", P4, "184", ["35 × 8 = 270", "270 − 96 = 174", "The answer is 174"], 0, "slip_unicode", "35×8 is 280"),
    ("dev-50", P4, "184", ["35 * 8 = 290", "290 - 96 = 184... wait, that's 194", "The answer is 194"], 0,
     "slip", "35*8 is 280"),
    ("dev-51", P4, "184", ["Mia saves 35 * 8 = 280.", "She spends 96, so 280 - 96 = 184.", "The answer is $184."],
     None, "clean_currency", "correct"),
    ("dev-52", P5, "2", ["12 glasses × 250 ml = 3000 ml", "3000 ml ÷ 1500 ml = 2 tanks", "The answer is 2."], None,
     "units_conversion", "correct; 1.5 litres is 1500 ml"),
    ("dev-53", P5, "2", ["1.5 litres is 1500 ml.", "12 * 250 = 3000 ml.", "3000 / 1500 = 2.", "The answer is 2."], None,
     "clean", "correct"),
    ("dev-54", P5, "2", ["1.5 litres is 150 ml.", "12 * 250 = 3000", "3000 / 150 = 20", "The answer is 20."], 0,
     "wrong_conversion", "1.5 litres is 1500 ml"),
    ("dev-55", P4, "184", ["35 * 8 = 250", "250 - 96 = 154", "154 + 30 = 184", "The answer is 184."], 0,
     "errors_cancel", "35*8 is 280; an invented 30 brings the answer back"),
    ("dev-56", P1, "108", ["Total pencils: $6 \\times 24 = 144$.", "Younger classes: $144 \\div 4 \\times 3 = 108$.",
                           "**Answer: 108**"], None, "latex_markdown", "correct"),
    ("dev-57", P2, "102", ["The discount is 15/100 * 120 = 18.", "So the price is 120 - 18 = 112.",
                           "The answer is 112."], 1, "slip", "120 - 18 is 102"),
    ("dev-58", P3, "49", ["She rides 18 * 2.5 = 45 km.", "She walks 4 km.", "In all, 45 + 4 = 49 km.",
                          "So she travels 49 km in total.", "The answer is 49."], None, "redundant", "correct"),
]


def main() -> None:
    have = {json.loads(line)["id"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()}
    with DEV.open("a", encoding="utf-8") as handle:
        for id_, problem, answer, steps, first, style, why in ITEMS:
            if id_ not in have:
                handle.write(json.dumps({"id": id_, "problem": problem, "answer": answer, "steps": steps,
                                         "first_error": first, "style": style, "why": why}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
