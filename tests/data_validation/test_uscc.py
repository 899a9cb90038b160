"""GB 32100-2015 credit codes: generation and validation agree."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from laser_policy.contracts.uscc import (
    AUTHORITY_TYPES,
    CHARSET,
    check_uscc,
    is_valid_uscc,
    make_uscc,
    valid_mask,
)

PAIRS = sorted((a, t) for a, kinds in AUTHORITY_TYPES.items() for t in (kinds or "123456789"))
bodies = st.builds(
    lambda pair, division, org: pair[0] + pair[1] + division + org,
    st.sampled_from(PAIRS),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(CHARSET, min_size=8, max_size=8),
)


@given(bodies)
def test_made_codes_are_valid(body: str) -> None:
    code = make_uscc(body)
    assert code.startswith(body)
    assert len(code) == 18
    assert is_valid_uscc(code)
    assert check_uscc(code) == []
    assert valid_mask(np.array([code], dtype=object)).tolist() == [True]


@given(bodies, st.integers(0, 17), st.sampled_from(CHARSET))
def test_any_single_substitution_is_detected(body: str, position: int, char: str) -> None:
    code = make_uscc(body)
    changed = code[:position] + char + code[position + 1:]
    if changed != code:
        assert not is_valid_uscc(changed)
        assert valid_mask(np.array([changed], dtype=object)).tolist() == [False]


@given(st.text(CHARSET + "abz IO", min_size=0, max_size=20))
def test_vectorised_check_agrees_with_the_scalar_one(text: str) -> None:
    assert valid_mask(np.array([text], dtype=object))[0] == is_valid_uscc(text)


@pytest.mark.parametrize(
    ("value", "rules"),
    [
        ("91350100M000100Y43", []),
        ("91350100m000100y43", ["uscc.lowercase"]),
        ("91350100M000100Y43 ", ["uscc.space"]),
        ("913501 00M000100Y43", ["uscc.space"]),
        ("９1350100M000100Y43", ["uscc.fullwidth"]),
        ("91350100M000100Y4", ["uscc.length"]),
        ("91350100M000100Y4I", ["uscc.charset"]),
        ("94350100M000100Y43", ["uscc.type", "uscc.check_character"]),
        ("913501A0M000100Y43", ["uscc.division", "uscc.check_character"]),
        (None, ["uscc.missing"]),
    ],
)
def test_each_fault_has_its_own_rule(value: str | None, rules: list[str]) -> None:
    assert check_uscc(value) == rules


def test_make_uscc_refuses_a_wrong_organisation_check() -> None:
    with pytest.raises(ValueError, match="GB 11714"):
        make_uscc("91350100M000100Y5")
    assert make_uscc("91350100M000100Y4") == "91350100M000100Y43"
