"""io.published_comparators: the bundled published scores of related roles, checked row by row."""

from __future__ import annotations

import pytest

from aijri_core import AIJRIError
from aijri_core.io import published_comparators
from aijri_core.methodology import Zone


def test_bundled_comparators_match_the_seed_assessment(seed_role):
    rows = {c.title: c for c in published_comparators()}
    assert len(rows) == 8
    assert (rows["AI Infrastructure Engineer"].score, rows["AI Infrastructure Engineer"].zone) == (49.1, Zone.GREEN)
    assert rows["AI Infrastructure Engineer"].sublabel == "Transforming"
    assert rows["Data Center Technician"].sublabel is None
    for c in seed_role.comparators:  # the seed names its comparators with the same published scores
        assert (rows[c.title].score, rows[c.title].zone) == (c.score, c.zone)


def test_no_file_means_no_comparators(tmp_path, monkeypatch):
    monkeypatch.setenv("AIJRI_DATA_DIR", str(tmp_path))
    assert published_comparators() == ()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("A,1x,Green,", "comparators.csv: line 3: score: '1x' is not a number; allowed: a number from 0 to 100"),
        ("A,nan,Green,", "comparators.csv: line 3: score: 'nan' is not a finite number"),
        ("A,101,Green,", "comparators.csv: line 3"),
        ("A,50,Purple,", "comparators.csv: line 3: zone: 'Purple' is not valid"),
        (",50,Green,", "comparators.csv: line 3: title"),
    ],
)
def test_a_bad_row_is_one_clear_error(tmp_path, monkeypatch, row, message):
    monkeypatch.setenv("AIJRI_DATA_DIR", str(tmp_path))
    (tmp_path / "comparators.csv").write_text(f"title,score,zone,sublabel\nB,40,Yellow,\n{row}\n", encoding="utf-8")
    with pytest.raises(AIJRIError) as err:
        published_comparators()
    assert str(err.value).startswith(message)
