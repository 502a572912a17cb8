"""Migrations never run the project's code: a data migration works through the historical
models (``apps.get_model``) and carries its own copy of any logic, so that what it computes,
and whether it runs at all, never depends on how the project's code has changed since
(campaigns/0007 once imported a service to backfill the roll-up).

The one exception is what Django itself writes into a migration: references to the
callables and classes of field options and managers (``upload_to``, ``validators``,
``storage``, a ``default``, ``limit_choices_to``, ``choices``, a manager with
``use_in_migrations``). ``makemigrations`` serialises them as a plain ``import app.module``
and ``app.module.name`` in the ``Migration`` class; they are part of the migration state
(replacing them would change it), and Django's documentation asks to keep them importable
for as long as a migration refers to them. Anything else from the project's own apps fails.
"""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

# The field and model options whose values makemigrations serialises by reference.
SERIALISED_BY_REFERENCE = {
    "choices",
    "default",
    "limit_choices_to",
    "managers",
    "storage",
    "upload_to",
    "validators",
}
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def local_packages() -> set[str]:
    """The top-level packages of INSTALLED_APPS that live in this project (not in a virtual
    environment), and the project's other packages (settings, the provider sandbox, ...)."""
    base = Path(settings.BASE_DIR).resolve()
    local = {init.parent.name for init in base.glob("*/__init__.py")}
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and "site-packages" not in path.parts:
            local.add(config.name.split(".")[0])
    return local


def migration_files() -> list[Path]:
    base = Path(settings.BASE_DIR).resolve()
    return sorted(
        path
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base)
        for path in (Path(config.path) / "migrations").glob("*.py")
    )


def called_name(call: ast.Call) -> str | None:
    return getattr(call.func, "attr", None) or getattr(call.func, "id", None)


def violations(source: str, local: set[str]) -> list[str]:
    """Each use of the project's code in a migration's ``source`` that is not a reference
    Django serialised, as ``line: code``."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def ancestors(node):
        while node in parents:
            node = parents[node]
            yield node

    def in_function(node) -> bool:
        return any(isinstance(ancestor, FUNCTIONS) for ancestor in ancestors(node))

    def serialised_reference(node) -> bool:
        keyword = next((a for a in ancestors(node) if isinstance(a, ast.keyword)), None)
        return keyword is not None and keyword.arg in SERIALISED_BY_REFERENCE

    found = []
    imported = set()  # names bound by ``import app.module``
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level or (node.module or "").split(".")[0] in local:
                found.append(node)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in local:
                    if alias.asname or in_function(node):
                        found.append(node)
                    imported.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.Call) and called_name(node) in {"import_module", "__import__"}:
            found.append(node)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Name)
            and isinstance(node.ctx, ast.Load)
            and node.id in imported
            and (in_function(node) or not serialised_reference(node))
        ):
            while isinstance(parents[node], ast.Attribute):  # the whole dotted name
                node = parents[node]
            found.append(node)
    lines = sorted({(node.lineno, ast.get_source_segment(source, node)) for node in found})
    return [f"{line}: {code}" for line, code in lines]


def test_no_migration_uses_the_projects_code():
    local = local_packages()
    assert {"accounts", "campaigns", "config", "jobs", "sandbox"} <= local
    assert "allauth" not in local and "django" not in local
    files = migration_files()
    assert len(files) > 30
    found = {
        str(path.relative_to(settings.BASE_DIR)): errors
        for path in files
        if (errors := violations(path.read_text(), local))
    }
    assert found == {}


def test_the_check_tells_a_serialised_reference_from_a_use_of_the_code():
    local = {"campaigns", "jobs"}
    as_made_by_makemigrations = """
import jobs.storage
import jobs.validation
from django.db import migrations, models

class Migration(migrations.Migration):
    operations = [
        migrations.AlterField(
            model_name="application",
            name="cv",
            field=models.FileField(
                storage=jobs.storage.PrivateStorage(), validators=[jobs.validation.validate_cv]
            ),
        ),
    ]
"""
    assert violations(as_made_by_makemigrations, local) == []
    uses = """
import importlib
import campaigns.services.figures
from campaigns.services.board_posting_figures import posting_figures_rows
from . import helpers

def backfill(apps, schema_editor):
    import jobs.services
    posting_figures_rows([])
    campaigns.services.figures.rebuild()
    importlib.import_module("campaigns.services")

class Migration(migrations.Migration):
    operations = [migrations.RunPython(campaigns.services.figures.rebuild)]
"""
    assert [line.split(": ", 1)[1] for line in violations(uses, local)] == [
        "from campaigns.services.board_posting_figures import posting_figures_rows",
        "from . import helpers",
        "import jobs.services",  # even as Django writes it, not in a function
        "campaigns.services.figures.rebuild",  # called in a function
        'importlib.import_module("campaigns.services")',
        "campaigns.services.figures.rebuild",  # given to RunPython
    ]
