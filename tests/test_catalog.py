"""The SQLite catalogue and the side-car CSV: stored values for the samples, checksums, upserts,
conflicts between the text and the side-car reported, CSV export."""
import csv
import hashlib
import io
import sqlite3
from pathlib import Path

import pytest

from pipeline.library import catalog
from pipeline.cli import main
from pipeline.model import Document

from conftest import SAMPLES

SIDECAR = """file,symbol,date,body
004_606d4b0c0e2b6ba1.txt,CD/2150,2019-08-20,un-cd
002_26ed8003f1d0be1d,A/RES/72/99,2017-12-05,un-ga
"""

EXPECTED = {
    "001_9a49e6d86cf63165.txt": dict(symbol="A/RES/76/53", kind="resolution", body="un-ga", session="76",
                                     agenda_items="100 (k)", adoption_date="2021-12-06", meeting="第 45 次全体会议",
                                     title="国际法院关于“以核武器进行威胁或使用核武器的合法性”的咨询意见的后续行动",
                                     language="zho", preamble_count=18, operative_count=4, footnote_count=13,
                                     citation_count=13),
    # the side-car overrides the text (and the conflict is reported)
    "002_26ed8003f1d0be1d.txt": dict(symbol="A/RES/72/99", kind="resolution", body="un-ga", session="72",
                                     agenda_items="99(bb)", adoption_date="2017-12-05", meeting="第 62 次全体会议",
                                     title="推进多边核裁军谈判", language="zho", preamble_count=21,
                                     operative_count=16, footnote_count=13, citation_count=15),
    "003_0e387bc0e6f52a78.txt": dict(symbol="A/RES/76/40", kind="resolution", body="un-ga", session="76",
                                     agenda_items="100 (r)", adoption_date="2021-12-06", meeting="第 45 次全体会议",
                                     title="促进裁军和不扩散领域的多边主义", language="zho", preamble_count=14,
                                     operative_count=9, footnote_count=3, citation_count=3),
    # the side-car fills in what the CD statement lacks
    "004_606d4b0c0e2b6ba1.txt": dict(symbol="CD/2150", kind="statement", body="un-cd", session=None,
                                     agenda_items="", adoption_date="2019-08-20", meeting=None,
                                     title="关于 2013 年核裁军问题大会高级别会议后续行动的声明", language="zho",
                                     preamble_count=0, operative_count=15, footnote_count=0, citation_count=0),
}


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The samples converted with the side-car, catalogued from the outputs."""
    tmp = tmp_path_factory.mktemp("batch")
    meta = tmp / "meta.csv"
    meta.write_text(SIDECAR, encoding="utf-8")
    out = tmp / "out"
    assert main(["convert", *map(str, SAMPLES), "-o", str(out), "--meta", str(meta), "-q"]) == 0
    samples_dir = str(SAMPLES[0].parent)
    assert main(["catalog", "build", str(out), "--inputs", samples_dir]) == 0
    return out, out / catalog.DEFAULT_NAME


def test_sidecar_read():
    from pipeline.sidecar import read_sidecar
    from pathlib import Path
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "m.csv"
        p.write_text("\ufeff" + SIDECAR, encoding="utf-8")
        table = read_sidecar(str(p))
    assert table["004_606d4b0c0e2b6ba1"] == {"symbol": "CD/2150", "date": "2019-08-20", "body": "un-cd"}
    assert table["002_26ed8003f1d0be1d"]["symbol"] == "A/RES/72/99"  # a stem matches too


def test_stored_values(batch):
    _, db = batch
    rows = {r["file"]: r for r in catalog.query(db)}
    assert set(rows) == set(EXPECTED)
    for name, want in EXPECTED.items():
        got = {k: rows[name][k] for k in want}
        assert got == want, name
        assert rows[name]["status"] == "ok"


def test_checksums(batch):
    out, db = batch
    for r in catalog.query(db):
        stem = r["file"][:-4]
        src = next(p for p in SAMPLES if p.name == r["file"])
        assert r["input_sha256"] == sha(src)
        assert r["xml_sha256"] == sha(out / f"{stem}.akn.xml")
        assert r["json_sha256"] == sha(out / f"{stem}.json")
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM outputs").fetchone()[0] == 8
    con.close()


def test_sidecar_conflict_reported(batch):
    """Text says A/RES/72/31 adopted 2017-12-04; the side-car says otherwise: reported, side-car used."""
    out, db = batch
    doc = Document.model_validate_json((out / "002_26ed8003f1d0be1d.json").read_bytes())
    conflicts = [d.message for d in doc.diagnostics if d.code == "metadata.conflict"]
    assert len(conflicts) == 2
    assert any("A/RES/72/31" in m and "A/RES/72/99" in m for m in conflicts)
    assert any("2017-12-04" in m and "2017-12-05" in m for m in conflicts)
    stored = catalog.diagnostics(db, "002_26ed8003f1d0be1d.txt")
    assert [d["code"] for d in stored if d["code"] == "metadata.conflict"] == ["metadata.conflict"] * 2
    assert [r["file"] for r in catalog.query(db, code="metadata.conflict")] == ["002_26ed8003f1d0be1d.txt"]
    # the CD statement's side-car values fill gaps: no conflict, no metadata.missing
    codes4 = {d["code"] for d in catalog.diagnostics(db, "004_606d4b0c0e2b6ba1.txt")}
    assert "metadata.conflict" not in codes4 and "metadata.missing" not in codes4


def test_without_sidecar_missing_reported(tmp_path):
    src = next(p for p in SAMPLES if p.name.startswith("004"))
    assert main(["convert", str(src), "-o", str(tmp_path), "-q"]) == 0
    db = catalog.build(tmp_path)
    (row,) = catalog.query(db)
    assert row["symbol"] is None and row["adoption_date"] is None and row["warning_count"] == 1
    assert [d["code"] for d in catalog.diagnostics(db, src.name) if d["severity"] != "info"] == ["metadata.missing"]


def test_record_upserts(tmp_path, batch):
    out, _ = batch
    db = tmp_path / "c.sqlite"
    doc = Document.model_validate_json((out / "001_9a49e6d86cf63165.json").read_bytes())
    outputs = {"xml": out / "001_9a49e6d86cf63165.akn.xml", "json": {"path": "x.json", "sha256": "ab" * 32}}
    first = catalog.record(db, doc, "cd" * 32, outputs)
    assert catalog.record(db, doc, "ef" * 32, outputs) == first
    (row,) = catalog.query(db)
    assert row["input_sha256"] == "ef" * 32 and row["json_sha256"] == "ab" * 32
    assert row["xml_sha256"] == sha(out / "001_9a49e6d86cf63165.akn.xml")
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM diagnostics").fetchone()[0] == len(doc.diagnostics)
    assert con.execute("SELECT number, title FROM agenda_items").fetchall() == \
        [("100 (k)", "全面彻底裁军：国际法院关于“以核武器进行威胁或使用核武器的合法性”的咨询意见的后续行动")]
    con.close()


def test_cli_query_and_csv(batch, tmp_path, capsys):
    _, db = batch
    assert main(["catalog", str(db), "--symbol", "A/RES/76/%"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [ln.split("\t")[1] for ln in lines] == ["A/RES/76/53", "A/RES/76/40"]
    dest = tmp_path / "c.csv"
    assert main(["catalog", str(db), "--csv", str(dest)]) == 0
    rows = list(csv.DictReader(io.StringIO(dest.read_text(encoding="utf-8"))))
    assert [r["symbol"] for r in rows] == ["A/RES/76/53", "A/RES/72/99", "A/RES/76/40", "CD/2150"]
    assert rows[3]["body"] == "un-cd" and rows[3]["adoption_date"] == "2019-08-20"
    assert main(["catalog", str(tmp_path / "none.sqlite")]) == 2


def test_schema_documented(root):
    """docs/catalog.md names every column of every table."""
    text = (root / "docs" / "catalog.md").read_text(encoding="utf-8")
    con = sqlite3.connect(":memory:")
    con.executescript(catalog.SCHEMA)
    for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'"):
        assert f"`{table}`" in text
        for col in con.execute(f"PRAGMA table_info({table})"):
            assert f"`{col[1]}`" in text, (table, col[1])


def test_convert_fills_the_catalogue(tmp_path):
    """``convert`` records every converted document in DIR/catalog.sqlite, with the checksums of
    the input and of the outputs it wrote."""
    import hashlib
    import sqlite3

    from pipeline.cli import main

    samples = sorted((Path(__file__).parent.parent / "samples").glob("*.txt"))
    assert main(["convert", *map(str, samples), "-o", str(tmp_path), "-q", "-j", "1"]) == 0
    con = sqlite3.connect(tmp_path / "catalog.sqlite")
    rows = con.execute("SELECT file, symbol, kind, adoption_date, operative_count, input_sha256, xml_sha256 "
                       "FROM documents ORDER BY file").fetchall()
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in rows] == [
        ("001_9a49e6d86cf63165.txt", "A/RES/76/53", "resolution", "2021-12-06", 4),
        ("002_26ed8003f1d0be1d.txt", "A/RES/72/31", "resolution", "2017-12-04", 16),
        ("003_0e387bc0e6f52a78.txt", "A/RES/76/40", "resolution", "2021-12-06", 9),
        ("004_606d4b0c0e2b6ba1.txt", None, "statement", None, 15),
    ]
    for (file, *_, input_sha, xml_sha), path in zip(rows, samples):
        assert input_sha == hashlib.sha256(path.read_bytes()).hexdigest()
        assert xml_sha == hashlib.sha256((tmp_path / (path.stem + ".akn.xml")).read_bytes()).hexdigest()
