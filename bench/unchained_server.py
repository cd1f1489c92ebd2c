"""`icc serve` with the hash chain turned off: for `bench/commands.py --chain-cost` only.

The product always chains its events; this measures what that costs.
"""

import sys

from app import cli
from app.config import Settings

chained = Settings.eventsourcing_env


def unchained(self: Settings) -> dict[str, str]:
    env = chained(self)
    del env["APPLICATION_RECORDER_TOPIC"]  # the library's own recorder: no chain table
    return env


Settings.eventsourcing_env = unchained  # type: ignore[method-assign]

if __name__ == "__main__":
    sys.exit(cli.main(["serve", *sys.argv[1:]]))
