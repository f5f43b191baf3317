"""Negative tests of the command line: inputs that cannot be converted, or convert with errors.

Each runs ``pipeline.cli.main(["convert", ...])`` on files written to ``tmp_path`` and checks the exit
status, the diagnostic lines on stderr (``file:line: severity code: message``), the absence of a
traceback, and which output files exist (none, and no temporary file, for a failed document)."""
from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

import pytest
from lxml import etree

from pipeline.cli import main
from pipeline.decode import InputError, decode
from pipeline.emit.validate import json_errors, xml_errors

from conftest import SAMPLES

SAMPLE_001 = next(p for p in SAMPLES if p.name.startswith("001"))
DIAG = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<severity>error|warning|info) "
                  r"(?P<code>[a-z]+(?:\.[a-z-]+)+): (?P<message>.+)$")


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / "in" / name
    path.parent.mkdir(exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def convert(capsys, tmp_path: Path, *paths: Path, extra: tuple[str, ...] = ()) -> tuple[int, str, Path]:
    out = tmp_path / "out"
    rc = main(["convert", *map(str, paths), "-o", str(out), "-j", "1", *extra])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "Traceback" not in captured.out
    return rc, captured.err, out


def diagnostics(err: str, path: Path) -> list[dict]:
    """The diagnostic lines about ``path`` on stderr, parsed; every line naming the file must parse."""
    found = []
    for line in err.splitlines():
        if line.startswith(str(path) + ":"):
            m = DIAG.match(line)
            assert m, f"badly formed diagnostic line: {line!r}"
            found.append(m.groupdict())
    return found


def outputs(out: Path, stem: str) -> list[str]:
    """Output files of one document, and any temporary file left in the output directory."""
    if not out.exists():
        return []
    names = [p.name for p in out.rglob("*") if p.is_file()]
    return sorted(n for n in names if n.startswith((f"{stem}.", f".{stem}.")) or n.endswith(".tmp"))


def assert_nothing_written(out: Path, stem: str) -> None:
    assert outputs(out, stem) == []


def assert_written(out: Path, stem: str) -> dict:
    assert outputs(out, stem) == [f"{stem}.akn.xml", f"{stem}.json"]
    xml = (out / f"{stem}.akn.xml").read_bytes()
    assert xml_errors(etree.ElementTree(etree.fromstring(xml))) == []
    data = json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))
    assert json_errors(data, reference=True) == []
    return data


# ------------------------------------------------------------------ refused inputs

def _invalid_bytes() -> bytes:
    """Valid UTF-8 lines, then a byte that is neither UTF-8 nor the start of a GB18030 character."""
    data = "第七十六届会议\n\n大会，\n".encode("utf-8") + b"\x80\x80\n"
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb18030")
    return data


