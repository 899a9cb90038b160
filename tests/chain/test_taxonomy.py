"""The chain taxonomy comes from the policy model and keeps SHARED_SPECS's codes."""

from __future__ import annotations

from laser_policy.chain.taxonomy import by_code, named_weak, resolve, segments, split_segments

SPEC_CODES = [
    "MAT-CRYSTAL", "MAT-NLO", "MAT-SEMI", "MAT-FIBER", "CMP-MIRROR", "CMP-SLM",
    "CMP-HEAD", "CMP-CHIP", "LSR-FIBER", "LSR-SEMI", "LSR-VISIBLE", "LSR-GAS",
    "LSR-SPECIAL", "EQP-CUT", "EQP-WELD", "EQP-MARK", "EQP-MICRO", "EQP-CLEAN",
    "EQP-AM", "APP-MED", "APP-LIDAR"
]


def test_codes_are_those_of_the_shared_spec() -> None:
    assert [s.code for s in segments()] == SPEC_CODES


def test_the_text_names_seven_weak_links() -> None:
    weak = {c for c, s in by_code().items() if named_weak(s)}
    assert weak == {"MAT-CRYSTAL", "MAT-NLO", "MAT-SEMI", "CMP-MIRROR", "CMP-SLM", "CMP-HEAD",
                    "CMP-CHIP"} - {"CMP-CHIP"}


def test_names_and_codes_resolve() -> None:
    assert resolve("非线性光学晶体") == "MAT-NLO"
    assert resolve(" eqp-cut ") == "EQP-CUT"
    assert resolve("激光") is None


def test_segment_cells_split_on_any_separator() -> None:
    assert split_segments("MAT-CRYSTAL；光纤激光器, EQP-CUT;未知;MAT-CRYSTAL") == [
        "MAT-CRYSTAL", "LSR-FIBER", "EQP-CUT"]
    assert split_segments(None) == []
