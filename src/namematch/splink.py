"""namematch inside Splink: columns that survive every romanisation, and comparisons that use them.

A Splink model on a raw name column compares spellings letter by letter, so "Михаил Евдокимов",
"Mikhail Yevdokimov" and "EVDOKIMOV, Mikhail" never reach its higher levels. :func:`add_columns`
adds namematch's reading of each name to a table (the romanised words, keys that every spelling
shares, alias-table entity ids, gender, initials, patronymic, given-name groups, blocking keys);
:func:`comparisons`, :func:`blocking_rules`, :func:`training_rules` and :func:`settings` give Splink
comparisons and blocking rules over those columns, built from Splink's own libraries. No SQL to
write, and the definitions hold no engine's SQL: Splink renders them for DuckDB or Spark::

    import pandas as pd
    from splink import DuckDBAPI, Linker

    import namematch.splink as nms

    frame = nms.add_columns(pd.read_csv("people.csv"), column="name")
    linker = Linker(DuckDBAPI().register(frame), nms.settings(unique_id_column_name="id"))
    nms.train(linker)
    pairs = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pairs, 0.9)

The columns are computed in Python, each distinct name once; the comparisons use equality,
Jaro-Winkler and array intersection, which every Splink engine has. See ``docs/splink.md``.

Needs the ``splink`` extra (``pip install 'namematch[splink]'``); ``import namematch`` never imports
Splink, and importing this module without it raises an :class:`ImportError` naming the extra.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Literal

from namematch.aliases import lookup
from namematch.dedupe.blocking import blocking_keys
from namematch.dedupe.parallel import MIN_PARALLEL_NAMES, map_in_workers
from namematch.errors import NamematchError
from namematch.match.normalize import KINDS, Kind
from namematch.match.person import GIVEN, INITIAL, PATRONYMIC, SURNAME
from namematch.match.prepared import LEGAL, Prepared, Word, prepare
from namematch.match.score import entity_ids

_NEEDS_EXTRA = "namematch.splink needs the 'splink' extra: pip install 'namematch[splink]'"

# Absolute imports: these are the real splink, pandas and pyarrow packages, not this module.
try:
    import pandas as pd
    import pyarrow as pa
    import splink.comparison_level_library as cll
    from splink import Linker, SettingsCreator, block_on
    from splink.blocking_rule_library import CustomRule
    from splink.comparison_library import CustomComparison
except ImportError as exc:
    raise ImportError(_NEEDS_EXTRA, name=exc.name) from exc

__all__ = [
    "COLUMNS",
    "Column",
    "add_columns",
    "blocking_rules",
    "comparisons",
    "gender_comparison",
    "initials_comparison",
    "kind_comparison",
    "name_comparison",
    "patronymic_comparison",
    "settings",
    "train",
    "training_rules",
]

LinkType = Literal["link_only", "link_and_dedupe", "dedupe_only"]


@dataclass(frozen=True)
class Column:
    """One column :func:`add_columns` adds: its name without the prefix, its Arrow type, its meaning."""

    name: str
    type: str
    doc: str


_STRING, _LIST, _INT = "string", "list<string>", "int32"
_ARROW_TYPES = {_STRING: pa.string(), _LIST: pa.list_(pa.string()), _INT: pa.int32()}

#: The columns :func:`add_columns` adds, in order (each name gets the prefix, ``nm_`` by default).
COLUMNS: tuple[Column, ...] = (
    Column("romanized", _STRING, "the name romanised and folded (lower case, no accents), word by word as written"),
    Column("sorted", _STRING, "the words that name the entity (legal forms left out), romanised, sorted"),
    Column("kind", _STRING, "person, place or org: the kind passed, or with auto org for a legal form, else person"),
    Column("words", _INT, "how many words name the entity (legal forms left out)"),
    Column("keys", _LIST, "namematch.keys(name), sorted: what the spellings of a word share in every script"),
    Column("block_keys", _LIST, "blocking keys: two words, a word and the sound another starts with, an alias id"),
    Column("alias_ids", _LIST, "ids of the places, countries or organisations of the alias tables the name is"),
    Column("surname_stem", _STRING, "the surname's phonetic stem without its gender ending (ivanov for Ivanova)"),
    Column("gender", _STRING, "m or f, from the surname's ending (Ivanov, Ivanova); null when it has none"),
    Column("given", _STRING, "the first given name, romanised and folded"),
    Column("given_groups", _LIST, "the given-name groups of the alias tables (Mikhail, Mykhailo, Michał, Misha)"),
    Column("given_initial", _STRING, "the sound the given name (or its initial) starts with: u for Ю, Yu, Iu"),
    Column("patronymic", _STRING, "the patronymic, romanised and folded"),
    Column("initials", _LIST, "the sounds the words start with, one a word (initials in; patronymic, legal forms out)"),
)

_NAMES = tuple(c.name for c in COLUMNS)


def _first(p: Prepared, role: str) -> Word | None:
    return next((w for w, r in zip(p.words, p.roles, strict=True) if r == role), None)


def _onset(word: Word) -> str | None:
    """The sound a word starts with: the first letter of its phonetic form, where the romanisations
    of one letter meet (Ю, Yu, Iu, Ju: u; Х, Kh, H: h; Ш, Sh, Sz: S)."""
    return word.forms[0][0] if word.forms and word.forms[0] else None


def _alias_ids(p: Prepared, kind: str) -> list[str]:
    # As namematch.compare and dedupe match names by the alias tables.
    return sorted(entity_ids(p, kind))


def _values(name: str, kind: Kind) -> tuple[Any, ...] | None:
    """The column values of one name (in the order of :data:`COLUMNS`), or None when it has no word."""
    if not name.strip():
        return None
    p = prepare(name, kind=kind)
    named = [(w, r) for w, r in zip(p.words, p.roles, strict=True) if r != LEGAL and w.folded]
    if not named:
        return None
    aliases = _alias_ids(p, kind)
    tiers = blocking_keys(p, aliases)
    # dedupe's tiers 2 and 3: two words, or a word and the sound another word or initial starts
    # with. A name of one word has only its word keys (and alias ids), which tier 1 holds.
    fine = set().union(*tiers[1:3])
    block = sorted(fine | {f"@{a}" for a in aliases}) if fine else sorted(tiers[0])
    surname, given, patronymic = _first(p, SURNAME), _first(p, GIVEN), _first(p, PATRONYMIC)
    initial = given if given is not None else _first(p, INITIAL)
    return (
        p.romanized,
        " ".join(sorted(w.folded for w, _ in named)),
        p.kind,
        len(named),
        sorted(p.keys),
        block,
        aliases,
        surname.stems[0] if surname is not None and surname.stems else None,
        surname.gender if surname is not None else None,
        given.folded if given is not None else None,
        sorted(given.given | given.minor) if given is not None else [],
        _onset(initial) if initial is not None else None,
        patronymic.folded if patronymic is not None else None,
        sorted(o for w, r in named if r != PATRONYMIC and (o := _onset(w))),
    )


def _threads() -> int:
    """Threads of this process, as the operating system counts them (DuckDB's and Arrow's too)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("Threads:"))
    except (OSError, StopIteration, ValueError):
        return threading.active_count()


