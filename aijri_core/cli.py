"""The `aijri` command line (placeholder until the CLI lands)."""

import sys


def main(argv: list[str] | None = None) -> int:
    print("aijri: command line not built yet", file=sys.stderr)
    return 2
