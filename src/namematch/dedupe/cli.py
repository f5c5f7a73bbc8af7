"""The ``namematch dedupe`` subcommand."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

__all__ = ["add_parser"]


def _run(args: argparse.Namespace, out: TextIO, stderr: TextIO) -> int:
    stderr.write("namematch dedupe: not implemented yet\n")
    return 2


def add_parser(sub: Any) -> None:
    """Register ``dedupe`` on the subparsers object of the main parser."""
    parser: argparse.ArgumentParser = sub.add_parser("dedupe", help="cluster the rows of a table that name one entity")
    parser.set_defaults(run=_run)
