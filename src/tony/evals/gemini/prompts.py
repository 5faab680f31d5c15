"""Prompts of the Gemini capability protocols, in tony's words.

MMLU k-shot: the question after k solved questions of its subject (Hendrycks et al. 2021's layout), answered with a
letter (generated greedily, or read from the letters' log-probabilities). CoT: one question with an instruction to
reason step by step and close with the letter; GSM8K: the problem with an instruction to reason and close with
the number.
"""

from __future__ import annotations

from tony.core.math_problems import MathProblem
from tony.evals.gemini.questions import LETTERS, MCQuestion


def _subject(question: MCQuestion) -> str:
    return question.subject.replace("_", " ")


def format_question(question: MCQuestion) -> str:
    options = "\n".join(f"{letter}. {choice}" for letter, choice in zip(LETTERS, question.choices))
    return f"{question.question}\n{options}\nAnswer:"


def few_shot_prompt(question: MCQuestion, shots: list[MCQuestion]) -> str:
    """k solved questions, then the question, ending at "Answer:"."""
    header = f"The following are multiple choice questions (with answers) about {_subject(question)}.\n\n"
    solved = "".join(f"{format_question(shot)} {shot.answer}\n\n" for shot in shots)
    return header + solved + format_question(question)


def cot_prompt(question: MCQuestion) -> str:
    options = "\n".join(f"{letter}. {choice}" for letter, choice in zip(LETTERS, question.choices))
    return (f"Here is a multiple choice question about {_subject(question)}.\n\n{question.question}\n{options}\n\n"
            "Reason about it step by step. Finish with one line of the form 'The answer is (X)', where X is the "
            "letter of your choice.")


def math_prompt(problem: MathProblem) -> str:
    return (f"Solve this problem. Work through it step by step, then finish with one line of the form "
            f"'The answer is N', where N is a number.\n\nProblem: {problem.question}")