# Forking a process whose other threads hold locks (a running DuckDB database) can leave the
# child waiting forever: workers are forked only while the process has no more threads than it
# had when this module was imported.
_THREADS_AT_IMPORT = _threads()


def _compute(names: Sequence[object], kind: Kind, workers: int) -> dict[str, Any]:
    """One Arrow array per column; each distinct name analysed once (in forked workers, as
    :func:`namematch.dedupe` does, when asked for, safe, and worth it)."""
    index: dict[str, int] = {}
    position = [index.setdefault(name, len(index)) if isinstance(name, str) else -1 for name in names]
    distinct = list(index)
    if workers > 1 and (len(distinct) < MIN_PARALLEL_NAMES or _threads() > _THREADS_AT_IMPORT):
        workers = 1
    if workers > 1:
        lookup("Kyiv")  # load and index the alias tables once, before the workers fork
    found = list(map_in_workers(partial(_values, kind=kind), distinct, workers=workers))
    rows = [found[at] if at >= 0 else None for at in position]
    return {
        column.name: pa.array([None if row is None else row[i] for row in rows], type=_ARROW_TYPES[column.type])
        for i, column in enumerate(COLUMNS)
    }


def add_columns(table: Any, *, column: str, kind: Kind = "auto", prefix: str = "nm_", workers: int = 1) -> Any:
    """A copy of *table* with namematch's columns added (see :data:`COLUMNS`), for Splink.

    *table* is a pandas ``DataFrame`` or a pyarrow ``Table``; the result has the same type, the
    same rows in the same order and the input columns untouched. *column* names the name field. A
    row whose name is null, not text, empty or without a word gets nulls in every added column.
    The added columns are Arrow-typed (``string[pyarrow]``, ``list<item: string>[pyarrow]`` in
    pandas), so DuckDB and Spark read their types without guessing from the first rows.

    ``kind`` is ``person``, ``place``, ``org`` or ``auto`` (an organisation when the name holds a
    legal form, a person otherwise), as in :func:`namematch.compare`. Each distinct name is
    analysed once. ``workers=4`` analyses a large table's names (20,000 distinct or more) in four
    forked processes; forking is safe only before DuckDB or Spark start threads in the process,
    so when the process has gained threads since this module was imported, the names are
    analysed here instead. A table that already has a column of an added column's name is an
    error: pass another prefix.

    >>> frame = add_columns(pd.DataFrame({"name": ["Михаил Евдокимов", "EVDOKIMOV, Mikhail", None]}), column="name")
    >>> frame["nm_sorted"].tolist()
    ['evdokimov mikhail', 'evdokimov mikhail', <NA>]
    >>> frame["nm_keys"][0], frame["nm_given_groups"][1]
    (['Avdkmv', 'mhl'], ['given:mikhail'])
    """
    if kind not in KINDS:
        raise NamematchError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if not isinstance(prefix, str):
        raise TypeError(f"prefix must be str, not {type(prefix).__name__}")
    if isinstance(table, pa.Table):
        existing = [str(c) for c in table.column_names]
    elif isinstance(table, pd.DataFrame):
        existing = [str(c) for c in table.columns]
    else:
        raise TypeError(f"table must be a pandas DataFrame or a pyarrow Table, not {type(table).__name__}")
    if column not in existing:
        raise NamematchError(f"no column {column!r}; the table has: {', '.join(existing)}")
    clash = [c for c in existing if c in {prefix + n for n in _NAMES}]
    if clash:
        raise NamematchError(f"the table already has {', '.join(clash)}: pass another prefix")
    if isinstance(table, pa.Table):
        arrays = _compute(table.column(column).to_pylist(), kind, max(1, workers))
        for name, array in arrays.items():
            table = table.append_column(prefix + name, array)
        return table
    arrays = _compute(table[column].tolist(), kind, max(1, workers))
    added = pd.DataFrame(
        {
            prefix + name: array.to_pandas(types_mapper=pd.ArrowDtype, use_threads=False)
            for name, array in arrays.items()
        }
    )
    added.index = table.index
    return pd.concat([table, added], axis=1)


