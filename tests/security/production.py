"""Run a command in a fresh process with the production settings and the environment the
README documents (optionally with some variables changed or removed)."""

import subprocess

from tests.accounts.test_security import PRODUCTION_ENV, _run_with


def run_with_production_settings(
    *args: str, overrides: dict[str, str | None] | None = None
) -> subprocess.CompletedProcess:
    env = dict(PRODUCTION_ENV)
    for name, value in (overrides or {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return _run_with(env, *args)
