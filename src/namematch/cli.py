"""The ``namematch`` command line: composes with pipes, streams, and says where bad input is.

    namematch translit [--scheme ID | --lang L] [--variants] [--errors POLICY] [FILE ...]
    namematch detect [FILE ...]
    namematch schemes [--lang L] [--json]

Lines are read from the files named (``-`` or none: standard input) and written to standard output
as they come. Input is UTF-8; a line that is not valid UTF-8 is reported on standard error with its
file, line and column, passed through byte for byte, and makes the exit status 1.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TextIO

from namematch import __version__
from namematch.errors import NamematchError
from namematch.translit.api import resolve_scheme, transliterate, variants
from namematch.translit.detect import detect_language
from namematch.translit.engine import ERRORS
from namematch.translit.registry import get_language, schemes

__all__ = ["main"]


class _Input:
    """Lines of the named files in order, decoded as UTF-8, with bad bytes reported, never dropped."""

    def __init__(self, paths: Sequence[str], stderr: TextIO) -> None:
        self.paths = list(paths) or ["-"]
        self.stderr = stderr
        self.bad_lines = 0

    def lines(self) -> Iterator[str]:
        for path in self.paths:
            if path == "-":
                yield from self._decode("<stdin>", sys.stdin.buffer)
            else:
                with open(path, "rb") as handle:
                    yield from self._decode(path, handle)

    def _decode(self, name: str, stream: Iterable[bytes]) -> Iterator[str]:
        for number, raw in enumerate(stream, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                column = len(raw[: exc.start].decode("utf-8", "replace")) + 1
                self.stderr.write(
                    f"{name}:{number}:{column}: invalid UTF-8 byte 0x{raw[exc.start]:02X}; line passed through\n"
                )
                self.bad_lines += 1
                text = raw.decode("utf-8", "surrogateescape")
            yield text.rstrip("\r\n")


def _translit(args: argparse.Namespace, out: TextIO, stderr: TextIO) -> int:
    if args.scheme is not None:
        resolve_scheme("", args.scheme, args.lang)  # fail before reading input on an unknown name
    elif args.lang is not None:
        get_language(args.lang)
    source = _Input(args.files, stderr)
    if args.variants:

        def convert(line: str) -> str:
            return "\t".join([line, *variants(line, lang=args.lang)]) if line else line

    else:

        def convert(line: str) -> str:
            return transliterate(line, args.scheme, lang=args.lang, errors=args.errors)

    _stream(source, convert, out)
    return 1 if source.bad_lines else 0


def _detect(args: argparse.Namespace, out: TextIO, stderr: TextIO) -> int:
    source = _Input(args.files, stderr)
    _stream(source, lambda line: f"{detect_language(line) or '-'}\t{line}", out)
    return 1 if source.bad_lines else 0


def _stream(source: _Input, convert: Callable[[str], str], out: TextIO) -> None:
    interactive = out.isatty()
    for line in source.lines():
        out.write(convert(line) + "\n")
        if interactive:
            out.flush()


def _schemes(args: argparse.Namespace, out: TextIO, stderr: TextIO) -> int:
    code = get_language(args.lang).code if args.lang else None
    chosen = [s for s in schemes() if code is None or s.language == code]
    defaults = {get_language(s.language).default_scheme for s in chosen}
    if args.json:
        rows = [
            {
                "id": s.id, "language": s.language, "name": s.name, "authority": s.authority, "year": s.year,
                "source_url": s.source_url, "licence": s.licence, "aliases": list(s.aliases),
                "default": s.id in defaults,
            }
            for s in chosen
        ]  # fmt: skip
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    if args.markdown:
        out.write("| scheme id | lang | year | authority | aliases |\n|---|---|---|---|---|\n")
        for s in chosen:
            name = f"**{s.id}** (default)" if s.id in defaults else s.id
            aliases = ", ".join(f"`{a}`" for a in s.aliases)
            out.write(f"| {name} | {s.language} | {s.year} | [{s.authority}]({s.source_url}) | {aliases} |\n")
        return 0
    for s in chosen:
        mark = "*" if s.id in defaults else " "
        aliases = ", ".join(s.aliases)
        out.write(
            f"{mark} {s.id:<40} {s.language}  {s.year}  {s.authority}" + (f"  [{aliases}]" if aliases else "") + "\n"
        )
    out.write("(* = the language's default scheme)\n")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="namematch", description="Match names across Cyrillic and its romanisations.")
    parser.add_argument("--version", action="version", version=f"namematch {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    tr = sub.add_parser("translit", help="romanise lines of Cyrillic text")
    group = tr.add_mutually_exclusive_group()
    group.add_argument("--scheme", help="scheme id or alias (see `namematch schemes`)")
    group.add_argument("--lang", help="language code (ru uk be bg sr mk kk): its default scheme")
    tr.add_argument(
        "--variants", action="store_true", help="print the line, then every distinct romanisation, tab-separated"
    )
    tr.add_argument(
        "--errors", choices=ERRORS, default="preserve", help="letters the scheme does not cover (default: preserve)"
    )
    tr.add_argument("files", nargs="*", help="input files (default or '-': standard input)")
    tr.set_defaults(run=_translit)

    de = sub.add_parser("detect", help="print the detected language of each line ('-' for none)")
    de.add_argument("files", nargs="*", help="input files (default or '-': standard input)")
    de.set_defaults(run=_detect)

    sc = sub.add_parser("schemes", help="list the shipped romanisation schemes")
    sc.add_argument("--lang", help="only this language's schemes")
    fmt = sc.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print JSON with every metadata field")
    fmt.add_argument("--markdown", action="store_true", help="print a Markdown table (the README's)")
    sc.set_defaults(run=_schemes)

    # The table and benchmark commands live beside the features they drive.
    from namematch.bench.cli import add_parser as add_bench
    from namematch.dedupe.cli import add_parser as add_dedupe

    add_dedupe(sub)
    add_bench(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    out = io.TextIOWrapper(
        sys.stdout.buffer, encoding="utf-8", errors="surrogateescape", newline="\n", write_through=False
    )
    try:
        status: int = args.run(args, out, sys.stderr)
        out.flush()
        return status
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and keep Python from complaining at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except NamematchError as exc:
        sys.stderr.write(f"namematch: error: {exc}\n")
        return 2
    except OSError as exc:
        sys.stderr.write(f"namematch: error: {exc}\n")
        return 2
    finally:
        out.detach()
