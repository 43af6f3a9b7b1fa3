"""examples/api_flow.py drives the whole flow against a live server, with plain urllib."""

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "api_flow.py"


def test_example_script_runs_the_whole_flow(live_server):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), live_server],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "the business sees only that a sealed review exists" in out
    assert "both reviews are now revealed" in out
    assert "not enough reviews yet (1 of 3)" in out
    assert out.rstrip().endswith("done")


def test_example_script_reports_a_refusal(live_server):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), live_server + "/nowhere"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "answered 404" in result.stderr
