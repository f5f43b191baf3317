"""``akn-pipeline validate``: valid and deliberately broken files with the codes they must give,
hostile inputs (XXE, entity bomb, deep JSON, oversized files), report formats, exit codes.

Broken files are built in ``tmp_path`` from the committed outputs in ``output/``.  No test touches
the network: an autouse fixture makes any socket connection fail the test.
"""
import json
import resource
import socket
import subprocess
import sys
import time

import pytest
from lxml import etree

from pipeline.ci import checks, reports
from pipeline.ci.checks import CHECKS, Validator
from pipeline.cli import main
from pipeline.model import SCHEMA_VERSION

from conftest import OUTPUT, ROOT

R001 = OUTPUT / "001_9a49e6d86cf63165.akn.xml"  # resolution, 13 authorialNotes, no noteRef
R002 = OUTPUT / "002_26ed8003f1d0be1d.akn.xml"  # resolution with two noteRefs
S004 = OUTPUT / "004_606d4b0c0e2b6ba1.akn.xml"  # statement, unknown number and date
J001 = OUTPUT / "001_9a49e6d86cf63165.json"


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def codes(findings) -> set[str]:
    return {f.code for f in findings}


def run(argv, capsys):
    rc = main(["validate", *map(str, argv)])
    out, err = capsys.readouterr()
    return rc, out, err


# ------------------------------------------------------------------------------------------ valid


def test_all_outputs_are_valid(capsys):
    rc, out, err = run([OUTPUT], capsys)
    assert rc == 0, out
    assert out == ""
    n = len(list(OUTPUT.glob("*.xml"))) + len(list(OUTPUT.glob("*.json")))
    assert f"{n} of {n} files valid" in err


@pytest.mark.parametrize("path", sorted(OUTPUT.glob("*.xml")) + sorted(OUTPUT.glob("*.json")), ids=lambda p: p.name)
def test_each_output_has_no_findings(path):
    assert Validator().validate_path(path).findings == []


def test_doctype_without_entities_is_accepted(tmp_path):
    data = R001.read_bytes().replace(b"?>\n", b"?>\n<!DOCTYPE akomaNtoso>\n", 1)
    assert b"<!DOCTYPE" in data
    assert Validator().check_xml(data) == []


# ------------------------------------------------------------------------------------------ broken XML

