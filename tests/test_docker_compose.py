"""docker-compose.yml as Compose reads it. There is no Docker engine here, so the file is
parsed (PyYAML) and its variables are interpolated with Compose's rules for ``${VAR}``,
``${VAR:-default}`` and ``${VAR:?error}``: the services, their commands, the order they start
in, the secrets it refuses to start without, and workers that can be scaled."""

import importlib.util
import re
from pathlib import Path

import pytest
import yaml

COMPOSE_FILE = Path(__file__).resolve().parents[1] / "docker-compose.yml"
APP_SERVICES = ("migrate", "web", "worker", "beat")
SECRETS = ("DJANGO_SECRET_KEY", "CREDENTIAL_KEYS", "PROVIDER_TOKEN", "PROVIDER_WEBHOOK_SECRET")
SECRET_VALUES = {
    "DJANGO_SECRET_KEY": "k" * 64,
    "CREDENTIAL_KEYS": "prod:ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=",
    "PROVIDER_TOKEN": "partner-token",
    "PROVIDER_WEBHOOK_SECRET": "w" * 40,
}
COMMANDS = {
    "migrate": "python manage.py migrate --noinput",
    "web": "gunicorn config.wsgi:application --bind 0.0.0.0:8000 --workers 3",
    "worker": "celery -A config worker --loglevel INFO",
    "beat": "celery -A config beat --loglevel INFO --schedule /tmp/celerybeat-schedule",
    "sandbox": "sh -c 'SANDBOX_WEBHOOK_URL=\"$$(python manage.py provider_webhook_url "
    '--base-url http://web:8000)" exec python -m sandbox --host 0.0.0.0 --port 8100 '
    "--data-dir /tmp/sandbox --public-url http://localhost:8100'",
}
VARIABLE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


class MissingVariable(Exception):
    pass


def interpolate(node, env: dict[str, str]):
    """Compose's variable interpolation over the whole file (it runs before anything starts,
    so one missing required variable stops ``docker compose up`` as a whole)."""
    if isinstance(node, dict):
        return {key: interpolate(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolate(value, env) for value in node]
    if not isinstance(node, str):
        return node

    def value_of(match: re.Match) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        value = env.get(name)
        missing = not value if op and op.startswith(":") else value is None
        if op in (":?", "?") and missing:
            raise MissingVariable(f"required variable {name} is missing a value: {arg}")
        if op in (":-", "-") and missing:
            return arg
        return value or ""

    return VARIABLE.sub(value_of, node)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return interpolate(compose, SECRET_VALUES)["services"]


def test_the_services_and_their_commands(services):
    assert set(services) == {"db", "redis", *COMMANDS}
    assert {name: services[name]["command"] for name in COMMANDS} == COMMANDS
    # What the commands name exists: the WSGI application and the Celery application.
    assert importlib.util.find_spec("config.wsgi") and importlib.util.find_spec("config.celery")
    assert (COMPOSE_FILE.parent / "manage.py").exists()
    for name in (*APP_SERVICES, "sandbox"):  # one image, built from this repository
        assert (services[name]["build"], services[name]["image"]) == (".", "jobcast:local")


def test_web_worker_and_beat_start_only_once_the_migrations_completed(services):
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"},
            "redis": {"condition": "service_healthy"},
        }, name
        assert services[name]["restart"] == "unless-stopped"
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert services["migrate"]["restart"] == "no"  # it runs once, to completion
    for name in ("db", "redis"):
        assert services[name]["healthcheck"]["test"], name


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.parametrize("state", ["unset", "empty"])
def test_compose_refuses_to_start_while_a_secret_is_unset(compose, secret, state):
    env = {name: value for name, value in SECRET_VALUES.items() if name != secret}
    if state == "empty":
        env[secret] = ""
    with pytest.raises(MissingVariable, match=f"required variable {secret} .*: set {secret} "):
        interpolate(compose, env)


def test_every_process_gets_the_secrets_and_shares_one_redis(services):
    environments = [services[name]["environment"] for name in APP_SERVICES]
    assert all(environment == environments[0] for environment in environments)
    environment = environments[0]
    assert {name: environment[name] for name in SECRETS} == SECRET_VALUES
    # One Redis for the broker, the cache and the provider rate limiter: one budget of
    # provider calls for every process, however many workers run.
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert "PROVIDER_RATE_LIMIT" not in environment  # the provider's 60 a minute, shared
    sandbox = services["sandbox"]["environment"]
    assert sandbox["SANDBOX_TOKEN"] == environment["PROVIDER_TOKEN"]
    # The callback URL is the product's own (its secret segment from PROVIDER_WEBHOOK_SECRET).
    assert sandbox["PROVIDER_WEBHOOK_SECRET"] == environment["PROVIDER_WEBHOOK_SECRET"]
    assert (
        "manage.py provider_webhook_url --base-url http://web:8000"
        in (services["sandbox"]["command"])
    )


def test_workers_can_be_scaled(services):
    # docker compose up --scale worker=N: nothing that only one container can have.
    for fixed in ("container_name", "hostname", "ports"):
        assert fixed not in services["worker"], fixed
    assert "--hostname" not in services["worker"]["command"]
