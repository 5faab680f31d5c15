"""Task options shared by every tony evaluation (`inspect eval ... -T name=a,b`)."""

from __future__ import annotations

from collections.abc import Sequence


def choice_list(value: str | Sequence[str], allowed: Sequence[str], what: str) -> list[str]:
    """A comma-separated string or a list of names, each one of `allowed`, duplicates dropped; else one clear ValueError."""
    names = [v.strip() for v in value.split(",")] if isinstance(value, str) else [str(v) for v in value]
    unknown = [name for name in names if name not in allowed]
    if unknown or not names:
        raise ValueError(f"unknown {what} {unknown or names}; choose from {', '.join(allowed)}")
    return list(dict.fromkeys(names))