# --------------------------------------------------------------------------- comparisons


def _label(level: Any, text: str) -> Any:
    return level.configure(label_for_charts=text)


def name_comparison(prefix: str = "nm_", *, thresholds: tuple[float, float] = (0.92, 0.8)) -> Any:
    """The whole name, through namematch's columns: a Splink comparison (``CustomComparison``).

    Levels, the first that holds wins: null (no name); one entity of the alias tables (Kiev, Київ,
    Kijów; ПАО «Газпром», Gazprom PJSC); the same words in any order, once romanised; two keys in
    common (Mikhail Evdokimov, Евдокимов Михаил, Jewdokimow Michail); Jaro-Winkler on the sorted
    romanised words at the first of *thresholds*; the keys of one name all among the other's
    (M. Evdokimov, Mikhail Evdokimov); a key in common (Ivan Ivanov, Igor Ivanov); Jaro-Winkler at
    the second threshold; anything else. No level depends on which word is the surname.
    """
    p = prefix
    high, low = thresholds
    return CustomComparison(
        [
            cll.NullLevel(f"{p}sorted"),
            _label(cll.ArrayIntersectLevel(f"{p}alias_ids", 1), "one entity of the alias tables"),
            _label(cll.ExactMatchLevel(f"{p}sorted"), "same words, romanised"),
            _label(cll.ArrayIntersectLevel(f"{p}keys", 2), "two keys in common"),
            _label(cll.JaroWinklerLevel(f"{p}sorted", high), f"Jaro-Winkler >= {high}"),
            _label(cll.ArraySubsetLevel(f"{p}keys"), "the keys of one among the other's"),
            _label(cll.ArrayIntersectLevel(f"{p}keys", 1), "a key in common"),
            _label(cll.JaroWinklerLevel(f"{p}sorted", low), f"Jaro-Winkler >= {low}"),
            cll.ElseLevel(),
        ],
        output_column_name=f"{p}name",
        comparison_description="namematch name",
    )


