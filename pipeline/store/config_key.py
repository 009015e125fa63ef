"""The key that stamps every judgement with the config it was made under.

Judgements depend on the config and the [rujukan] lists it names: the key hashes the
bytes of `masterplan.toml` the config in use was read from (`Config.source`) and the
lists' digest (`References.digest`), so a change of either re-judges from the archive,
and a run judges and stamps with one and the same config. Without lists, the hash of the
config alone (as ledgers made before the lists hold it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from ..config import Config
from .ledger import Ledger

# An evaluation's judgement also depends on its OPD's accepted Quick Wins: its blob's
# config_key is "<config key>+qw:<fingerprint of that Quick Win set>", so an evaluation
# is judged again when the set changes (a revised plan), and only then.
_QW_MARK = "+qw:"


def config_key(cfg: Config) -> str:
    """The key of judgements made under `cfg` (read by read.references.load_config)."""
    lists = cfg.references.digest if cfg.references is not None else ""
    return hashlib.sha256(cfg.source + lists.encode()).hexdigest()[:16]


def config_part(blob_key: str) -> str:
    return blob_key.split(_QW_MARK, 1)[0]


def evaluation_key(key: str, quick_wins: Sequence[tuple[int | None, str]]) -> str:
    from ..rules.evaluation import fingerprint

    return f"{key}{_QW_MARK}{fingerprint(quick_wins)}"


def judged_under_other_config(cfg: Config, ledger: Ledger) -> bool:
    """True when stored judgements predate `cfg` (`run` has not run since)."""
    key = config_key(cfg)
    return any(config_part(stored) != key for stored in ledger.config_keys())
