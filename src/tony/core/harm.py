"""The six characteristics of harmful text (Rauh et al. 2022, "Characteristics of Harmful Text: Towards Rigorous
Benchmarking of Language Models"), declared as data by every harm-related evaluation beside its task.

An evaluation's plugin sets `Evaluation.harms = {task name: HarmProfile(...)}`; the card prints the table for the
evaluations that ran.
"""

from __future__ import annotations

from dataclasses import dataclass

HARM_KINDS = ("representation", "allocation", "capability")  # representational, allocational, capability harm
SCOPES = ("instance", "distributional")  # one output harms, or only a pattern over many outputs does
CONTEXTS = ("textual", "application", "social")  # what must be known to tell that the text harms
RECIPIENTS = ("subject", "reader", "society")  # who is harmed: the person/group written about, the reader, society


@dataclass(frozen=True)
class HarmProfile:
    """How one evaluation frames the harm it measures, in the six characteristics of Rauh et al. 2022."""

    definition: str  # 1. the harm the evaluation claims to measure, in one sentence
    kinds: tuple[str, ...]  # 2. representation / allocation / capability
    scopes: tuple[str, ...]  # 3. instance / distributional
    contexts: tuple[str, ...]  # 4. the context the measurement takes into account: textual / application / social
    recipients: tuple[str, ...]  # 5. subject / reader / society
    groups: tuple[str, ...] = ()  # 6. demographic groups affected; () when the evaluation names none

    def __post_init__(self) -> None:
        if not self.definition.strip():
            raise ValueError("a harm profile needs its harm definition")
        for field_name, allowed in (("kinds", HARM_KINDS), ("scopes", SCOPES), ("contexts", CONTEXTS),
                                    ("recipients", RECIPIENTS)):
            values = getattr(self, field_name)
            if not values:
                raise ValueError(f"harm profile: {field_name} must name at least one of {', '.join(allowed)}")
            unknown = [value for value in values if value not in allowed]
            if unknown:
                raise ValueError(f"harm profile: unknown {field_name} {unknown}; choose from {', '.join(allowed)}")
