"""Score ``policy parse`` against the genre corpus (texts with hand-read gold files).

    python bench/policy_genre.py [CORPUS_DIR] [--misses]

CORPUS_DIR defaults to ``$LASER_POLICY_GENRE_DIR`` or ``../shared/policy/genre``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from laser_policy.policy.evaluate import render_scores, score_corpus


def corpus_dir(argv: list[str]) -> Path:
    args = [a for a in argv if not a.startswith("--")]
    if args:
        return Path(args[0])
    env = os.environ.get("LASER_POLICY_GENRE_DIR")
    if env:
        return Path(env)
    root = Path(__file__).resolve().parent.parent
    for candidate in (root.parent / "shared", root.parent.parent / "shared"):
        if (candidate / "policy" / "genre").is_dir():
            return candidate / "policy" / "genre"
    return root.parent / "shared" / "policy" / "genre"


def main() -> None:
    folder = corpus_dir(sys.argv[1:])
    sys.stdout.write(render_scores(score_corpus(folder), misses="--misses" in sys.argv) + "\n")


if __name__ == "__main__":
    main()
