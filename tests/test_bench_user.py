"""Strategies of a user, loaded by ``namematch bench --strategy tests.test_bench_user:NAME``."""

from __future__ import annotations

from namematch.bench import Strategy, load


def first_letter(name1: str, name2: str) -> float:
    """1 when the names start with the same letter."""
    return float(name1[:1].casefold() == name2[:1].casefold())


first_letter.threshold = 1.0  # type: ignore[attr-defined]


def length_ratio(name1: str, name2: str, kind: str) -> float:
    return min(len(name1), len(name2)) / max(len(name1), len(name2)) if kind != "place" else 0.5


def kind_keyword(name1: str, name2: str, *, kind: str = "auto") -> float:
    return 1.0 if kind == "person" else 0.0


def not_a_number(name1: str, name2: str) -> str:
    return "high"


def fails(name1: str, name2: str) -> float:
    raise RuntimeError("boom")


words = Strategy(
    "word_keys",
    "the lower-case words",
    keys=lambda name, kind: {w.casefold() for w in name.split()},
)

NOT_CALLABLE = 3


def test_a_plain_function_becomes_a_user_score_strategy() -> None:
    strategy = load("tests.test_bench_user:first_letter")
    assert strategy.name == "tests.test_bench_user:first_letter"
    assert (strategy.kind, strategy.group, strategy.threshold) == ("score", "user", 1.0)
    assert strategy.description == "1 when the names start with the same letter."
    assert strategy.score is not None
    assert strategy.score("Ivan", "igor", "person") == 1.0


def test_the_kind_is_passed_when_the_function_takes_it() -> None:
    positional = load("tests.test_bench_user:length_ratio").score
    keyword = load("tests.test_bench_user:kind_keyword").score
    assert positional is not None
    assert keyword is not None
    assert positional("ab", "abcd", "person") == 0.5
    assert positional("ab", "ab", "place") == 0.5
    assert (keyword("a", "b", "person"), keyword("a", "b", "place")) == (1.0, 0.0)


def test_a_strategy_attribute_is_used_as_it_is() -> None:
    strategy = load("tests.test_bench_user:words")
    assert (strategy.name, strategy.kind, strategy.group) == ("word_keys", "keys", "user")
