"""Read a user's YAML file safely and keep line/column marks for every value.

The data comes from ``yaml.safe_load``; the node tree from ``yaml.compose`` (which
builds nodes only, never objects) gives the line and column of any key or value,
so a validation error can point at the exact spot a user must fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from chooser.core.errors import UserError
from chooser.core.inputs import MAX_YAML_BYTES, check_yaml_shape, clip, read_user_text

# Question banks, rules and answers are a few kB; anything this big is a mistake.
MAX_BYTES = MAX_YAML_BYTES

Loc = Sequence[str | int]


@dataclass
class YamlDoc:
    """One parsed YAML document with its node tree for error locations."""

    path: str
    data: Any
    root: yaml.Node

    def mark(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at ``loc`` (or of its key when ``key``);
        falls back to the deepest node found when part of ``loc`` does not exist."""
        node, key_node = self.root, None
        for part in loc:
            child = _child(node, part)
            if child is None:
                break
            key_node, node = child
        target = key_node if key and key_node is not None else node
        return target.start_mark.line + 1, target.start_mark.column + 1

    def error(self, message: str, loc: Loc = (), *, key: bool = False) -> UserError:
        line, column = self.mark(loc, key=key)
        return UserError(message, path=self.path, line=line, column=column)


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                return key_node, value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        if 0 <= part < len(node.value):
            return None, node.value[part]
    return None


def load_yaml(path: str | Path, what: str, *, expect: str) -> YamlDoc:
    """Read ``path`` as one YAML mapping. ``what`` names the file in messages
    ("questions file"); ``expect`` says what the top level should hold."""
    shown = str(path)
    text = read_user_text(path, what, MAX_BYTES)  # regular file, size cap, no NUL, UTF-8
    return parse_yaml(text, shown, what, expect=expect)


def parse_yaml(text: str, shown: str, what: str, *, expect: str) -> YamlDoc:
    check_yaml_shape(text, shown)  # depth and alias expansion, before the recursive composer
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, shown) from None
    except yaml.reader.ReaderError as exc:  # a control character PyYAML refuses
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise UserError(
            f"{what} contains the control character #x{exc.character:04x}, "
            "which YAML does not allow",
            path=shown,
            line=line,
            column=column,
        ) from None
    except yaml.YAMLError as exc:  # more than one document, etc.
        raise UserError(f"YAML error: {' '.join(str(exc).split())}", path=shown) from None
    except (RecursionError, MemoryError):  # the checks above make this unlikely
        raise UserError(f"{what} is nested too deeply to read", path=shown) from None
    if root is None:
        raise UserError(f"{what} is empty; expected {expect}", path=shown, line=1, column=1)
    doc = YamlDoc(shown, data, root)
    if not isinstance(data, dict):
        kinds: dict[type, str] = {list: "a list", str: "a single text value"}
        kind = kinds.get(type(data), type(data).__name__)
        raise doc.error(f"the top level is {kind}; expected {expect}")
    _check_duplicate_keys(doc, root)
    return doc


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, shown: str) -> UserError:
    problem = exc.problem or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    if "could not find expected ':'" in problem and exc.context_mark is not None:
        mark = exc.context_mark  # where the key without a colon starts, not where YAML gave up
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    lines = text.splitlines()
    hint = ""
    src = lines[line - 1] if line is not None and 0 < line <= len(lines) else ""
    if "\t" in problem or "\t" in src[: (column or 1)]:
        hint = " (this line is indented with a tab; YAML indents with spaces)"
    elif "could not find expected ':'" in problem:
        hint = " (is a ':' missing after the key on this line?)"
    elif "mapping values are not allowed" in problem:
        before = (
            next((i for i in range(line - 2, -1, -1) if lines[i].strip()), None) if line else None
        )
        if before is not None and ":" not in lines[before].split("#")[0]:
            hint = (
                f" at line {line}, column {column}: this line has no ':' — is a colon "
                "missing after its key? (YAML read it and the next line as one value)"
            )
            line, column = before + 1, None
        else:
            hint = " (a value containing ': ' must be quoted)"
    context = f" {exc.context}" if exc.context and exc.context != problem else ""
    return UserError(
        f"YAML syntax error: {problem}{context}{hint}", path=shown, line=line, column=column
    )


def _check_duplicate_keys(
    doc: YamlDoc, node: yaml.Node, seen_nodes: set[int] | None = None
) -> None:
    """PyYAML silently keeps the last of two equal keys; a user means neither."""
    seen_nodes = set() if seen_nodes is None else seen_nodes
    if id(node) in seen_nodes:  # aliases share nodes: visit each once
        return
    seen_nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in keys:
                    first = keys[key_node.value].start_mark.line + 1
                    m = key_node.start_mark
                    raise UserError(
                        f"duplicate key {clip(repr(key_node.value))} (first defined on line "
                        f"{first})",
                        path=doc.path,
                        line=m.line + 1,
                        column=m.column + 1,
                    )
                keys[key_node.value] = key_node
            _check_duplicate_keys(doc, value_node, seen_nodes)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicate_keys(doc, item, seen_nodes)


def describe(value: Any) -> str:
    """A short, user-facing name for what YAML produced."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a yes/no value ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({clip(value)})"
    if isinstance(value, str):
        return f"text {clip(repr(value))}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
