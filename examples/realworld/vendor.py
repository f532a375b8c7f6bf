"""Copy each gallery entry's upstream span into _upstream/ (git-ignored) from git checkouts.

    python examples/realworld/vendor.py --git-dirs DIR

DIR holds one git repository per upstream repository, as ``DIR/OWNER+NAME/repo`` (a bare mirror),
``DIR/OWNER+NAME`` or ``DIR/NAME`` (a clone; ``git clone https://github.com/OWNER/NAME``). The
span is read at the recorded commit (``git show COMMIT:PATH``), so any checkout that contains
that commit works, and it is written only if its SHA-256 matches the entry's. ``--print-clones``
prints the clone commands that make such a DIR. ``--locate`` prints
the span and SHA-256 of a top-level name (``Class`` or ``Class.method``) for writing new entries.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _gallery import UPSTREAM, Source, digest, span  # noqa: E402


def entries() -> list[tuple[str, object]]:
    """(stem, module) of every entry file: examples/realworld/*.py except helpers."""
    out = []
    for path in sorted(HERE.glob("*.py")):
        if path.stem.startswith("_") or path.stem in ("vendor", "manifest"):
            continue
        spec = importlib.util.spec_from_file_location(f"realworld_entry_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        out.append((path.stem, module))
    return out


def git_dir(root: Path, repo: str) -> Path:
    owner, name = repo.split("/")
    for candidate in (root / f"{owner}+{name}" / "repo", root / f"{owner}+{name}", root / name):
        if (candidate / "HEAD").is_file():
            return candidate
        if (candidate / ".git").exists():
            return candidate / ".git"
    raise SystemExit(f"no git checkout of {repo} under {root} (clone https://github.com/{repo} there)")


def read(root: Path, source: Source) -> str:
    """The whole file at the recorded commit."""
    git = git_dir(root, source.repo)
    done = subprocess.run(
        ["git", "--git-dir", str(git), "show", f"{source.commit}:{source.path}"],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"{source.repo}: {done.stderr.strip()} (fetch the commit {source.commit})")
    return done.stdout


def locate(text: str, name: str, cell: int | None) -> tuple[int, int]:
    """1-based (first, last) lines of a top-level def/class ``name`` (``A.b`` for a method), decorators included."""
    if cell is not None:
        import json

        text = "".join(json.loads(text)["cells"][cell]["source"])
    body = ast.parse(text).body
    node = None
    for part in name.split("."):
        node = next(n for n in body if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name == part)
        body = node.body
    first = min([node.lineno] + [d.lineno for d in node.decorator_list])
    return first, node.end_lineno


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--git-dirs", type=Path, required=True)
    parser.add_argument("--print-clones", action="store_true", help="print the git clone commands for DIR, then stop")
    parser.add_argument("--locate", nargs=3, metavar=("REPO", "COMMIT:PATH", "NAME"))
    parser.add_argument("--cell", type=int)
    args = parser.parse_args()
    if args.print_clones:
        repos = sorted({m.SOURCE.repo for _, m in entries() if m.SOURCE.module is None})
        for repo in repos:
            print(f"git clone --filter=blob:none https://github.com/{repo} {args.git_dirs / repo.replace('/', '+')}")
        return
    if args.locate:
        repo, where, name = args.locate
        commit, path = where.split(":", 1)
        source = Source(repo=repo, path=path, commit=commit, cell=args.cell)
        text = read(args.git_dirs, source)
        lines = tuple(locate(text, n, args.cell) for n in name.split(","))
        code = span(text, Source(repo=repo, path=path, commit=commit, lines=lines, cell=args.cell))
        print(f"lines={lines!r}, sha256={digest(code)!r}")
        return
    UPSTREAM.mkdir(exist_ok=True)
    ok = 0
    for stem, module in entries():
        source = module.SOURCE
        if source.module is not None:
            continue
        code = span(read(args.git_dirs, source), source)
        if digest(code) != source.sha256:
            raise SystemExit(f"{stem}: the span of {source.url()} has SHA-256 {digest(code)}, not {source.sha256}")
        (UPSTREAM / f"{stem}.py").write_text(code)
        ok += 1
    print(f"vendored {ok} spans into {UPSTREAM}")


if __name__ == "__main__":
    main()
