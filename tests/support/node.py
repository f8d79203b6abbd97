"""Node.js for the tests of the estimator's script: where it is, and running a snippet."""

from __future__ import annotations

import shutil
import subprocess

from tests.support.apps import ROOT

NODE = shutil.which("node")


def run_script(script: str) -> str:
    """Run ``script`` with Node.js, the page's script as its first argument; return stdout."""
    done = subprocess.run(
        [NODE, "-e", script, str(ROOT / "static" / "js" / "costs-method.js")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout
