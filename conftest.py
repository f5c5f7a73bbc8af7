"""Collection rules for the whole repository (tests, README and the package's doctests)."""

from __future__ import annotations

from importlib.util import find_spec

# --doctest-modules imports every module of the package, and a module of an optional extra raises
# ImportError (naming the extra) when the extra is not installed: leave it out then.
_EXTRAS = {
    "src/namematch/duckdb.py": ("duckdb", "pyarrow", "numpy"),
    "src/namematch/splink.py": ("splink", "duckdb", "pandas", "pyarrow"),
    "src/namematch/spark": ("pyspark", "pandas", "pyarrow"),
}
collect_ignore: list[str] = [path for path, needs in _EXTRAS.items() if any(find_spec(n) is None for n in needs)]
