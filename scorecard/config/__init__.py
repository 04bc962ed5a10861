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
from .translate import nearest, suggestion
from .validation import load_config
from .yamlsource import Problem

__all__ = ["ACCESS_FILE", "AREAS", "HEADER", "METHOD_NAMES", "PASSWORD", "PLAUSIBLE_MAX", "AccessSettings",
           "Adjustment", "Amendment", "Assessment", "City", "Config", "Contract", "Decision", "Grant", "Indicator",
           "Measure", "Problem", "Rules", "Target", "TargetChange", "TrendRules", "Veto", "WarningRules", "config_files", "config_stamp",
           "fingerprint", "load_access", "load_config", "nearest", "suggestion"]
