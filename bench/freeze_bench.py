"""Parts 1 and 2: the cold freeze against Hugo, and a warm rebuild after one story changed."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from bench import hugo, stats
from bench.synthetic import make_content

ROOT = Path(__file__).resolve().parent.parent


def instance_of(dest: Path) -> Path:
    """Return the instance folder a freeze into ``dest`` uses (its fact-sheet cache)."""
    return dest.with_name(dest.name + "-instance")


def freeze(content: Path, dest: Path) -> dict:
    """Run ``flask freeze`` of ``content`` into ``dest`` in a fresh process (imports included)."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.gateway_run", str(content), str(dest)],
        cwd=ROOT,
        env={**os.environ, "INSTANCE_DIR": str(instance_of(dest))},
        check=True,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    urls, seconds = done.stdout.split()[-2:]
    return {"seconds": float(seconds), "urls": int(urls)}


def cold(content: Path, dest: Path) -> dict:
    """Freeze into an empty folder (no cache from an earlier freeze); count what was written."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.rmtree(instance_of(dest), ignore_errors=True)  # the fact sheets' PDF cache too
    result = freeze(content, dest)
    return {**result, **hugo.count_files(dest)}


def snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    """Return (mtime, content hash) of every file under ``folder``."""
    files = {}
    for path in folder.rglob("*"):
        if path.is_file() and not path.name.startswith("."):  # not the freeze's bookkeeping
            data = path.read_bytes()
            files[str(path.relative_to(folder))] = (
                path.stat().st_mtime_ns,
                hashlib.blake2b(data, digest_size=16).hexdigest(),
            )
    return files


def change_story(content: Path, number: int) -> Path:
    """Edit one synthetic case study (a new sentence in its body); return its file."""
    path = content / "case-studies" / "synthetic-00500.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + f"\nEdited for warm rebuild number {number}.\n", encoding="utf-8")
    return path


def warm(content: Path, dest: Path, number: int) -> dict:
    """Change one story and freeze again into ``dest``; report the files rewritten."""
    before = snapshot(dest)
    change_story(content, number)
    result = freeze(content, dest)
    after = snapshot(dest)
    rewritten = sorted(p for p, (mtime, _) in after.items() if before.get(p, (None,))[0] != mtime)
    changed = sorted(p for p, (_, digest) in after.items() if before.get(p, (0, ""))[1] != digest)
    return {**result, "rewritten": rewritten, "changed": changed, "n_rewritten": len(rewritten)}


def cold_vs_hugo(size: int, work: Path, rounds: int) -> dict:
    """Part 1 at ``size`` case studies: our cold freeze and Hugo's build, interleaved."""
    content = make_content(ROOT / "content", work / f"content-{size}", size)
    ours, theirs = work / f"gateway-{size}", work / f"hugo-out-{size}"
    site = work / f"hugo-{size}"

    def run_hugo() -> dict:
        if not site.exists():
            hugo.make_site(content, ours, site)  # the layout is cut from our first frozen page
        return hugo.build(site, theirs)

    results = stats.interleave({"gateway": lambda: cold(content, ours), "hugo": run_hugo}, rounds)
    return {"size": size, "results": results}


def warm_rebuild(size: int, work: Path, rounds: int) -> dict:
    """Part 2: per round, a cold freeze then a warm one after one story changed."""
    content = make_content(ROOT / "content", work / f"content-warm-{size}", size)
    dest = work / f"gateway-warm-{size}"
    counter = iter(range(1, 1000))
    results = stats.interleave(
        {"cold": lambda: cold(content, dest), "warm": lambda: warm(content, dest, next(counter))},
        rounds,
    )
    return {"size": size, "results": results}
