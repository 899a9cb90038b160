"""Strict YAML for the policy model, and a checker that names file and key path.

PyYAML's ``SafeLoader`` silently keeps the last of two equal keys and turns
``2024-13-01`` into a crash deep inside the constructor. :class:`StrictLoader`
refuses duplicate keys (naming the key path) and leaves dates as text, so that
:class:`Checker` can reject a bad date with a message a person can act on
(pattern of openfisca-core ``parameters/config.py``).

Every problem is collected; :meth:`Checker.raise_if_any` raises one
:class:`~laser_policy.errors.PolicyModelError` listing them all, each as
``<file>: <key path>: <中文> / <English>``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, NoReturn

import yaml

from laser_policy.errors import PolicyModelError

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class DuplicateKeyError(yaml.YAMLError):
    def __init__(self, path: str, key: object, line: int):
        self.path, self.key, self.line = path, key, line
        super().__init__(f"duplicate key {key!r} at {path}")


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys and keeps dates as strings."""

    yaml_implicit_resolvers = {  # noqa: RUF012 - class attribute PyYAML reads
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream: str):
        super().__init__(stream)
        self.key_paths: dict[int, str] = {}

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        assert isinstance(node, yaml.MappingNode)
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                path = self.key_paths.get(id(node), "")
                raise DuplicateKeyError(path, key, key_node.start_mark.line + 1)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _index_paths(node: yaml.Node, path: str, out: dict[int, str]) -> None:
    out[id(node)] = path
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
            _index_paths(value_node, f"{path}.{key}" if path else str(key), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_paths(item, f"{path}[{i}]", out)


def load_yaml(path: Path) -> Any:
    """Read one YAML file strictly; errors name the file, line and key path."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyModelError(f"{name}: 文件不存在 / file is missing ({path})") from None
    except UnicodeDecodeError as exc:
        raise PolicyModelError(f"{name}: 不是UTF-8编码 / not UTF-8 ({exc.reason})") from None
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _index_paths(node, "", loader.key_paths)
        return loader.construct_document(node)
    except DuplicateKeyError as exc:
        where = f"{exc.path}." if exc.path else ""
        raise PolicyModelError(
            f"{name}: {where}{exc.key}: 第{exc.line}行重复的键 / duplicate key on line {exc.line}"
        ) from None
    except yaml.YAMLError as exc:
        raise PolicyModelError(f"{name}: YAML语法错误 / YAML syntax error: {exc}") from None
    finally:
        loader.dispose()


class _SkipItemError(Exception):
    """Internal: the current item cannot be built; its problem is already recorded."""


class Checker:
    """Typed access to loaded YAML that records problems with file and key path."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    # -- recording ---------------------------------------------------------------
    def add(self, file: str, path: str, zh: str, en: str) -> None:
        where = f"{file}: {path}: " if path else f"{file}: "
        self.problems.append(f"{where}{zh} / {en}")

    def fail(self, file: str, path: str, zh: str, en: str) -> NoReturn:
        self.add(file, path, zh, en)
        raise _SkipItemError

    def skip(self) -> NoReturn:
        """Give up on the current item; its problems are recorded already."""
        raise _SkipItemError

    @contextmanager
    def item(self) -> Iterator[None]:
        """Build one item; a failure inside is recorded and the item skipped."""
        with suppress(_SkipItemError):
            yield

    def raise_if_any(self) -> None:
        if self.problems:
            n = len(self.problems)
            head = f"政策模型有{n}个问题 / the policy model has {n} problem(s):\n" if n > 1 else ""
            raise PolicyModelError(head + "\n".join(self.problems))

    # -- typed getters -------------------------------------------------------------
    def mapping(
        self,
        file: str,
        path: str,
        value: Any,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ) -> Mapping[str, Any]:
        """A mapping with exactly the required keys and perhaps the optional ones."""
        if not isinstance(value, dict):
            self.fail(
                file,
                path,
                f"应为映射，实为{_kind(value)}",
                f"expected a mapping, got {_kind(value)}",
            )
        known = set(required) | set(optional)
        bad = False
        for key in value:
            if key not in known:
                bad = True
                self.add(
                    file,
                    _join(path, str(key)),
                    f"未知的键（允许: {', '.join(sorted(known))}）",
                    f"unknown key (allowed: {', '.join(sorted(known))})",
                )
        for key in required:
            if key not in value:
                bad = True
                self.add(file, _join(path, key), "缺少必需的键", "required key is missing")
        if bad:
            raise _SkipItemError
        return value

    def string(self, file: str, path: str, value: Any, *, empty: bool = False) -> str:
        if not isinstance(value, str) or (not empty and not value.strip()):
            self.fail(
                file,
                path,
                f"应为非空文本，实为{_kind(value)}",
                f"expected text, got {_kind(value)}",
            )
        return value

    def optional_string(self, file: str, path: str, value: Any) -> str | None:
        return None if value is None else self.string(file, path, value)

    def integer(self, file: str, path: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(
                file,
                path,
                f"应为整数，实为{_kind(value)}",
                f"expected an integer, got {_kind(value)}",
            )
        return value

    def number(self, file: str, path: str, value: Any) -> int | float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(
                file,
                path,
                f"应为数值，实为{_kind(value)}",
                f"expected a number, got {_kind(value)}",
            )
        return value

    def boolean(self, file: str, path: str, value: Any) -> bool:
        if not isinstance(value, bool):
            self.fail(
                file,
                path,
                f"应为 true/false，实为{_kind(value)}",
                f"expected true/false, got {_kind(value)}",
            )
        return value

    def strings(self, file: str, path: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list):
            self.fail(
                file, path, f"应为列表，实为{_kind(value)}", f"expected a list, got {_kind(value)}"
            )
        return tuple(self.string(file, f"{path}[{i}]", v) for i, v in enumerate(value))

    def date(self, file: str, path: str, value: Any) -> dt.date:
        text = str(value)
        try:
            if not isinstance(value, str | dt.date):
                raise ValueError(text)
            return value if isinstance(value, dt.date) else dt.date.fromisoformat(text)
        except ValueError:
            self.fail(
                file,
                path,
                f"{text} 不是有效日期（应为 YYYY-MM-DD）",
                f"{text} is not a valid date (expected YYYY-MM-DD)",
            )

    def choice(self, file: str, path: str, value: Any, choices: tuple[str, ...]) -> str:
        if value not in choices:
            self.fail(
                file,
                path,
                f"{value!r} 不是允许的取值（{', '.join(choices)}）",
                f"{value!r} is not one of {', '.join(choices)}",
            )
        return str(value)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _kind(value: Any) -> str:
    if value is None:
        return "空值 null"
    return {
        bool: "布尔 bool",
        int: "整数 int",
        float: "小数 float",
        str: f"文本 {value!r}",
        list: "列表 list",
        dict: "映射 mapping",
    }.get(type(value), type(value).__name__)