# (name, source file, old bytes, new bytes, exact set of codes expected)
XML_CASES = [
    ("eid-duplicate", R001, b'eId="preamble__container_2"', b'eId="preamble__container_1"',
     {"akn.eid-duplicate", "xsd.invalid"}),  # the XSD's own key constraint agrees
    ("eid-duplicate-tlc", R001, b'eId="preamble__formula_1"', b'eId="generalAssembly"',
     {"akn.eid-duplicate", "xsd.invalid"}),
    ("eid-missing", R001, b' eId="para_2"', b"", {"akn.eid-missing"}),
    ("frbr-expression", R001,
     b'<FRBRuri value="/akn/un/statement/deliberation/un-ga/2021-12-06/76-53/zho@"/>',
     b'<FRBRuri value="/akn/un/statement/deliberation/un-ga/2021-12-06/76-54/zho@"/>',
     {"akn.frbr-inconsistent"}),
    ("frbr-work-this", R001, b'/76-53/!main"/>\n          <FRBRuri', b'/76-5/!main"/>\n          <FRBRuri',
     {"akn.frbr-inconsistent"}),
    ("frbr-manifestation", R001, b'76-53/zho@.akn"', b'76-53/eng@.akn"', {"akn.frbr-inconsistent"}),
    ("frbr-subtype", R001, b'<FRBRsubtype value="deliberation"/>', b'<FRBRsubtype value="communication"/>',
     {"akn.frbr-inconsistent"}),
    ("frbr-country", R001, b'<FRBRcountry value="un"/>', b'<FRBRcountry value="fr"/>', {"akn.frbr-inconsistent"}),
    ("frbr-number", R001, b'<FRBRnumber value="76-53"', b'<FRBRnumber value="76-35"', {"akn.frbr-inconsistent"}),
    ("frbr-iri-shape", R001, b'<FRBRuri value="/akn/un/statement/deliberation/un-ga/2021-12-06/76-53"/>',
     b'<FRBRuri value="/akn/un/statement/un-ga/76-53"/>', {"akn.frbr-inconsistent"}),
    ("frbr-docnumber", R001, b"<docNumber>76/53</docNumber>", b"<docNumber>76/54</docNumber>",
     {"akn.frbr-docnumber"}),
    ("frbr-symbol", R001, b"<docNumber>A/RES/76/53</docNumber>", b"<docNumber>A/RES/76/35</docNumber>",
     {"akn.frbr-docnumber"}),
    ("frbr-date-work", R001, b'<FRBRdate date="2021-12-06" name="adoption"/>',
     b'<FRBRdate date="2021-12-05" name="adoption"/>', {"akn.frbr-date"}),
    ("frbr-date-docdate", R001, b'<docDate date="2021-12-06">2021', b'<docDate date="2021-12-07">2021',
     {"akn.frbr-date"}),
    ("frbr-date-unknown-name", S004, b'<FRBRdate date="0001-01-01" name="unknown"/>',
     b'<FRBRdate date="0001-01-01" name="adoption"/>', {"akn.frbr-date"}),
    ("frbr-language", R001, b'<FRBRlanguage language="zho"/>', b'<FRBRlanguage language="eng"/>',
     {"akn.frbr-language"}),
    ("ref-unresolved", R001, b'<FRBRauthor href="#generalAssembly"/>', b'<FRBRauthor href="#securityCouncil"/>',
     {"akn.ref-unresolved"}),
    ("ref-unresolved-event", R001, b'refersTo="#adoptionMeeting"', b'refersTo="#closingMeeting"',
     {"akn.ref-unresolved"}),
    ("noteref-unresolved", R002, b'<noteRef marker="4" href="#preamble__container_8__authorialNote_1"/>',
     b'<noteRef marker="4" href="#preamble__container_8__authorialNote_9"/>', {"akn.noteref-unresolved"}),
    ("noteref-not-a-note", R002, b'<noteRef marker="4" href="#preamble__container_8__authorialNote_1"/>',
     b'<noteRef marker="4" href="#para_1"/>', {"akn.noteref-unresolved"}),
    ("noteref-marker", R002, b'<noteRef marker="10" href', b'<noteRef marker="11" href', {"akn.noteref-marker"}),
    ("note-no-marker", R001, b'<authorialNote marker="1" ', b"<authorialNote ", {"akn.note-no-marker"}),
    ("note-empty-marker", R001, b'<authorialNote marker="1" ', b'<authorialNote marker=" " ',
     {"akn.note-no-marker"}),
    ("meta-missing-subtype", R001, b'<FRBRsubtype value="deliberation"/>', b"", {"akn.meta-missing"}),
    ("meta-missing-number", S004, b'<FRBRnumber value="nn"/>', b"", {"akn.meta-missing"}),
    ("xsd-invalid", R001, b"<preface>", b"<preface><foo/>", {"xsd.invalid"}),
    ("xsd-invalid-attr", R001, b'contains="originalVersion"', b'contains="nonsense"', {"xsd.invalid"}),
    ("not-wellformed", R001, b"</preface>", b"", {"input.not-wellformed"}),
]


@pytest.mark.parametrize("name,src,old,new,expected", XML_CASES,
                         ids=lambda v: v if isinstance(v, str) else None)
def test_broken_xml(tmp_path, name, src, old, new, expected):
    data = src.read_bytes()
    assert data.count(old) >= 1, f"{name}: the sample no longer holds {old!r}"
    path = tmp_path / f"{name}.akn.xml"
    path.write_bytes(data.replace(old, new, 1))
    result = Validator().validate_path(path)
    assert codes(result.findings) == expected, result.findings
    assert all(f.line > 0 for f in result.findings if f.code.startswith("akn."))


def test_meta_missing_without_identification():
    root = etree.fromstring(R001.read_bytes())
    ident = root.find(".//{*}identification")
    ident.getparent().remove(ident)
    found = checks.profile(root)
    assert codes(found) >= {"akn.meta-missing"}
    assert any("identification" in f.message for f in found)


def test_frbr_document_type():
    root = etree.fromstring(S004.read_bytes())
    root[0].tag = "{%s}statement" % checks.NS
    (f,) = checks.profile(root)
    assert f.code == "akn.frbr-inconsistent" and "'doc'" in f.message and "<statement>" in f.message


