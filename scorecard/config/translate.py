"""The one translator from pydantic's errors to the `file:line: 中文说明` officials read.

The models (rules in scorecard/rules, scoring.yaml's in schedule.py) say what is wrong by pydantic's error
kinds (a number expected, at most 100, a field missing, one not known); this module says it in Chinese, at
the line the YAML source tracking (yamlsource.py) kept for the value. A check of its own raises
`rules.refuse("{what}…")`, and its text is used as written, with {what} and {key} filled in.
"""

from __future__ import annotations

import difflib
import typing

from .located import Problem, YList, YMap

if typing.TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

# Keys that only document a file (kept for the reader, ignored by the rules).
NOTE_KEYS = frozenset({"note", "notes", "remark", "remarks", "description", "comment"})

NUMBER = "{what}的“{key}”应当是数字，现在是“{input}”"
MESSAGES = {
    "missing": "{what}缺少“{key}”",
    "float_type": NUMBER, "float_parsing": NUMBER, "finite_number": NUMBER, "int_type": NUMBER,
    "int_parsing": NUMBER,
    "int_from_float": "{what}的“{key}”应当是整数，现在是{input}",
    "greater_than": "{what}的“{key}”必须大于{gt}，现在是{input}",
    "greater_than_equal": "{what}的“{key}”不能小于{ge}，现在是{input}",
    "less_than_equal": "{what}的“{key}”不能大于{le}，现在是{input}",
    "string_type": "{what}的“{key}”应当是文字，现在是“{input}”",
    "dict_type": "{what}应当是“键: 值”形式的映射", "model_type": "{what}应当是“键: 值”形式的映射",
    "list_type": "{what}应当是列表（每项以“- ”开头）", "tuple_type": "{what}应当是列表（每项以“- ”开头）",
}


def nearest(word: str, candidates, cutoff: float = 0.5) -> str | None:
    matches = difflib.get_close_matches(str(word), [str(c) for c in candidates], n=1, cutoff=cutoff)
    return matches[0] if matches else None


def suggestion(word, candidates) -> str:
    match = nearest(word, candidates)
    return f"，是否指“{match}”？" if match else ""


def unknown_field(what: str, key, allowed) -> str:
    allowed = sorted(allowed)
    return f"{what}中有无法识别的字段“{key}”{suggestion(key, allowed)}（可用字段：{'、'.join(allowed)}）"


def given(raw: YMap) -> dict:
    """The keys written with a value (`key:` alone is as if not written), without those that only document,
    in every mapping within."""
    return {k: given(v) if isinstance(v, YMap) else v for k, v in raw.items() if k not in NOTE_KEYS and v is not None}


def _shown(value) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def _submodel(annotation) -> type[BaseModel] | None:
    from pydantic import BaseModel  # loaded by then: only a ValidationError is translated

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _submodel(argument)
        if found is not None:
            return found
    return None


def _where(raw, model: type[BaseModel], what: str, loc: tuple):
    """The mapping holding the value at `loc`, the model that describes it, what it is called, and whether the
    value is an entry of a mapping or list of them (described by that model)."""
    node, item = raw, False
    for part in loc[:-1]:
        inner = node.get(part) if isinstance(node, dict) else (
            node[part] if isinstance(node, list) and isinstance(part, int) and part < len(node) else None)
        if not isinstance(inner, (dict, list)):
            break
        node = inner
        if item:  # a key of a mapping of entries, or an index of a list of them: 用户“lisi”
            what, item = getattr(model, "what", what).replace("{name}", str(part)), False
        elif isinstance(part, str) and model is not None:
            field = model.model_fields.get(part)
            model = _submodel(field.annotation) if field else None
            item = field is not None and model is not None and typing.get_origin(field.annotation) in (dict, list)
            if not item:
                what = getattr(model, "what", None) or what
    return node, model, what, item


def translate(error: ValidationError, raw: YMap, model: type[BaseModel], what: str, file: str, *,
              extra: str | None = None, here: int | None = None) -> list[Problem]:
    """Each of pydantic's errors of validating `raw` against `model` as a Problem of `file`; `what` names the
    thing checked (e.g. 指标“征缴率”（征缴率）), `extra` overrides the message for a field not known, `here` is
    the line of a problem of the whole entry (else the entry's own line)."""
    problems = []
    for detail in error.errors(include_url=False):
        loc, kind, ctx = detail["loc"], detail["type"], detail.get("ctx") or {}
        if kind == "quiet":
            continue
        node, inner, label, entry = _where(raw, model, what, loc)
        key = next((part for part in reversed(loc) if isinstance(part, str)), "")
        if not loc:
            line = here or getattr(node, "line", 0)
        elif kind == "missing":  # not written, or written empty
            line = node.line_of(key) if isinstance(node, YMap) and key in node else getattr(node, "line", 0)
        elif isinstance(node, YMap):
            line = node.line_of(loc[-1])
        elif isinstance(node, YList) and isinstance(loc[-1], int):
            line = node.line_of(loc[-1])
        else:
            line = getattr(node, "line", 0)
        field = inner.model_fields.get(key) if inner is not None else None
        extras = (field.json_schema_extra or {}) if field is not None else {}
        allowed = sorted(f.alias or name for name, f in inner.model_fields.items()) if inner is not None else []
        if kind == "scorecard":
            template = ctx["text"]
        elif kind == "missing" and "missing" in extras:
            template = extras["missing"]
        elif kind == "extra_forbidden":
            template = extra or unknown_field("{what}", key, allowed)
        else:
            template = MESSAGES.get(kind, "{what}的“{key}”不符合要求：{input}")
        value = detail.get("input")
        plain = isinstance(value, (int, float, str)) and not isinstance(value, bool)
        written = _shown(value) if plain or not (isinstance(node, YMap) and key in node) else node.text_of(key)
        as_written = node.text_of(key) if isinstance(node, YMap) and key in node else _shown(value)
        values = {"what": label, "key": key, "input": written, "written": as_written,
                  **{k: _shown(v) for k, v in ctx.items() if k != "text"}}
        if entry and kind in ("model_type", "dict_type"):  # one entry, e.g. 用户“lisi”
            values["what"] = getattr(inner, "what", label).replace("{name}", str(loc[-1]))
        elif kind in ("list_type", "tuple_type", "dict_type") and key:
            values["what"] = key
        elif kind == "model_type" and key:
            inner_model = _submodel(field.annotation) if field is not None else None
            values["what"] = getattr(inner_model, "what", None) or f"{label}的“{key}”"
        text = template
        for name, value in values.items():
            text = text.replace("{" + name + "}", value)
        problems.append(Problem(file, line or None, text))
    return problems


def messages(error: ValidationError, raw: dict, model: type[BaseModel], what: str) -> list[str]:
    """The same words as `translate`, without file and line: for what was typed in a form or at the command
    line, checked by the file's models."""
    return [problem.message for problem in translate(error, raw, model, what, "")]
