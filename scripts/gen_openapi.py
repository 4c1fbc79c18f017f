"""Write the service's OpenAPI schema (REST routes and the WebSocket events' shapes) to
docs/openapi.json, so the API is reviewable and diffable in the repository.

Usage: python scripts/gen_openapi.py [--check]   (needs the [server] extra)
--check fails when docs/openapi.json differs from what the code describes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from codriver.server.app import build_app
from codriver.server.config import ServerConfig

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "openapi.json"


def schema_text() -> str:
    app = build_app(ServerConfig(token="unused", tick_seconds=None))
    schema = app.openapi()
    return json.dumps(schema, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args()
    text = schema_text()
    if args.check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.relative_to(ROOT)} is out of date: run python scripts/gen_openapi.py")
            return 1
        print(f"{OUT.relative_to(ROOT)} is up to date")
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