def test_attachments_keep_their_own_numbers_and_dates():
    """An annex (attachment) has its own docNumber/docDate: they are not held to the main FRBR."""
    import re
    data = R001.read_bytes()
    meta = re.sub(rb"<references.*?</references>", b"", data[data.index(b"<meta>"):data.index(b"</meta>") + 7],
                  flags=re.S)
    annex = (b'<attachments><attachment eId="att_1"><doc name="annex">' + meta +
             b'<preface><p><docNumber>A/76/444</docNumber> <docDate date="2021-11-01">x</docDate></p></preface>'
             b"<mainBody><p>y</p></mainBody></doc></attachment></attachments>")
    with_annex = data.replace(b"</conclusions>", b"</conclusions>" + annex)
    assert Validator().check_xml(with_annex) == []
    moved = with_annex.replace(b"<docNumber>76/53</docNumber>", b"<docNumber>A/76/444</docNumber>")
    assert codes(Validator().check_xml(moved)) == {"akn.frbr-docnumber"}


def test_meta_missing_not_akn():
    assert codes(Validator().check_xml(b"<html/>")) == {"xsd.invalid", "akn.meta-missing"}


def test_eid_duplicate_points_at_the_first(tmp_path):
    data = R001.read_bytes().replace(b'eId="preamble__container_2"', b'eId="preamble__container_1"', 1)
    (f,) = [f for f in Validator().check_xml(data) if f.code == "akn.eid-duplicate"]
    first = data[:data.index(b'eId="preamble__container_1"')].count(b"\n") + 1
    assert f"line {first}" in f.message and "preamble__container_1" in f.message


def test_every_check_is_broken_at_least_once():
    covered = set().union(*(c[4] for c in XML_CASES)) | JSON_CODES | HOSTILE_CODES | {"input.unreadable"}
    assert covered >= set(CHECKS), set(CHECKS) - covered


def test_line_numbers_point_at_the_element(tmp_path):
    data = R001.read_bytes().replace(b'<FRBRlanguage language="zho"/>', b'<FRBRlanguage language="eng"/>')
    (f,) = Validator().check_xml(data)
    assert f.line == data[:data.index(b"FRBRlanguage")].count(b"\n") + 1


# ------------------------------------------------------------------------------------------ JSON

JSON_CODES = {"json.schema", "json.version", "input.not-wellformed", "input.too-deep"}


def _json(tmp_path, name, mutate):
    doc = json.loads(J001.read_text(encoding="utf-8"))
    mutate(doc)
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


@pytest.mark.parametrize("name,mutate", [
    ("bad-kind", lambda d: d.update(kind="novel")),
    ("extra-field", lambda d: d.update(colour="blue")),
    ("bad-span", lambda d: d["preface"][0]["span"].update(start=-1)),
    ("bad-inline", lambda d: d["preamble"][0]["inlines"].append({"type": "image"})),
])
def test_json_schema_errors(tmp_path, name, mutate):
    path = _json(tmp_path, name, mutate)
    result = Validator().validate_path(path)
    assert codes(result.findings) == {"json.schema"}, result.findings
    text = path.read_text(encoding="utf-8").splitlines()
    for f in result.findings:  # the line of the offending value (or of its nearest existing parent)
        key = "colour" if name == "extra-field" else f.message.split(":")[0].split("/")[-1]
        assert f.line > 1 and (key.isdigit() or f'"{key}"' in text[f.line - 1]), (f, text[f.line - 1])


def test_json_lines():
    text = '{"a": [1,\n {"b": "x\\"]"},\n [] ],\n "c": {}}'
    assert checks.json_lines(text) == {(): 1, ("a",): 1, ("a", 0): 1, ("a", 1): 2, ("a", 1, "b"): 2,
                                       ("a", 2): 3, ("c",): 4}


def test_json_older_schema_version(tmp_path, capsys):
    path = _json(tmp_path, "old", lambda d: d.update(schema_version="0.9.0"))
    rc, out, err = run([path], capsys)
    assert rc == 1
    (line,) = out.splitlines()
    assert line.startswith(f"{path}:2: json.version: ")  # the line of "schema_version"
    assert "0.9.0" in line and f"needs schema version {SCHEMA_VERSION}" in line
    assert f"akn-pipeline-document-{SCHEMA_VERSION}.json" in line


def test_json_missing_schema_version(tmp_path):
    path = _json(tmp_path, "nover", lambda d: d.pop("schema_version"))
    (f,) = Validator().validate_path(path).findings
    assert f.code == "json.version" and "has no schema_version" in f.message


