"""``python -m bots.sync``: checks that a pywikibot configuration exists before importing
pywikibot (which would otherwise stop with a traceback, or fall back to a default site on the
Internet), then runs :func:`bots.sync.cli.main`."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def config_dir() -> Path | None:
    """The directory pywikibot will read ``user-config.py`` from, if there is one."""
    env = os.environ.get("PYWIKIBOT_DIR")
    candidates = [Path(env)] if env else [Path.cwd(), Path.home() / ".pywikibot"]
    return next((d for d in candidates if (d / "user-config.py").is_file()), None)


def main() -> int:
    if config_dir() is None:
        where = os.environ.get("PYWIKIBOT_DIR") or f"{Path.cwd()} ni ~/.pywikibot"
        print(f"bots.sync : erreur : pas de user-config.py dans {where} : lancez d'abord "
              "python -m bots.family (voir bots/README.md) ou donnez PYWIKIBOT_DIR", file=sys.stderr)
        return 2
    from .cli import main as run_main

    return run_main()


if __name__ == "__main__":
    sys.exit(main())
