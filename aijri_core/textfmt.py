"""Small number formats shared by the text outputs (CLI tables, documents, the HTML report)."""

from __future__ import annotations


def percent(value: float) -> str:
    """A percentage with one decimal, without a trailing '.0': 55 -> '55%', 12.5 -> '12.5%'."""
    text = f"{value:.1f}"
    return (text[:-2] if text.endswith(".0") else text) + "%"


def signed(value: int) -> str:
    """A whole-number rating with its sign, zero unsigned: 1 -> '+1', -2 -> '-2', 0 -> '0'."""
    return f"{value:+d}" if value else "0"