def test_json_version_off_falls_back_to_the_schema(tmp_path):
    path = _json(tmp_path, "old", lambda d: d.update(schema_version="0.9.0"))
    assert Validator(disabled={"json.version"}).validate_path(path).findings == []


def test_json_not_wellformed(tmp_path):
    path = tmp_path / "cut.json"
    text = J001.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    (f,) = Validator().validate_path(path).findings
    assert f.code == "input.not-wellformed" and f.line > 1
    path.write_bytes(b'{"a": "\xff\xfe"}')
    (f,) = Validator().validate_path(path).findings
    assert f.code == "input.not-wellformed" and "UTF-8" in f.message


def test_json_huge_number_refused_cleanly(tmp_path):
    path = tmp_path / "num.json"
    path.write_text('{"schema_version": ' + "9" * 100_000 + "}")
    (f,) = Validator().validate_path(path).findings
    assert f.code == "input.not-wellformed"


def test_json_deep_nesting_refused_cleanly(tmp_path, capsys):
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    rc, out, err = run([path], capsys)
    assert rc == 1
    assert out == f"{path}:1: input.too-deep: JSON nested deeper than {checks.DEFAULT_MAX_DEPTH} levels; refused without parsing\n"


def test_json_depth_scan_ignores_brackets_in_strings(tmp_path):
    assert checks.json_depth_exceeded(b'{"a": "' + b"[" * 500 + b'"}', 64) is None
    assert checks.json_depth_exceeded(b'{"a": "\\"' + b"[" * 500 + b'"}', 64) is None
    deep = b'{"x":\n' + b'{"y":' * 70 + b"1" + b"}" * 71
    assert checks.json_depth_exceeded(deep, 64) == 2
    assert checks.json_depth_exceeded(deep, 80) is None


# ------------------------------------------------------------------------------------------ hostile

