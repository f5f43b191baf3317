"""BagIt packages: a batch bagged with report, catalogue and pages; sha256 and sha512 manifests;
verify-bag names a changed or missing file and exits non-zero."""
import json
import shutil

import bagit
import pytest

from pipeline.cli import main

from conftest import OUTPUT

XML = "data/002_26ed8003f1d0be1d.akn.xml"


@pytest.fixture
def bag(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for p in OUTPUT.iterdir():
        shutil.copy(p, out / p.name)
    (out / "report.jsonl").write_text(json.dumps({"input": "x.txt", "status": "ok"}) + "\n", encoding="utf-8")
    assert main(["html", str(out)]) == 0
    assert main(["package", str(out), str(tmp_path / "bag")]) == 0
    return tmp_path / "bag"


def test_bag_contents(bag):
    names = {p.relative_to(bag).as_posix() for p in bag.rglob("*") if p.is_file()}
    for stem in (p.name[:-5] for p in OUTPUT.glob("*.json")):
        assert f"data/{stem}.json" in names and f"data/{stem}.akn.xml" in names
        assert f"data/html/{stem}.html" in names
    assert {"data/report.jsonl", "data/catalog.sqlite", "data/html/index.html", "bagit.txt", "bag-info.txt",
            "manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt",
            "tagmanifest-sha512.txt"} <= names
    b = bagit.Bag(str(bag))
    assert set(b.algorithms) == {"sha256", "sha512"}
    assert b.info["Document-Count"] == "4" and "Payload-Oxum" in b.info and "Bagging-Date" in b.info
    assert b.validate()


def test_verify_valid(bag, capsys):
    assert main(["verify-bag", str(bag)]) == 0
    assert capsys.readouterr().out == ""


def test_one_byte_changed(bag, capsys):
    path = bag / XML
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    assert main(["verify-bag", str(bag)]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) == 2  # sha256 and sha512 both disagree
    assert all(f"{XML}: changed:" in ln for ln in lines)
    assert "sha256" in lines[0] and "sha512" in lines[1]


def test_missing_and_changed_named(bag, capsys):
    (bag / "data/html/index.html").unlink()
    with open(bag / "data/report.jsonl", "ab") as fh:
        fh.write(b" ")
    assert main(["verify-bag", str(bag)]) == 1
    out = capsys.readouterr().out
    assert "data/html/index.html: missing" in out
    assert "data/report.jsonl: changed" in out


def test_unexpected_file_named(bag, capsys):
    (bag / "data/extra.txt").write_text("x", encoding="utf-8")
    assert main(["verify-bag", str(bag)]) == 1
    assert "data/extra.txt: unexpected" in capsys.readouterr().out


def test_tag_file_changed(bag, capsys):
    info = bag / "bag-info.txt"
    info.write_text(info.read_text(encoding="utf-8").replace("akn-pipeline", "akn-pipelinX", 1), encoding="utf-8")
    assert main(["verify-bag", str(bag)]) == 1
    assert "bag-info.txt: changed" in capsys.readouterr().out


def test_refuses_bad_targets(tmp_path, bag):
    assert main(["package", str(tmp_path / "nothing"), str(tmp_path / "b2")]) == 2
    assert main(["package", str(OUTPUT), str(bag)]) == 2  # not empty
    assert main(["verify-bag", str(tmp_path / "nothing")]) == 1


def test_catalogue_left_in_wal_mode_is_bagged_whole(tmp_path):
    """A run killed before it closed its catalogue leaves rows in the write-ahead log: the bag's
    catalogue has them all, as one plain file."""
    import sqlite3
    out = tmp_path / "out"
    assert main(["convert", str(OUTPUT.parent / "samples"), "-o", str(out), "-q", "--jobs", "1"]) == 0
    con = sqlite3.connect(out / "catalog.sqlite")  # as a killed run leaves it: WAL, rows not checkpointed
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA wal_autocheckpoint = 0")
    con.execute("UPDATE documents SET title = 'in the log only'")
    con.commit()
    keep = sqlite3.connect(out / "catalog.sqlite")  # holds the log open while the bag is made
    keep.execute("SELECT 1").fetchone()
    try:
        assert (out / "catalog.sqlite-wal").exists()
        assert main(["package", str(out), str(tmp_path / "bag")]) == 0
    finally:
        keep.close()
        con.close()
    bagged = tmp_path / "bag" / "data" / "catalog.sqlite"
    assert not (tmp_path / "bag" / "data" / "catalog.sqlite-wal").exists()
    con = sqlite3.connect(f"file:{bagged}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert [r[0] for r in con.execute("SELECT DISTINCT title FROM documents")] == ["in the log only"]
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 4
    finally:
        con.close()
    assert main(["verify-bag", str(tmp_path / "bag")]) == 0