REFUSED = [
    # (title, file name, bytes, code, line)
    ("empty file", "empty.txt", b"", "input.empty", 1),
    ("whitespace-only file", "blank.txt", " \n\t\n\u3000\u00a0\n\r\n".encode("utf-8"), "input.empty", 1),
    ("binary file (PNG with NULs)", "image.txt",
     b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06" + bytes(range(256)),
     "input.binary", 3),
    ("control characters", "controls.txt", ("大会，\n" + "\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 3).encode(),
     "input.binary", 2),
    ("bytes neither UTF-8 nor GB18030", "mixed.txt", _invalid_bytes(), "input.undecodable", 4),
]


@pytest.mark.parametrize("title,name,data,code,lineno", REFUSED, ids=[c[0] for c in REFUSED])
def test_refused_input(capsys, tmp_path, title, name, data, code, lineno):
    path = write(tmp_path, name, data)
    rc, err, out = convert(capsys, tmp_path, path)
    assert rc == 1
    found = diagnostics(err, path)
    assert [(d["severity"], d["code"], int(d["line"])) for d in found] == [("error", code, lineno)]
    assert_nothing_written(out, name[:-4])


def test_refused_input_among_good_ones(capsys, tmp_path):
    """A failing document does not stop the others; only the good ones have outputs."""
    good = write(tmp_path, "001.txt", SAMPLE_001.read_bytes())
    bad = write(tmp_path, "empty.txt", b"")
    rc, err, out = convert(capsys, tmp_path, good, bad)
    assert rc == 1
    assert [d["code"] for d in diagnostics(err, bad)] == ["input.empty"]
    assert not [d for d in diagnostics(err, good) if d["severity"] == "error"]
    assert_written(out, "001")
    assert_nothing_written(out, "empty")


def test_missing_input_is_a_usage_error(capsys, tmp_path):
    rc, err, out = convert(capsys, tmp_path, tmp_path / "nope.txt")
    assert rc == 2
    assert "nope.txt" in err
    assert_nothing_written(out, "nope")


def test_bad_date_option_is_a_usage_error(capsys, tmp_path):
    path = write(tmp_path, "001.txt", SAMPLE_001.read_bytes())
    rc, err, out = convert(capsys, tmp_path, path, extra=("--date", "6 December 2021"))
    assert rc == 2
    assert "--date" in err
    assert_nothing_written(out, "001")


# ------------------------------------------------------------------ other encodings: converted, and said so

ENCODED = [
    ("GB18030", "gb.txt", lambda s: s.encode("gb18030"), "GB18030"),
    ("UTF-16 LE with BOM", "u16le.txt", lambda s: codecs.BOM_UTF16_LE + s.encode("utf-16-le"), "UTF-16"),
    ("UTF-16 BE with BOM", "u16be.txt", lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be"), "UTF-16"),
]


@pytest.mark.parametrize("title,name,encode,says", ENCODED, ids=[c[0] for c in ENCODED])
def test_other_encodings_convert_and_say_so(capsys, tmp_path, title, name, encode, says):
    text = SAMPLE_001.read_text(encoding="utf-8")
    path = write(tmp_path, name, encode(text))
    rc, err, out = convert(capsys, tmp_path, path)
    assert rc == 0
    found = diagnostics(err, path)
    enc = [d for d in found if d["code"] == "input.encoding"]
    assert len(enc) == 1
    assert enc[0]["severity"] == "warning"
    assert says in enc[0]["message"]
    assert not [d for d in found if d["severity"] == "error"]
    data = assert_written(out, name[:-4])
    # the same document as the UTF-8 sample
    assert data["metadata"]["symbol"] == "A/RES/76/53"
    assert len(data["footnotes"]) == 13
    assert len(data["preamble"]) == 18


def test_gb18030_output_equals_utf8_output(capsys, tmp_path):
    text = SAMPLE_001.read_text(encoding="utf-8")
    a = write(tmp_path, "doc.txt", text)
    rc, _, out = convert(capsys, tmp_path, a)
    assert rc == 0
    utf8_json = json.loads((out / "doc.json").read_text(encoding="utf-8"))
    b = tmp_path / "gb" / "doc.txt"
    b.parent.mkdir()
    b.write_bytes(text.encode("gb18030"))
    rc = main(["convert", str(b), "-o", str(tmp_path / "out2"), "-j", "1", "-q"])
    capsys.readouterr()
    assert rc == 0
    gb_json = json.loads((tmp_path / "out2" / "doc.json").read_text(encoding="utf-8"))
    strip = lambda d: {k: v for k, v in d.items() if k != "diagnostics"}  # noqa: E731
    assert strip(gb_json) == strip(utf8_json)
    assert [d["code"] for d in gb_json["diagnostics"] if d["code"] == "input.encoding"] == ["input.encoding"]


def test_utf8_bom_converts_silently(capsys, tmp_path):
    path = write(tmp_path, "bom.txt", codecs.BOM_UTF8 + SAMPLE_001.read_bytes())
    rc, err, out = convert(capsys, tmp_path, path)
    assert rc == 0
    assert not [d for d in diagnostics(err, path) if d["severity"] in ("error", "warning")
                and d["code"].startswith("input.")]
    data = assert_written(out, "bom")
    assert "input.bom" in [d["code"] for d in data["diagnostics"]]


# ------------------------------------------------------------------ converted, with an error

PROSE = "今天天气很好，我们去公园散步。\n\n公园里有很多人在锻炼身体，有的跑步，有的打太极拳。\n\n傍晚时分，我们回家吃饭。\n"


def test_text_without_structure(capsys, tmp_path):
    path = write(tmp_path, "prose.txt", PROSE)
    rc, err, out = convert(capsys, tmp_path, path)
    assert rc == 1
    found = diagnostics(err, path)
    assert [(d["severity"], d["code"], d["line"]) for d in found if d["severity"] == "error"] == [
        ("error", "segment.no-structure", "1")]
    assert "line 1" in next(d["message"] for d in found if d["code"] == "segment.no-structure")
    data = assert_written(out, "prose")
    assert data["structured"] is False
    assert data["kind"] == "document"
    texts = ["".join(r["text"] for r in b["inlines"] if r["type"] == "text") for b in data["body"]]
    assert texts == [block for block in PROSE.strip().split("\n\n")]
    root = etree.fromstring((out / "prose.akn.xml").read_bytes())
    assert "公园里有很多人在锻炼身体" in "".join(root.itertext())


def test_text_without_structure_after_leading_blank_lines_names_the_first_text_line(capsys, tmp_path):
    path = write(tmp_path, "prose2.txt", "\n\n\n" + PROSE)
    rc, err, _ = convert(capsys, tmp_path, path)
    assert rc == 1
    assert [(d["code"], d["line"]) for d in diagnostics(err, path) if d["severity"] == "error"] == [
        ("segment.no-structure", "4")]


NUMBERING = "76/1. 标题\n\n大会，\n\n回顾其以往的各项决议，\n\n1. **决定**继续审议这个问题；\n\n2. **请**秘书长提出报告；\n\n4. **决定**将这个项目列入下届会议的临时议程。\n"


def test_numbering_skip(capsys, tmp_path):
    path = write(tmp_path, "gap.txt", NUMBERING)
    rc, err, out = convert(capsys, tmp_path, path)
    assert rc == 1
    errors = [d for d in diagnostics(err, path) if d["severity"] == "error"]
    assert [(d["code"], d["line"]) for d in errors] == [("segment.numbering-gap", "11")]
    assert "paragraph 3" in errors[0]["message"]
    data = assert_written(out, "gap")
    assert [b["num"] for b in data["body"]] == ["1.", "2.", "4."]


def test_quiet_still_prints_errors(capsys, tmp_path):
    path = write(tmp_path, "gap.txt", NUMBERING)
    rc, err, _ = convert(capsys, tmp_path, path, extra=("-q",))
    assert rc == 1
    assert [d["code"] for d in diagnostics(err, path)] == ["segment.numbering-gap"]


# ------------------------------------------------------------------ decode() directly

@pytest.mark.parametrize("data,code", [
    (b"", "input.empty"),
    (b"  \r\n\t\n", "input.empty"),
    (codecs.BOM_UTF8, "input.empty"),
    (codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"), "input.empty"),
    (b"\x00" * 64, "input.binary"),
    (b"abc\x00def\n" * 10, "input.binary"),
], ids=["empty", "whitespace", "bom-only", "utf16-whitespace", "nuls", "embedded-nul"])
def test_decode_refuses(data, code):
    with pytest.raises(InputError) as exc:
        decode(data)
    assert exc.value.code == code
    assert exc.value.line >= 1


def test_decode_utf16_without_bom():
    text, notes = decode("大会，\nGeneral Assembly resolution 76/53\n".encode("utf-16-le"))
    assert text.startswith("大会，")
    assert [code for code, _, _ in notes] == ["input.encoding"]


def test_impossible_date_is_a_usage_error(tmp_path, capsys):
    rc = main(["convert", str(SAMPLES[3]), "-o", str(tmp_path), "--date", "2021-13-45"])
    err = capsys.readouterr().err
    assert rc == 2 and "--date: '2021-13-45' is not a date" in err and "Traceback" not in err
    assert not list(tmp_path.glob("*.xml"))


def test_sidecar_errors_name_the_file_and_line(tmp_path, capsys):
    meta = tmp_path / "meta.csv"
    meta.write_text("file,symbol,date,body\n004_606d4b0c0e2b6ba1.txt,CD/2150,2019-02-30,un-cd\n", encoding="utf-8")
    assert main(["convert", str(SAMPLES[3]), "-o", str(tmp_path / "o"), "--meta", str(meta)]) == 2
    assert f"{meta}:2: '2019-02-30' is not a date" in capsys.readouterr().err
    meta.write_text("file,body\n004_606d4b0c0e2b6ba1.txt,un-xx\n", encoding="utf-8")
    assert main(["convert", str(SAMPLES[3]), "-o", str(tmp_path / "o"), "--meta", str(meta)]) == 2
    assert f"{meta}:2: body 'un-xx' is not one of" in capsys.readouterr().err
    meta.write_text("name,symbol\nx.txt,CD/1\n", encoding="utf-8")
    assert main(["convert", str(SAMPLES[3]), "-o", str(tmp_path / "o"), "--meta", str(meta)]) == 2
    assert "needs a 'file' column" in capsys.readouterr().err


def test_sidecar_symbol_names_the_number(tmp_path):
    """A symbol given from outside fills the FRBR number of a document whose text has none."""
    meta = tmp_path / "meta.csv"
    meta.write_text("file,symbol,date,body\n004_606d4b0c0e2b6ba1.txt,CD/2150,2019-02-28,un-cd\n", encoding="utf-8")
    assert main(["convert", str(SAMPLES[3]), "-o", str(tmp_path), "--meta", str(meta), "-q"]) == 0
    xml = (tmp_path / "004_606d4b0c0e2b6ba1.akn.xml").read_text(encoding="utf-8")
    assert 'FRBRthis value="/akn/un/doc/communication/un-cd/2019-02-28/2150/!main"' in xml
    assert 'FRBRnumber value="2150" showAs="CD/2150"' in xml