def initials_comparison(prefix: str = "nm_") -> Any:
    """The sounds the words of the names start with, one a word, initials included: null, the same
    (I. Ivanov, Ivan Ivanov, Иван Иванов), those of one among the other's (Ivan Ivanov, I. P. Ivanov),
    different (Ivan Ivanov, Petr Ivanov; Ivan Ivanov and the company Ivanov LLC). It tells apart
    the namesakes that a shared surname key brings together."""
    col = f"{prefix}initials"
    return CustomComparison(
        [
            cll.NullLevel(col),
            _label(cll.ExactMatchLevel(col), "same initials"),
            _label(cll.ArraySubsetLevel(col), "the initials of one among the other's"),
            cll.ElseLevel(),
        ],
        output_column_name=col,
        comparison_description="namematch initials",
    )


def kind_comparison(prefix: str = "nm_") -> Any:
    """What the names read as: null, the same kind, different (a person, and a company named after
    one: ООО «Никифоров» and Nadezhda Nikiforova)."""
    col = f"{prefix}kind"
    return CustomComparison(
        [cll.NullLevel(col), _label(cll.ExactMatchLevel(col), "same kind"), cll.ElseLevel()],
        output_column_name=col,
        comparison_description="namematch kind",
    )


def gender_comparison(prefix: str = "nm_") -> Any:
    """The gender of the surname's form: null (either has none: Shevchenko, Gazprom), the same,
    different (Ivanov and Ivanova are two people, as namematch's default gender policy has it)."""
    col = f"{prefix}gender"
    return CustomComparison(
        [cll.NullLevel(col), _label(cll.ExactMatchLevel(col), "same gender"), cll.ElseLevel()],
        output_column_name=col,
        comparison_description="namematch surname gender",
    )


def patronymic_comparison(prefix: str = "nm_", *, threshold: float = 0.9) -> Any:
    """The patronymic: null (either has none: a missing patronymic is no evidence), the same,
    Jaro-Winkler at *threshold* (Nikolaevich, Nikolayevich), different (siblings, namesakes)."""
    col = f"{prefix}patronymic"
    return CustomComparison(
        [
            cll.NullLevel(col),
            _label(cll.ExactMatchLevel(col), "same patronymic"),
            _label(cll.JaroWinklerLevel(col, threshold), f"Jaro-Winkler >= {threshold}"),
            cll.ElseLevel(),
        ],
        output_column_name=col,
        comparison_description="namematch patronymic",
    )


def comparisons(prefix: str = "nm_") -> list[Any]:
    """The comparisons of a name: :func:`name_comparison`, :func:`initials_comparison`,
    :func:`gender_comparison`, :func:`patronymic_comparison` and :func:`kind_comparison`. Add your
    other columns' comparisons (dates of birth, addresses) to them.

    Why several and not one: Splink estimates u (how often a level holds for two different entities)
    from random pairs, which on a table full of duplicates include true matches, so that no single
    comparison can lift a pair's match probability much above 0.5. Evidence from several
    comparisons multiplies; these read different parts of the name.
    """
    return [
        name_comparison(prefix),
        initials_comparison(prefix),
        gender_comparison(prefix),
        patronymic_comparison(prefix),
        kind_comparison(prefix),
    ]


