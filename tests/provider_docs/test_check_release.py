"""The release checker reports what a new release of the documentation changed."""

import json

from tests.provider_docs.check_release import EXAMPLES, check

GROUP = "groups-create.response-201.guides-managing-contracts"


def test_a_release_is_compared_example_by_example(tmp_path, capsys):
    kept = json.loads((EXAMPLES / f"{GROUP}.json").read_text(encoding="utf-8"))
    guide = tmp_path / kept["source"]["file"]
    guide.parent.mkdir(parents=True)
    blocks = [
        "# POST /igb/contracts/groups/",
        "```json",
        json.dumps(kept["body"], indent=2),  # the same example, at another line
        "```",
        "```json",
        '{"id": "new", "idx": 9, "name": "A new example"}',  # one nobody keeps yet
        "```",
    ]
    guide.write_text("\n".join(blocks), encoding="utf-8")
    assert check(tmp_path, None) == 1
    report = capsys.readouterr().out.splitlines()
    assert f"moved     {GROUP}: now at line 2 (was {kept['source']['line']})" in report
    # The other examples of that guide are gone from this "release".
    assert any(line.startswith("CHANGED   groups.response-200.") for line in report)
    assert any(line.startswith("NEW?      guides/06-contracts/managing") for line in report)
    # Examples of the OpenAPI document are only compared when it is given.
    assert any(line.startswith("skipped   campaigns-order.request.openapi") for line in report)
