#!/usr/bin/env python3
"""Checks the runbook links of the alerting rules (run by scripts/check-rules.sh).

    check-runbooks.py --doc DOC.md [--doc DOC.md...] RULES.yml...

Every runbook_url of the YAML files (rules, rule tests; read with PyYAML) links to one of the DOCs by its path in
the repository (.../blob/main/deploy/prometheus/RUNBOOK.md#runbook-...), and its anchor names a heading of that
DOC (GitHub anchors). Prints one line per failure and a final count; exits 1 on any failure.
"""
import argparse
import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))
from obs import Results, find_values, load_yaml  # noqa: E402


def github_slug(heading):
    """The anchor GitHub gives a Markdown heading."""
    slug = heading.strip().lower()
    slug = re.sub(r"[^\w\- ]", "", slug)
    return slug.replace(" ", "-")


def check_runbooks(args, results):
    # doc path as given (relative to the repository root, as in the URL) -> its anchors
    anchors = {}
    for doc in args.doc:
        slugs = set()
        for line in Path(doc).read_text(encoding="utf-8").splitlines():
            m = re.match(r"^#{1,6}\s+(.*)$", line)
            if m:
                slugs.add(github_slug(m.group(1)))
        anchors[Path(doc).as_posix()] = slugs
    for rules in args.files:
        urls = [u for u in find_values(load_yaml(rules), "runbook_url") if isinstance(u, str)]
        if not urls:
            results.fail(f"no runbook_url in {rules}")
        for url in sorted(set(urls)):
            location, _, anchor = url.partition("#")
            # the URL names the file in the repository: it must be one of the docs checked, so that the anchor
            # is looked up in the file the link opens
            doc = next((d for d in anchors if location.endswith("/" + d)), None)
            if doc is None:
                results.fail(f"{rules}: runbook_url {url} does not link to {' or '.join(anchors)}")
            elif not anchor.startswith("runbook-"):
                results.fail(f"{rules}: runbook_url {url} has no #runbook- anchor")
            elif anchor not in anchors[doc]:
                results.fail(f"{rules}: runbook anchor #{anchor} has no heading in {doc}")
            else:
                results.ok()


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--doc", action="append", required=True,
                        help="runbook document, by its path in the repository (repeatable)")
    parser.add_argument("files", nargs="+", help="rules or rule test files with runbook_url annotations")
    results = Results()
    check_runbooks(parser.parse_args(argv), results)
    return results.finish("check-runbooks")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
