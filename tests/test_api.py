"""The Python API: the README's examples run, rows convert to DataFrames and Arrow tables."""

import re

import pyarrow as pa
import pytest

from conftest import EXAMPLES, ROOT
import detente.api as dt
from detente.codes import UnknownCode, check_code, known_codes, org_codes


def _readme_api_blocks() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Python API"): readme.index("## Organisations as actors")]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_the_readme_api_examples_run(tmp_path, monkeypatch, capsys):
    blocks = _readme_api_blocks()
    assert len(blocks) == 2
    (tmp_path / "examples").symlink_to(EXAMPLES)
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "events stored" in printed and "['IND'" in printed
    assert (tmp_path / "events.parquet").stat().st_size > 1000


def test_rows_become_dataframes_and_arrow_tables():
    rows = dt.Rows([{"actor": "EU", "events": 3}, {"actor": "BLR", "events": 1}])
    assert rows.to_arrow().schema.field("events").type == pa.int64()
    assert list(rows.to_pandas()["actor"]) == ["EU", "BLR"] and len(rows) == 2 and rows[0]["actor"] == "EU"


def test_organisation_codes_are_no_country_codes_and_every_common_body_has_one():
    import pycountry

    codes = set(org_codes().values())
    assert {"EU", "NATO", "UN", "UNHCR", "AU", "ASEAN", "OSCE", "IAEA", "ICC", "ICRC", "AMNESTY", "HRW"} <= codes
    assert not [c for c in codes if pycountry.countries.get(alpha_3=c)]
    assert codes <= set(known_codes())


@pytest.mark.parametrize("code, nearest", [("india", "IND"), ("Nato", None), ("ZZZ", None), ("eu", None)])
def test_codes_are_checked_and_the_nearest_suggested(code, nearest):
    if code.upper() in known_codes():
        assert check_code(code) == code.upper()
        return
    with pytest.raises(UnknownCode) as caught:
        check_code(code)
    assert caught.value.suggestions and (nearest is None or caught.value.suggestions[0] == nearest)


def test_bad_options_are_named_errors():
    with pytest.raises(ValueError, match="factuality"):
        dt.event_filter(factuality=["rumoured"])
    with pytest.raises(ValueError, match="PLOVER"):
        dt.check_type("HUG")
