"""The packaged model and the parser agree: the model can be rebuilt from its own text."""

from __future__ import annotations

from laser_policy.model import model_path
from laser_policy.policy.model import load_policy
from laser_policy.policy.parse import parse_document


def test_parsing_the_shipped_text_rebuilds_the_models_measures() -> None:
    model = load_policy()
    parsed = parse_document(model_path() / "document.txt")
    assert parsed.doc_number == model.doc_number
    assert [(m.number, m.chapter) for m in parsed.measures] == [
        (m.number, m.chapter) for m in model.measures]
    for got, want in zip(parsed.measures, model.measures, strict=True):
        assert tuple(got.lead_units) == want.lead_units, want.numeral
        assert tuple(got.responsible_units) == want.responsible_units, want.numeral
        assert want.title in got.title or got.title in want.title, want.numeral
