"""Text that comes from users (names, titles, rationales, messages quoting them) shown as typed.

Streamlit reads Markdown in every text element, label and message: a task named
"Budget $ and $ forecasts" would turn into a formula, "ML*Ops*" into italics, ":red[...]" into
colour and ":material/lock:" into an icon. Every piece of user text put into such a place goes
through :func:`literal` (the one rule; the page code never puts it there raw).
"""

from __future__ import annotations

import re
import string

#: Every ASCII punctuation character. In Markdown a backslash before one always stands for the
#: character itself, so escaping all of them (not a list of today's syntax) also covers what a
#: later Streamlit reads as syntax. Escaping "/" and ":" keeps ":material/x:" and ":smile:" text.
_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")


def literal(text: object) -> str:
    """``text`` as Markdown that shows exactly ``text``."""
    return _PUNCTUATION.sub(r"\\\1", str(text))
