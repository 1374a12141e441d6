"""``python -m bots.journee``: checks that a pywikibot configuration exists (``bots.sync``'s
check, reused) before importing pywikibot, which would otherwise stop with a traceback, then
runs :func:`bots.journee.cli.main`."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from bots.sync.__main__ import config_dir


def main() -> int:
    given = next((a[5:] for a in sys.argv[1:] if a.startswith("-dir:")), "")
    if not (Path(given).expanduser() / "user-config.py").is_file() if given else config_dir() is None:
        where = given or os.environ.get("PYWIKIBOT_DIR") or f"{Path.cwd()} ni ~/.pywikibot"
        print(f"bots.journee : erreur : pas de user-config.py dans {where} : lancez d'abord "
              "python -m bots.family (voir bots/journee/README.md) ou donnez PYWIKIBOT_DIR", file=sys.stderr)
        return 2
    from .cli import main as run_main

    return run_main()


if __name__ == "__main__":
    sys.exit(main())
