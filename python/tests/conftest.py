"""Shared paths: the repository, the release binary, and ../shared when present."""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = pathlib.Path(os.environ.get("STANCEMETER_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def binary():
    """The CLI the package must agree with: $STANCEMETER_BIN, or the release binary, built if missing."""
    if os.environ.get("STANCEMETER_BIN"):
        return pathlib.Path(os.environ["STANCEMETER_BIN"])
    path = ROOT / "target" / "release" / "stancemeter"
    if not path.exists():
        subprocess.run(["cargo", "build", "--release", "--locked"], cwd=ROOT, check=True)
    return path


@pytest.fixture(scope="session")
def conformance():
    """The VADER conformance folder; absent from a clone without ../shared, where CI=true makes that a failure."""
    d = SHARED / "vader-conformance"
    if not d.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{d} is missing")
        pytest.skip(f"{d} is missing: the conformance corpora are not in this clone")
    return d