HOSTILE_CODES = {"input.entity-declaration", "input.too-large"}

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE akomaNtoso [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  <!ENTITY net SYSTEM "http://example.invalid/x">
]>
<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">&xxe;&net;</akomaNtoso>
"""
XXE_PARAM = b"""<?xml version="1.0"?>
<!DOCTYPE akomaNtoso [ <!ENTITY % dtd SYSTEM "http://example.invalid/evil.dtd"> %dtd; ]>
<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"/>
"""


def bomb(levels: int = 12) -> bytes:
    ents = [b'<!ENTITY lol0 "lollollollollollollollollollol">']
    for i in range(1, levels):
        ents.append(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1)) * 10))
    return (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n' + b"\n".join(ents) + b"\n]>\n"
            b'<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">&lol%d;</akomaNtoso>\n' % (levels - 1))


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("name,data,line", [
    ("xxe", XXE, 3),
    ("xxe-param", XXE_PARAM, 2),
    ("bomb", bomb(), 3),
    ("xxe-utf16", XXE.replace(b'version="1.0"', b'version="1.0" encoding="UTF-16"').decode().encode("utf-16"), 3),
])
def test_entity_declarations_refused(tmp_path, capsys, name, data, line):
    path = tmp_path / f"{name}.xml"
    path.write_bytes(data)
    before, t0 = maxrss_mb(), time.perf_counter()
    rc, out, err = run([path], capsys)
    assert rc == 1
    assert out.startswith(f"{path}:{line}: input.entity-declaration: ")
    assert "refused" in out and "root:" not in out
    assert time.perf_counter() - t0 < 5
    assert maxrss_mb() - before < 50


def test_parser_alone_is_safe_against_the_bomb_and_xxe():
    """Defence in depth: even without the DOCTYPE refusal, the parser expands nothing."""
    before = maxrss_mb()
    try:
        root = etree.fromstring(bomb(), checks.xml_parser())
    except etree.XMLSyntaxError:
        pass  # libxml2's amplification limit
    else:
        assert len(etree.tostring(root)) < 10_000
    assert maxrss_mb() - before < 50
    root = etree.fromstring(XXE, checks.xml_parser())
    assert "root:" not in etree.tostring(root, encoding="unicode")
    root = etree.fromstring(XXE_PARAM, checks.xml_parser())  # the external DTD is not fetched
    assert len(root) == 0


def test_deep_xml_refused_cleanly(tmp_path):
    path = tmp_path / "deep.xml"
    path.write_bytes(b"<a>" * 100_000 + b"</a>" * 100_000)
    (f,) = Validator().validate_path(path).findings
    assert f.code == "input.not-wellformed"


def test_oversized_file_refused_with_a_clear_message(tmp_path, capsys):
    path = tmp_path / "big.akn.xml"
    path.write_bytes(R001.read_bytes())
    size = path.stat().st_size
    rc, out, err = run([path, "--max-bytes", "4k"], capsys)
    assert rc == 1
    assert out == (f"{path}:0: input.too-large: file is {size:,} bytes, over the limit of 4,096 "
                   f"(raise it with --max-bytes); not read\n")
    rc, out, err = run([path, "--max-bytes", "1M"], capsys)
    assert rc == 0 and out == ""


def test_default_size_limit(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as fh:  # sparse: no disk or memory spent
        fh.truncate(checks.DEFAULT_MAX_BYTES + 1)
    (f,) = Validator().validate_path(path).findings
    assert f.code == "input.too-large"


# ------------------------------------------------------------------------------------------ CLI


def test_exit_codes_and_disable(tmp_path, capsys):
    bad = tmp_path / "bad.akn.xml"
    bad.write_bytes(R001.read_bytes().replace(b'<FRBRlanguage language="zho"/>', b'<FRBRlanguage language="eng"/>'))
    rc, out, _ = run([bad], capsys)
    assert rc == 1 and ": akn.frbr-language: " in out
    rc, out, _ = run([bad, "--disable", "akn.frbr-language"], capsys)
    assert rc == 0 and out == ""
    rc, out, _ = run([bad, "--disable", "akn.frbr-*"], capsys)
    assert rc == 0
    rc, out, _ = run([bad, "--disable", "akn.eid-duplicate"], capsys)
    assert rc == 1


def test_disable_xsd(tmp_path, capsys):
    bad = tmp_path / "x.akn.xml"
    bad.write_bytes(R001.read_bytes().replace(b"<preface>", b"<preface><foo/>"))
    assert run([bad], capsys)[0] == 1
    assert run([bad, "--disable", "xsd.invalid"], capsys)[0] == 0


@pytest.mark.parametrize("argv,needle", [
    (["--disable", "akn.no-such-check"], "no such check"),
    (["--disable", "input.too-large"], "cannot be switched off"),
    (["--disable", "input.*"], "cannot be switched off"),
    (["--max-bytes", "0"], "positive"),
])
def test_usage_errors(capsys, argv, needle):
    rc, out, err = run([R001, *argv], capsys)
    assert rc == 2 and needle in err


def test_bad_max_bytes(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["validate", str(R001), "--max-bytes", "lots"])
    assert exc.value.code == 2


def test_paths(tmp_path, capsys, monkeypatch):
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "x.akn.xml").write_bytes(R001.read_bytes())
    (sub / "x.json").write_bytes(J001.read_bytes())
    (sub / "notes.txt").write_text("not checked")
    rc, out, err = run([tmp_path], capsys)
    assert rc == 0 and "2 of 2 files valid" in err
    rc, out, err = run([f"{tmp_path}/**/*.xml"], capsys)
    assert rc == 0 and "1 of 1 files valid" in err
    rc, out, err = run([sub / "x.json", sub / "x.json", sub], capsys)  # de-duplicated
    assert "2 of 2 files valid" in err
    assert run([tmp_path / "missing.xml"], capsys)[0] == 2
    assert run([f"{tmp_path}/*.nothing"], capsys)[0] == 2
    assert run([sub / "notes.txt"], capsys)[0] == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run([empty], capsys)[0] == 2


def test_unreadable_file_is_exit_2(tmp_path, capsys, monkeypatch):
    gone = tmp_path / "gone.akn.xml"
    monkeypatch.setattr(checks, "expand", lambda paths: [gone, R001])
    rc, out, err = run([R001], capsys)
    assert rc == 2
    assert out.startswith(f"{gone}:0: input.unreadable: ")
    assert "1 of 2 files valid" in err


@pytest.mark.slow
def test_command_line_entry_point(tmp_path):
    """The installed command, in a fresh process (schemas loaded from the package, offline)."""
    bad = tmp_path / "bad.akn.xml"
    bad.write_bytes(R002.read_bytes().replace(b'<noteRef marker="10" href', b'<noteRef marker="11" href'))
    proc = subprocess.run([sys.executable, "-m", "pipeline", "validate", str(bad), str(OUTPUT), "--format", "github"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith(f"::error file={bad},line=")
    assert ",title=akn.noteref-marker::noteRef marker '11'" in proc.stdout


# ------------------------------------------------------------------------------------------ reports


@pytest.fixture()
def mixed(tmp_path):
    bad = tmp_path / "bad,1.akn.xml"
    bad.write_bytes(R001.read_bytes().replace(b"<docNumber>76/53</docNumber>", b"<docNumber>76/54</docNumber>")
                    .replace(b' eId="para_2"', b""))
    old = _json(tmp_path, "old", lambda d: d.update(schema_version="0.9.0"))
    return [bad, old, J001]


def test_human_format(mixed, capsys):
    import re
    rc, out, err = run(mixed, capsys)
    assert rc == 1
    lines = out.splitlines()
    assert len(lines) == 3
    for line in lines:
        m = re.fullmatch(r"(.+?):(\d+): ([a-z]+\.[a-z-]+): (.+)", line)
        assert m and m[1] in map(str, mixed) and m[3] in CHECKS, line
    assert "1 of 3 files valid" in err


def test_json_format(mixed, capsys):
    rc, out, err = run([*mixed, "--format", "json"], capsys)
    doc = json.loads(out)
    assert rc == 1
    assert doc["summary"] == {"files": 3, "valid": 1, "invalid": 2, "findings": 3,
                              "codes": {"akn.eid-missing": 1, "akn.frbr-docnumber": 1, "json.version": 1}}
    by_path = {f["path"]: f for f in doc["files"]}  # files come sorted by path, wherever the checkout is
    assert {p: f["valid"] for p, f in by_path.items()} == {str(mixed[0]): False, str(mixed[1]): False,
                                                          str(mixed[2]): True}
    bad = by_path[str(mixed[0])]
    assert {f["code"] for f in bad["findings"]} == {"akn.eid-missing", "akn.frbr-docnumber"}
    assert all(set(f) == {"line", "code", "severity", "message"} for f in bad["findings"])


def test_junit_format(mixed, capsys, tmp_path, monkeypatch):
    gone = tmp_path / "gone.xml"
    monkeypatch.setattr(checks, "expand", lambda paths: [*mixed, gone])
    rc, out, err = run([*mixed, "--format", "junit"], capsys)
    assert rc == 2
    root = etree.fromstring(out.encode("utf-8"))
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "2", "1")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [str(p) for p in [*mixed, gone]]
    assert cases[0].find("failure").get("type") in ("akn.eid-missing", "akn.frbr-docnumber")
    assert "akn.frbr-docnumber" in cases[0].find("failure").text
    assert cases[1].find("failure").get("type") == "json.version"
    assert len(cases[2]) == 0
    assert cases[3].find("error").get("type") == "input.unreadable"


def test_github_format(mixed, capsys):
    rc, out, err = run([*mixed, "--format", "github"], capsys)
    lines = out.splitlines()
    assert len(lines) == 3 and all(l.startswith("::error file=") for l in lines)
    assert "bad%2C1.akn.xml" in lines[0]  # a comma in a property is escaped
    assert ",title=json.version::" in lines[2] and ",line=2," in lines[2]


def test_github_escaping():
    r = checks.ValidationResult("a:b.xml", "xml", [checks.Finding(0, "xsd.invalid", "50% bad\nnext")])
    assert reports.github([r]) == "::error file=a%3Ab.xml,title=xsd.invalid::50%25 bad%0Anext\n"


# ------------------------------------------------------------------------------------------ docs, hooks


def test_docs_list_every_code():
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert reports.codes_table() in text, "docs/ci.md: paste pipeline.reports.codes_table()"


def test_pre_commit_hook():
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: akn-pipeline-validate" in text and "entry: akn-pipeline validate" in text
    assert "language: python" in text


def test_schemas_loaded_once(monkeypatch):
    from pipeline.emit import validate
    Validator().warm()
    calls = []
    monkeypatch.setattr(etree, "XMLSchema", lambda *a, **k: calls.append(a))
    v = Validator()
    for path in sorted(OUTPUT.glob("*")):
        v.validate_path(path)
    assert calls == [] and validate.xsd.cache_info().currsize == 1


@pytest.mark.slow
def test_benchmark_runs():
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "validate_bench.py"), "--seconds", "0.2",
                           "--repeat", "1"], capture_output=True, text=True)
    assert proc.returncode in (0, 1), proc.stderr  # 1: target missed on a busy machine
    assert "files/s per core" in proc.stdout and " 0 invalid" in proc.stdout
