"""The ``namematch bench`` subcommand."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

__all__ = ["add_parser"]


def _run(args: argparse.Namespace, out: TextIO, stderr: TextIO) -> int:
    stderr.write("namematch bench: not implemented yet\n")
    return 2


def add_parser(sub: Any) -> None:
    """Register ``bench`` on the subparsers object of the main parser."""
    parser: argparse.ArgumentParser = sub.add_parser("bench", help="compare matching strategies on labelled pairs")
    parser.set_defaults(run=_run)
