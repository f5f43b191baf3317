"""The published JSON Schema: committed file == generated, stable $id, and the versioning rule.

The rule (schemas/README.md): the models may not change without a ``SCHEMA_VERSION`` bump.
``schemas/versions.json`` keeps a fingerprint (sha256 of the generated schema minus ``$id`` and
``version``) per released version; a changed model under an unchanged version fails here.

After changing the models: bump ``SCHEMA_VERSION`` in ``pipeline/model.py`` (semver), then
``python -m pipeline schema --write`` and ``python tests/test_schema.py --record``.
"""
import copy
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.emit import schema  # noqa: E402
from pipeline.model import SCHEMA_ID, SCHEMA_VERSION  # noqa: E402

COMMITTED = ROOT / "schemas" / schema.FILENAME
VERSIONS = ROOT / "schemas" / "versions.json"
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


def fingerprint(s: dict) -> str:
    body = {k: v for k, v in s.items() if k not in ("$id", "version")}
    return hashlib.sha256(schema.dumps(body).encode("utf-8")).hexdigest()


def recorded() -> dict[str, str]:
    return json.loads(VERSIONS.read_text(encoding="utf-8"))["fingerprints"]


def semver(v: str) -> tuple[int, int, int]:
    return tuple(map(int, SEMVER.match(v).groups()))


def check_version_rule(generated: dict, versions: dict[str, str]) -> str | None:
    """None when ``generated`` is allowed under its own version, else why not."""
    version = generated["version"]
    if version not in versions:
        return (f"SCHEMA_VERSION {version} has no fingerprint in schemas/versions.json: "
                f"run python tests/test_schema.py --record")
    if versions[version] != fingerprint(generated):
        return (f"the models changed but SCHEMA_VERSION is still {version}: bump it (semver: patch for "
                f"descriptions, minor for an added field, major for a removed/renamed/narrowed one), then "
                f"python -m pipeline schema --write && python tests/test_schema.py --record")
    return None


def test_committed_schema_is_generated():
    assert COMMITTED.read_text(encoding="utf-8") == schema.dumps(schema.generate()), \
        "schemas/ is stale: python -m pipeline schema --write"


def test_id_and_version():
    s = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert SEMVER.match(s["version"]) and s["version"] == SCHEMA_VERSION
    assert s["$id"] == SCHEMA_ID == f"https://akn-pipeline.github.io/schemas/akn-pipeline-document-{SCHEMA_VERSION}.json"
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert s["properties"]["schema_version"]["default"] == SCHEMA_VERSION


def test_models_did_not_change_without_a_version_bump():
    problem = check_version_rule(schema.generate(), recorded())
    assert problem is None, problem


def test_recorded_versions_are_semver_distinct_and_current_is_latest():
    versions = recorded()
    assert all(SEMVER.match(v) for v in versions)
    assert len(set(versions.values())) == len(versions), "two versions with the same models"
    assert max(versions, key=semver) == SCHEMA_VERSION


def test_the_rule_fails_on_a_model_change():
    """The fingerprint check can fail: a changed schema under the same version is caught, a
    description-only change too, and the same change under a new, recorded version passes."""
    generated = schema.generate()
    versions = {"0.9.0": "0" * 64, generated["version"]: fingerprint(generated)}
    assert check_version_rule(generated, versions) is None
    changed = copy.deepcopy(generated)
    changed["properties"]["extra_field"] = {"type": "string"}
    assert "bump it" in check_version_rule(changed, versions)
    described = copy.deepcopy(generated)
    described["properties"]["source"]["description"] = "where the text came from"
    assert "bump it" in check_version_rule(described, versions)
    bumped = dict(changed, version="99.0.0", **{"$id": "x"})
    assert "no fingerprint" in check_version_rule(bumped, versions)
    assert check_version_rule(bumped, {**versions, "99.0.0": fingerprint(changed)}) is None
    # $id and version themselves are not part of the fingerprint
    assert fingerprint(dict(generated, version="0.0.1", **{"$id": "y"})) == fingerprint(generated)


if __name__ == "__main__":
    if sys.argv[1:] == ["--record"]:
        data = json.loads(VERSIONS.read_text(encoding="utf-8"))
        fp = fingerprint(schema.generate())
        old = data["fingerprints"].get(SCHEMA_VERSION)
        if old and old != fp:
            sys.exit(f"{SCHEMA_VERSION} is already recorded with other models: bump SCHEMA_VERSION first")
        data["fingerprints"][SCHEMA_VERSION] = fp
        VERSIONS.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"recorded {SCHEMA_VERSION}: {fp}")
    else:
        print(fingerprint(schema.generate()))
