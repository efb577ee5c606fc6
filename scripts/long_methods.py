"""List the functions and methods of the addon longer than a limit (default 80 lines).

Usage: python scripts/long_methods.py [LIMIT] [PATH ...]   (default PATH: store_service_crm)

A long method either gets split or says why it is long in its docstring, with
the words "Long on purpose" (for instance one SQL statement read top to bottom).
Prints one line per long function: its length, where it is, and whether its
docstring gives the reason. Exit code 1 when one of them gives none.
"""

import ast
import sys
from pathlib import Path

REASON = "long on purpose"


def long_functions(paths, limit):
    for root in paths:
        files = [root] if root.is_file() else sorted(root.rglob("*.py"))
        for path in files:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = node.end_lineno - node.lineno + 1
                    if length > limit:
                        reason = REASON in (ast.get_docstring(node) or "").lower()
                        yield length, f"{path}:{node.lineno}", node.name, reason


def main(argv):
    limit = int(argv[0]) if argv and argv[0].isdigit() else 80
    paths = [Path(arg) for arg in argv[1 if argv and argv[0].isdigit() else 0 :]]
    unexplained = 0
    for length, where, name, reason in long_functions(paths or [Path("store_service_crm")], limit):
        unexplained += not reason
        print(f"{length:5d}  {where}  {name}  {'reason given' if reason else 'NO REASON'}")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
