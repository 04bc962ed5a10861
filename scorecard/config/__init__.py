"""The configuration layer: the YAML files officials edit, read with their lines, checked, and turned into
immutable objects (`model.py`). `load_config` and `load_access` are the only ways in."""

from .files import ACCESS_FILE, config_files, config_stamp, fingerprint
from .model import (
    AREAS,
    HEADER,
    METHOD_NAMES,
    PASSWORD,
    PLAUSIBLE_MAX,
    AccessSettings,
    Adjustment,
    Amendment,
    Assessment,
    City,
    Config,
    Contract,
    Decision,
    Grant,
    Indicator,
    Measure,
    Rules,
    Target,
    TargetChange,
    TrendRules,
    Veto,
    WarningRules,
)
from .validation import load_config

# read when first asked for: they import YAML and the pydantic models of the files, which a config taken from
# the cache (cache.py) does not need
_LAZY = {"load_access": "access", "nearest": "translate", "suggestion": "translate", "Problem": "located"}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    globals()[name] = value
    return value


__all__ = ["ACCESS_FILE", "AREAS", "HEADER", "METHOD_NAMES", "PASSWORD", "PLAUSIBLE_MAX", "AccessSettings",
           "Adjustment", "Amendment", "Assessment", "City", "Config", "Contract", "Decision", "Grant", "Indicator",
           "Measure", "Problem", "Rules", "Target", "TargetChange", "TrendRules", "Veto", "WarningRules", "config_files", "config_stamp",
           "fingerprint", "load_access", "load_config", "nearest", "suggestion"]
