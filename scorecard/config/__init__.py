"""The configuration layer: the YAML files officials edit, read with their lines, checked, and turned into
immutable objects (`model.py`). `load_config` and `load_access` are the only ways in."""

from .access import load_access
from .files import ACCESS_FILE, config_files, config_stamp, fingerprint
from .model import (
    AREAS,
    HEADER,
    METHOD_NAMES,
    PASSWORD,
    PLAUSIBLE_MAX,
    AccessSettings,
    Adjustment,
    Assessment,
    Bonus,
    City,
    Config,
    Contract,
    Decision,
    Grant,
    Indicator,
    Measure,
    Method,
    Rules,
    Target,
    Veto,
    WarningRules,
)
from .validation import load_config, nearest, suggestion
from .yamlsource import Problem

__all__ = ["ACCESS_FILE", "AREAS", "HEADER", "METHOD_NAMES", "PASSWORD", "PLAUSIBLE_MAX", "AccessSettings",
           "Adjustment", "Assessment", "Bonus", "City", "Config", "Contract", "Decision", "Grant", "Indicator",
           "Measure", "Method", "Problem", "Rules", "Target", "Veto", "WarningRules", "config_files", "config_stamp",
           "fingerprint", "load_access", "load_config", "nearest", "suggestion"]
