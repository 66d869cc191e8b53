"""docs/rules.md, the rule catalogue as a reader meets it, generated from the one catalogue
(``vars`` of dbt_project/dbt_project.yml, read by :mod:`q2c.rule_catalogue`).

    uv run python -m q2c.rules_doc           # rewrite docs/rules.md
    uv run python -m q2c.rules_doc --check   # exit 1 when docs/rules.md is out of date

tests/reconciliation/test_rules_doc.py fails while the committed file differs from the catalogue.
"""

from __future__ import annotations

import sys
from pathlib import Path

from q2c.rule_catalogue import (
    CATALOGUE_INTRO,
    CONVENTIONS,
    FAMILY_MODELS,
    FAMILY_PREAMBLES,
    MATERIALITY_DEFAULT,
    RECON_DEFAULTS,
    RULES,
    RULES_DOC,
    Rule,
)

GENERATED_NOTE = (
    "<!-- Generated from the `vars:` of dbt_project/dbt_project.yml by `uv run python -m q2c.rules_doc`: "
    "edit the catalogue there, then regenerate. -->"
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")  # a pipe would end the table cell


def _subject(rule: Rule) -> str:
    subject = " or ".join(f"`{s}`" for s in rule.subject_types)
    return f"{subject} + `attribute`" if rule.attributes else subject  # ACC-03: one finding per attribute


_MATERIALITY_WORDS = {"amount": "amount at risk ≥ {}", "count": "findings ≥ {}"}


def _materiality(rule: Rule) -> str:
    own = dict(rule.materiality)
    text = " or ".join(
        _MATERIALITY_WORDS.get(key, key + " ≥ {}").format(own.get(key, default))
        for key, default in MATERIALITY_DEFAULT.items()
    )
    return text if rule.severity == "error" else f"{text} (WARN even when material)"


def render() -> str:
    lines = [GENERATED_NOTE, "", "# Reconciliation rule catalogue", "", CATALOGUE_INTRO, "", "## Conventions", ""]
    lines += [f"- {convention}" for convention in CONVENTIONS]
    lines += [
        "",
        "The thresholds' defaults (`q2c_recon_defaults`) are below; a firm sets its own in "
        "[`config/reconciliation.yml`](../config/reconciliation.yml). A rule's Dagster check is ERROR when "
        "its open, un-waived findings reach the rule's materiality, WARN below.",
        "",
        "| threshold | default |",
        "|---|---|",
        *(f"| `{name}` | {value} |" for name, value in RECON_DEFAULTS.items() if name != "as_of"),
    ]
    for family in FAMILY_MODELS:
        lines += ["", f"## {family.title} ({family.family})", ""]
        if family.family in FAMILY_PREAMBLES:
            lines += [FAMILY_PREAMBLES[family.family], ""]
        lines += [
            f"Model: `recon.{family.model}`.",
            "",
            "| id | subject | rule | title | owner | materiality |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f'| <a id="{r.doc_anchor}"></a>{r.rule_id} | {_subject(r)} | {_cell(r.wording)} | {_cell(r.title)} '
            f"| {r.owner} | {_materiality(r)} |"
            for r in RULES
            if r.family == family.family
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None, path: Path = RULES_DOC) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if "--check" in args:
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            print(f"{path} is out of date with the rule catalogue: run `uv run python -m q2c.rules_doc`")
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
