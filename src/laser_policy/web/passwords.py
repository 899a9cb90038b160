"""The password policy and the identity rule for user names.

Passwords: at least ``MIN_PASSWORD_LENGTH`` characters, not only spaces, not the user
name (nor containing it), not one repeated character, and not on the bundled list of
the most common passwords (``common_passwords.txt``, compared case-insensitively after
NFKC). User names are identities: NFKC-normalised and casefolded (``ADMIN`` is
``admin``, a full-width ``ａｌｉｃｅ`` is ``alice``); letters, digits and ``. _ - @``
only (no spaces, no NUL or other control characters), at most ``MAX_USERNAME_LENGTH``.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1000
MAX_USERNAME_LENGTH = 64
USERNAME_PUNCTUATION = frozenset("._-@")

@cache
def common_passwords() -> frozenset[str]:
    """The bundled list of common passwords (``common_passwords.txt``), folded."""
    text = resources.files("laser_policy.web").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        normalise_username(line.strip())
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def normalise_username(raw: str) -> str:
    """The identity of a user name: NFKC then casefold (``Ａｌｉｃｅ`` → ``alice``)."""
    return unicodedata.normalize("NFKC", raw).casefold()


def _allowed(char: str) -> bool:
    return unicodedata.category(char)[0] in ("L", "N") or char in USERNAME_PUNCTUATION


def username_problems(name: str) -> list[str]:
    """What is wrong with a (normalised) user name, Chinese first; empty when it is fine."""
    if not name:
        return ["用户名不能为空 / user name is required"]
    problems: list[str] = []
    if len(name) > MAX_USERNAME_LENGTH:
        problems.append(
            f"用户名最多{MAX_USERNAME_LENGTH}个字符 / user name has at most "
            f"{MAX_USERNAME_LENGTH} characters"
        )
    bad = sorted({c for c in name if not _allowed(c)})
    if bad:
        shown = ", ".join(f"U+{ord(c):04X}" for c in bad[:5])
        problems.append(
            "用户名只能含字母、数字和 . _ - @（不能有空格或控制字符：" + shown + "）/ "
            "a user name holds letters, digits and . _ - @ only (no spaces or control "
            f"characters: {shown})"
        )
    return problems


def password_problems(password: str, username: str = "") -> list[str]:
    """What is wrong with a password for ``username``, Chinese first; empty when fine."""
    problems: list[str] = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(
            f"密码至少{MIN_PASSWORD_LENGTH}个字符 / password needs ≥ {MIN_PASSWORD_LENGTH} "
            "characters"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(
            f"密码最多{MAX_PASSWORD_LENGTH}个字符 / password has at most "
            f"{MAX_PASSWORD_LENGTH} characters"
        )
    folded = normalise_username(password)
    if not password.strip():
        problems.append("密码不能全是空格 / password cannot be only spaces")
    elif len(set(folded)) == 1:
        problems.append("密码不能是同一个字符重复 / password cannot be one repeated character")
    user = normalise_username(username)
    if user and (folded == user or (len(user) >= 3 and user in folded)):
        problems.append("密码不能包含用户名 / password cannot contain the user name")
    if folded in common_passwords() or folded.rstrip("!.") in common_passwords():
        problems.append("密码过于常见，请换一个 / password is too common, choose another")
    return problems
