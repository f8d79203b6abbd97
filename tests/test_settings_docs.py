"""Every environment setting in config.py is documented in docs/deploy.md."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_in_the_operator_guide():
    source = (ROOT / "config.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env(?:_int|_bool)?\("([A-Z_]+)"', source))
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert names, "no settings found in config.py"
    assert sorted(n for n in names if f"`{n}`" not in guide) == []
