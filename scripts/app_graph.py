"""Print the apps of dangbo and which app imports which, as a Mermaid graph (docs/architecture.md).

    .venv/bin/python scripts/app_graph.py > /tmp/graph.md

Reads the source (``ast``), not the running project: tests and migrations are left out, an import inside a
function counts like one at the top. An arrow A --> B reads "A imports B".
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "dangbo"


def apps():
    return sorted(p.name for p in ROOT.iterdir() if (p / "apps.py").exists())


def imports(app, names):
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        if {"tests", "migrations"} & set(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules = [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            for module in modules:
                parts = module.split(".")
                if parts[0] == "dangbo" and len(parts) > 1 and parts[1] in names and parts[1] != app:
                    found.add(parts[1])
    return found


def main(out=sys.stdout):
    names = set(apps())
    out.write("```mermaid\nflowchart TD\n")
    for app in sorted(names):
        for target in sorted(imports(app, names)):
            out.write(f"  {app} --> {target}\n")
    out.write("```\n")


if __name__ == "__main__":
    main()
