"""The scoring rules as objects (the OpenFisca way): one class per scoring method and per bonus rule, each
holding its parameters (with their checks and Chinese descriptions), its formula and its explanation in
words. Configuration checking (scorecard.config), scoring and the words (scorecard.assessment) all find a
rule here by the name a contract writes, and nowhere else: no other module knows what "tiered" means.

This package sits below both config and assessment, so that checking a contract can ask a method for its
parameter checks without the config layer importing the assessment layer.

Adding a scoring method
-----------------------
Write one module in this folder, e.g. `share.py`, holding a subclass of `ScoringMethod` decorated with
`@METHODS.register`: a `name` (what contracts write after `method:`), a Chinese `title`, its parameters as
pydantic fields are written, but with this package's `Field`, `field_validator` and `model_validator`
(`Field(description=…)` in Chinese; validators raise `refuse("{what}的…")` for checks a field's type and
bounds do not say; pydantic reads them only when a file is checked, base.py), and `points`, `rule_text` and
`points_text`; `in_points` names the
parameters written in points (not shares of the weight), which the ranking's robustness scales with a weight.
Every module here is imported when the package is, so nothing else is edited. Then add its case to tests/cases/ (a YAML file an
assessor can read: contracts, monthly actuals, the points expected) and describe it in
shared/spec/scoring.md §3. A bonus rule is the same with `BonusRule` and `@BONUSES.register`; a bonus
written without `rule:` is `per_step`.
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import (BONUSES, DEFAULT_BONUS, DEFAULT_METHOD, METHODS, BonusRule, Field, Points, Registry, Rule,
                   ScoringMethod, StrictFloat, Titles, field_validator, model_validator, refuse)

# scoring.md's methods in its order first (the order in which messages list them), then any other module here
# (but checking.py: pydantic, for checking only)
for _name in ("proportional", "tiered", "deduct", "pass_fail", *(m.name for m in pkgutil.iter_modules(__path__))):
    if _name != "checking":
        importlib.import_module(f"{__name__}.{_name}")

__all__ = ["BONUSES", "DEFAULT_BONUS", "DEFAULT_METHOD", "METHODS", "BonusRule", "Field", "Points", "Registry", "Rule",
           "ScoringMethod", "StrictFloat", "Titles", "field_validator", "model_validator", "refuse"]
