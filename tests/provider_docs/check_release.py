"""Check a release of the provider's documentation against the examples kept here.

    python -m tests.provider_docs.check_release /path/to/hapi-docs

``/path/to/hapi-docs`` holds the written guides (``guides/``, ``02-api-overview.md``, ...,
as the ``docs/`` folder of the provider's public repository) and, optionally, the OpenAPI
document as ``hapi-openapi.json`` (else ``--openapi FILE``). For every example file in
``examples/`` it says whether the release still shows it (at the same line, or elsewhere in
the same file) or no longer does; then it lists the examples of the same guide files that
no file here keeps (new or changed ones to add). Exit status 1 when something must be
looked at. Nothing is written: refresh the files by hand (or with a script) and run
``tests/distribution/test_documented_examples.py``.
"""

import argparse
import json
import re
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent / "examples"
FENCE = re.compile(r"^\s*```(\w*)")
PLACEHOLDERS = [(r"\{\s*\.\.\.\s*\}", "{}"), (r"\[\s*\.\.\.\s*\]", "[]")]
# Sections whose examples are for calls (or parameters) Jobcast does not use: not kept here,
# not reported. The README lists the same, with why.
NOT_KEPT = {
    ("guides/04-taxonomy.endpoints.md", "GET /products/job-titles/"): "no job title search",
    ("guides/04-taxonomy.endpoints.md", "GET /products/location/search/"): "no location search",
    ("guides/04-taxonomy.md", "Using Taxonomy in Product Search"): "no product search",
    ("guides/07-posting-requirements/autocomplete.endpoints.md", "POST /products/"): (
        "no Job Marketing products: contract autocomplete only"
    ),
    ("guides/08-campaigns/validation.endpoints.md", "POST /campaigns/validate-vacancy-info/"): (
        "the whole campaign is validated (validate-campaign)"
    ),
    ("guides/08-campaigns/validation.endpoints.md", "POST /campaigns/order?validateOnly"): (
        "validate-campaign is used instead"
    ),
    ("guides/08-campaigns/status.md", "Sandbox Status Simulation"): (
        "the sandbox-only edit call: tests drive it through tests/fixtures/sandbox.py"
    ),
    ("guides/14-scenarios/job-post-campaign.md", "Stage 1: Validate Channel Posting"): (
        "validate-channel-posting is not used"
    ),
    ("guides/14-scenarios/job-post-campaign.md", "Stage 2: Validate Full Campaign"): (
        "its ?validateOnly=true request line: validate-campaign is used instead"
    ),
    ("guides/14-scenarios/job-post-campaign.md", "Option B: Use an Existing Contract"): (
        "contracts are listed by channel_id, not channel_name"
    ),
}


def guide_examples(path: Path) -> list[tuple[int, str, object]]:
    """(line, section, value) of every example of a guide: ```json blocks, request bodies of
    ```http blocks, and request lines that carry a query string."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found, index, section = [], 0, ""
    while index < len(lines):
        if lines[index].startswith("#"):
            section = lines[index].strip("# ").strip()
        match = FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        end = index + 1
        while end < len(lines) and not lines[end].strip().startswith("```"):
            end += 1
        text = "\n".join(lines[index + 1 : end])
        fence = match.group(1) or "text"
        if fence == "http":
            head, _, text = text.partition("\n\n")
            text = text if text.strip() else ""
            text, head = text, head.strip().splitlines()[0] if head.strip() else ""
        else:
            head = text.strip().splitlines()[0] if fence == "text" and text.strip() else ""
        request = re.match(r"^(GET|POST|PUT|PATCH|DELETE) (\S+)", head)
        if request and "?" in request.group(2):
            found.append((index + 1, section, re.sub(r"^https://[^/]+", "", request.group(2))))
        if fence in ("json", "http") and text.strip():
            value = _json(text)
            if value is not None:
                found.append((index + 1, section, value))
        index = end + 1
    return found


def _json(text: str):
    for candidate in (text, "{" + text + "}"):
        for pattern, replacement in PLACEHOLDERS:
            candidate = re.sub(pattern, replacement, candidate)
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    return None


def openapi_value(document: dict, pointer: str):
    node = document
    for part in pointer.strip("/").split("/"):
        key = part.replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


def check(docs: Path, openapi: Path | None) -> int:
    problems = 0
    kept: dict[str, list] = {}
    document = json.loads(openapi.read_text(encoding="utf-8")) if openapi else None
    for path in sorted(EXAMPLES.glob("*.json")):
        example = json.loads(path.read_text(encoding="utf-8"))
        source = example["source"]
        if source["document"] == "hapi-openapi.json":
            if document is None:
                print(f"skipped   {path.stem} (no OpenAPI document given)")
                continue
            try:
                same = openapi_value(document, source["pointer"]) == example["body"]
            except (KeyError, IndexError, ValueError):
                same = False
            print(f"{'same' if same else 'CHANGED':9} {path.stem}")
            problems += not same
            continue
        guide = docs / source["file"]
        if not guide.exists():
            print(f"MISSING   {path.stem}: {source['file']} is not in this release")
            problems += 1
            continue
        examples = kept.setdefault(source["file"], guide_examples(guide))
        if source.get("inline"):  # quoted in the text rather than in a block of its own
            quoted = json.dumps(example["body"], ensure_ascii=False)
            same = quoted in guide.read_text(encoding="utf-8")
            print(f"{'same' if same else 'CHANGED':9} {path.stem}")
            problems += not same
            continue
        lines = [line for line, _section, value in examples if value == example["body"]]
        if source["line"] in lines:
            print(f"same      {path.stem}")
        elif lines:
            print(f"moved     {path.stem}: now at line {lines[0]} (was {source['line']})")
        else:
            print(f"CHANGED   {path.stem}: no longer in {source['file']}")
            problems += 1
    bodies = [json.loads(p.read_text(encoding="utf-8"))["body"] for p in EXAMPLES.glob("*.json")]
    for file, examples in sorted(kept.items()):
        for line, section, value in examples:
            if any(file == f and section.startswith(s) for f, s in NOT_KEPT):
                continue
            if value not in bodies:
                print(f"NEW?      {file}:{line} is kept by no example file")
                problems += 1
    return 1 if problems else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs", type=Path, help="the guides folder of a documentation release")
    parser.add_argument("--openapi", type=Path, help="the release's OpenAPI document")
    args = parser.parse_args(argv)
    openapi = args.openapi or (args.docs / "hapi-openapi.json")
    return check(args.docs, openapi if openapi.exists() else None)


if __name__ == "__main__":
    sys.exit(main())