def blocking_rules(prefix: str = "nm_") -> list[Any]:
    """Blocking rules for predictions: which pairs Splink scores.

    Two names meet when they share a block key (two of their words, or a word and the sound another
    word or initial starts with, in any script: "M. Evdokimov" meets "Михаил Евдокимов"), an entity
    of the alias tables, or a key when one of them is a single word ("Zelensky"). A common word
    alone (Ivanov, Aleksandr) is no block of its own, so a large table does not meet every Ivanov
    with every other. The rules explode array columns, which Splink does on DuckDB and Spark.
    """
    p = prefix
    single = CustomRule(f"l.{p}keys = r.{p}keys AND (l.{p}words = 1 OR r.{p}words = 1)", arrays_to_explode=[f"{p}keys"])
    return [
        block_on(f"{p}block_keys", arrays_to_explode=[f"{p}block_keys"]),
        block_on(f"{p}alias_ids", arrays_to_explode=[f"{p}alias_ids"]),
        single,
    ]


def training_rules(prefix: str = "nm_") -> list[Any]:
    """Blocking rules for expectation maximisation: the surname stem and given initial; the given
    name and patronymic. Plain columns, since Splink's EM does not explode arrays; between them,
    every comparison of :func:`comparisons` is estimated (Splink skips, in each session, the
    comparisons that read the session's blocking columns)."""
    p = prefix
    return [block_on(f"{p}surname_stem", f"{p}given_initial"), block_on(f"{p}given", f"{p}patronymic")]


def _trained(model: Mapping[str, Any] | str | Path) -> tuple[float | None, dict[str, tuple[list[Any], list[Any]]]]:
    """The prior and, per comparison output column, the m and u of its non-null levels."""
    raw = json.loads(Path(model).read_text(encoding="utf-8")) if isinstance(model, (str, Path)) else model
    found: dict[str, tuple[list[Any], list[Any]]] = {}
    for comparison in raw.get("comparisons", []):
        levels = [lv for lv in comparison.get("comparison_levels", []) if not lv.get("is_null_level")]
        found[comparison.get("output_column_name")] = (
            [lv.get("m_probability") for lv in levels],
            [lv.get("u_probability") for lv in levels],
        )
    return raw.get("probability_two_random_records_match"), found


def settings(
    prefix: str = "nm_",
    *,
    link_type: LinkType = "dedupe_only",
    unique_id_column_name: str = "unique_id",
    extra_comparisons: Sequence[Any] = (),
    extra_blocking_rules: Sequence[Any] = (),
    model: Mapping[str, Any] | str | Path | None = None,
    **options: Any,
) -> Any:
    """A Splink ``SettingsCreator`` with :func:`comparisons` and :func:`blocking_rules` (and yours).

    It holds no SQL of any engine: pass it to a ``Linker`` on DuckDB or on Spark and Splink writes
    that engine's SQL. To use on one engine a model trained on another, build the settings again
    with ``model=`` (the trained model: a dict from ``linker.misc.save_model_to_json()`` or its
    JSON file): the prior and the m and u probabilities are copied onto the fresh comparisons, by
    output column name. Loading the saved JSON itself on another engine keeps the first engine's
    SQL. *options* go to ``SettingsCreator`` as they are.
    """
    comps = [*comparisons(prefix), *extra_comparisons]
    if model is not None:
        prior, trained = _trained(model)
        for comp in comps:
            found = trained.get(comp.create_output_column_name())
            if found is None:
                continue
            m, u = found
            if len(m) != comp.num_non_null_levels:
                raise NamematchError(f"the model's {comp.create_output_column_name()} has other levels")
            comp.configure(m_probabilities=m, u_probabilities=u)
        if prior is not None:
            options.setdefault("probability_two_random_records_match", prior)
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name=unique_id_column_name,
        comparisons=comps,
        blocking_rules_to_generate_predictions=[*blocking_rules(prefix), *extra_blocking_rules],
        **options,
    )


def train(
    linker: Linker,
    *,
    prefix: str = "nm_",
    max_pairs: float = 2e6,
    recall: float = 0.5,
    seed: int = 1,
) -> None:
    """Train *linker* by a bounded recipe: the prior from the pairs with the same romanised words
    (assumed to be *recall* of the true pairs), u from *max_pairs* random pairs (*seed*), m by
    expectation maximisation on each of :func:`training_rules`, each session bounded by
    *max_pairs* pairs.

    Without the bound, Splink's EM scores every pair its blocking rule makes: on a large table with
    common names, a good part of the table squared.
    """
    linker.training.estimate_probability_two_random_records_match([block_on(f"{prefix}sorted")], recall=recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    for rule in training_rules(prefix):
        linker.training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=max_pairs)
