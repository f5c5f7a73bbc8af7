"""``python -m namematch``: the same as the ``namematch`` command."""

import sys

from namematch.cli import main

if __name__ == "__main__":
    sys.exit(main())
