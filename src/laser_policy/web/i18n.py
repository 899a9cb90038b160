"""Chinese first, English on request: the message catalog and the language choice.

The language is ``?lang=en`` / ``?lang=zh`` (remembered in the ``lang`` cookie),
else the cookie, else Chinese. Texts live in ``messages.yaml`` beside this module.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import yaml

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
LANG_COOKIE = "lang"


@cache
def catalog() -> dict[str, dict[str, str]]:
    """All messages, loaded once from the package."""
    text = resources.files("laser_policy.web").joinpath("messages.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    return {str(k): {str(lang): str(v) for lang, v in entry.items()} for k, entry in raw.items()}


def translate(key: str, lang: str, **values: object) -> str:
    """The message for ``key`` in ``lang`` (Chinese when missing), formatted with values."""
    entry = catalog().get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get("zh") or key
    return text.format(**values) if values else text


def choose_lang(query: str | None, cookie: str | None) -> Lang:
    for candidate in (query, cookie):
        if candidate in LANGS:
            return "en" if candidate == "en" else "zh"
    return "zh"
