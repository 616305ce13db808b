"""The deployment files in deploy/ stay true to the code: the systemd units start commands that
exist with options they accept, every variable they, the container files and the example
environment set is one the platform reads, the deployment guide names every variable the
settings read, and nginx accepts its configuration and serves media and static files as the
guide says (nginx from Debian: `make test` installs it)."""

import ast
import configparser
import datetime
import http.client
import os
import re
import shlex
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import get_commands, load_command_class

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
VENV_BIN = "/srv/hw4all/.venv/bin/"
ENV_FILE = "/etc/hw4all/env"
ENV_PATTERN = re.compile(
    r"""(?:os\.environ\.get|os\.environ\[|os\.getenv|env_bool|env_list)\(?\s*["']([A-Z][A-Z0-9_]*)["']"""
)
# Read by libraries rather than by our code: dj-database-url, Django itself, boto3 (media on S3).
LIBRARY_VARIABLES = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}


def _variables_read(files) -> set[str]:
    return {name for path in files for name in ENV_PATTERN.findall(path.read_text())}


def _platform_files():
    return [
        path
        for path in (ROOT / "hw4all").rglob("*.py")
        if "tests" not in path.parts and path.name != "test.py" and path.name != "conftest.py"
    ]


def _granian_variables() -> set[str]:
    from granian.cli import cli

    return {f"GRANIAN_{param.name.upper()}" for param in cli.params if param.name}


def _allowed_variables() -> set[str]:
    return _variables_read(_platform_files()) | LIBRARY_VARIABLES | _granian_variables()


class _Repeatable(dict):
    """systemd repeats keys (Environment=); configparser keeps the last unless told otherwise."""

    def __setitem__(self, key, value):
        if isinstance(value, list) and key in self:
            self[key].extend(value)
        else:
            super().__setitem__(key, value)


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(
        strict=False,
        interpolation=None,
        delimiters=("=",),
        dict_type=_Repeatable,
        comment_prefixes=("#", ";"),
    )
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text())
    return parser


def _environment(service) -> dict[str, str]:
    pairs = [pair for line in service.get("Environment", "").splitlines() for pair in shlex.split(line)]
    return dict(pair.split("=", 1) for pair in pairs)


def test_there_are_units_for_the_web_the_worker_and_the_backup():
    assert {path.name for path in UNITS} == {
        "hw4all-web.service",
        "hw4all-worker.service",
        "hw4all-backup.service",
    }


@pytest.mark.parametrize("path", UNITS, ids=lambda path: path.name)
def test_each_unit_runs_hardened_as_the_site_user_with_production_settings(path):
    service = _unit(path)["Service"]
    environment = _environment(service)

    assert service["User"] == "hw4all"
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"
    assert service["PrivateTmp"] == "yes"
    assert service["EnvironmentFile"] == ENV_FILE
    assert environment["DJANGO_SETTINGS_MODULE"] == "hw4all.settings.production"
    # The one folder the site writes is the one it may write.
    assert service["ReadWritePaths"].split() == [environment["HW4ALL_VAR_DIR"]]
    assert service["WorkingDirectory"] == str(Path(VENV_BIN).parent.parent)
    assert set(environment) <= _allowed_variables(), set(environment) - _allowed_variables()


def _exec_start(path: Path) -> list[str]:
    command = shlex.split(_unit(path)["Service"]["ExecStart"])
    assert command[0].startswith(VENV_BIN), command[0]
    return [command[0].removeprefix(VENV_BIN), *command[1:]]


@pytest.fixture
def production_tasks(settings):
    """The task queue deployments use (tests run tasks at once); db_worker refuses any other."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _check_management_command(arguments: list[str]) -> None:
    assert arguments[0] == "manage.py"
    name, options = arguments[1], arguments[2:]
    app = get_commands().get(name)
    assert app is not None, f"manage.py has no command {name}"
    # The options parse as the command defines them (an unknown one exits with an error).
    load_command_class(app, name).create_parser("manage.py", name).parse_args(options)


def test_the_web_unit_serves_the_wsgi_application_with_options_granian_knows():
    program, *arguments = _exec_start(DEPLOY / "systemd" / "hw4all-web.service")
    target = next(argument for argument in arguments if ":" in argument and not argument.startswith("-"))
    module, attribute = target.split(":")
    source = (ROOT / Path(*module.split("."))).with_suffix(".py")
    assigned = {
        node.id
        for statement in ast.parse(source.read_text()).body
        if isinstance(statement, ast.Assign)
        for node in statement.targets
        if isinstance(node, ast.Name)
    }

    assert program == "granian"
    assert arguments[arguments.index("--interface") + 1] == "wsgi"
    assert attribute in assigned
    # granian parses every option before --help answers: an unknown or misspelt one fails.
    checked = subprocess.run(  # noqa: S603
        [str(Path(shutil.which("granian") or "granian")), *arguments, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stderr


@pytest.mark.parametrize("name", ["hw4all-worker.service", "hw4all-backup.service"])
def test_the_worker_and_backup_units_run_management_commands_that_exist(name, production_tasks):
    program, *arguments = _exec_start(DEPLOY / "systemd" / name)

    assert program == "python"
    _check_management_command(arguments)


def test_old_backups_are_removed_only_inside_the_folder_the_unit_may_write():
    service = _unit(DEPLOY / "systemd" / "hw4all-backup.service")["Service"]
    cleanup = shlex.split(service["ExecStartPost"])

    assert cleanup[0] == "/usr/bin/find"
    assert Path(cleanup[1]).is_relative_to(service["ReadWritePaths"])
    assert "-delete" in cleanup


def test_the_backup_timer_starts_the_backup_every_day_and_catches_up():
    timer = _unit(DEPLOY / "systemd" / "hw4all-backup.timer")["Timer"]

    assert (DEPLOY / "systemd" / "hw4all-backup.service").exists()
    assert "*-*-*" in timer["OnCalendar"]
    assert timer["Persistent"] == "true"


def _env_example_variables() -> set[str]:
    names = set()
    for line in (DEPLOY / "env.example").read_text().splitlines():
        found = re.match(r"#?\s*([A-Z][A-Z0-9_]*)=", line)
        if found:
            names.add(found.group(1))
    return names


def test_the_example_environment_sets_only_variables_the_platform_reads():
    names = _env_example_variables()

    assert {"SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "EMAIL_URL", "TRUSTED_PROXY_COUNT"} <= names
    assert names <= _allowed_variables(), names - _allowed_variables()


def test_the_example_secret_key_is_empty_so_a_copy_left_unchanged_refuses_to_start():
    assert "\nSECRET_KEY=\n" in (DEPLOY / "env.example").read_text()


def test_the_deployment_guide_names_every_variable_the_settings_read():
    guide = (ROOT / "docs" / "deployment.md").read_text()
    read = _variables_read(_platform_files()) | {"DATABASE_URL"}

    missing = {name for name in read if f"`{name}`" not in guide}
    assert not missing


def _containerfile() -> list[tuple[str, str]]:
    text = (DEPLOY / "Containerfile").read_text().replace("\\\n", " ")
    instructions = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, rest = line.strip().partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def test_the_container_image_copies_files_that_exist_and_runs_as_a_user():
    instructions = _containerfile()
    copied = [part for keyword, rest in instructions if keyword == "COPY" for part in rest.split()[:-1]]
    runs = " ".join(rest for keyword, rest in instructions if keyword == "RUN")

    assert {"uv.lock", "pyproject.toml", "manage.py", "hw4all"} <= set(copied)
    for path in copied:
        assert (ROOT / path).exists(), path
    assert "uv sync --frozen --no-dev" in runs
    assert "manage.py collectstatic" in runs
    users = [rest for keyword, rest in instructions if keyword == "USER"]
    assert users and users[-1] not in {"root", "0"}
    assert any(keyword == "HEALTHCHECK" and "/health/" in rest for keyword, rest in instructions)


def test_the_container_starts_the_wsgi_application_and_sets_variables_the_platform_reads():
    instructions = _containerfile()
    command = next(rest for keyword, rest in reversed(instructions) if keyword == "CMD")
    environment = {}
    for keyword, rest in instructions:
        if keyword == "ENV":
            environment.update(pair.split("=", 1) for pair in shlex.split(rest))

    assert "hw4all.wsgi:application" in command
    assert environment["DJANGO_SETTINGS_MODULE"] == "hw4all.settings.production"
    platform = _allowed_variables()
    own = {name for name in environment if not name.startswith(("UV_", "PYTHON")) and name != "PATH"}
    assert own <= platform, own - platform


def test_compose_runs_two_web_servers_a_worker_postgresql_redis_and_nginx(production_tasks):
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    web = services["web"]

    assert web["deploy"]["replicas"] == 2
    assert web["build"]["dockerfile"] == "deploy/Containerfile"
    assert services["postgres"]["image"] == "postgres:15"
    assert services["redis"]["image"].startswith("redis")
    assert services["worker"]["command"][:3] == ["python", "manage.py", "db_worker"]
    _check_management_command(services["worker"]["command"][1:])
    assert set(web["environment"]) <= _allowed_variables()
    assert web["environment"]["CACHE_URL"].startswith("redis://")
    for volume in services["nginx"]["volumes"]:
        source = volume.split(":")[0]
        if source.startswith("./nginx/"):
            assert (DEPLOY / source).exists(), source


# nginx -----------------------------------------------------------------------------------------


def _largest_request_accepted() -> int:
    """The largest body a form of the site accepts and answers itself."""
    from hw4all.codereports.views import reports
    from hw4all.library import forms as library_forms
    from hw4all.library import uploads as library_uploads
    from hw4all.practices import uploads as practices_uploads
    from hw4all.practices.services.cases import attachment_limit_bytes
    from hw4all.workforce import admin_views as workforce_admin

    return max(
        library_uploads.upload_limit_bytes() * library_forms.FILE_ROWS + library_uploads.FORM_MARGIN_BYTES,
        attachment_limit_bytes() + practices_uploads.FORM_MARGIN_BYTES,
        reports.REQUEST_MAX_BYTES,
        workforce_admin.REQUEST_MAX_BYTES,
        settings.WAGTAILDOCS_MAX_UPLOAD_SIZE,
        settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE,
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    )


def _nginx_size(value: str) -> int:
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    return int(value[:-1]) * units[value[-1].lower()] if value[-1].isalpha() else int(value)


def test_nginx_accepts_every_upload_the_application_accepts():
    config = (DEPLOY / "nginx" / "hw4all.conf").read_text()
    limit = re.search(r"^\s*client_max_body_size\s+(\S+);", config, re.MULTILINE)

    assert limit
    assert _nginx_size(limit.group(1)) >= _largest_request_accepted()


def _nginx() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    assert found, "nginx is not installed: `make deploy-deps` installs Debian's"
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _certificate(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "hw4all.example.org")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    chain, private = folder / "fullchain.pem", folder / "privkey.pem"
    chain.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return chain, private


@pytest.fixture
def nginx_site(tmp_path):
    """deploy/nginx's two files in an nginx.conf like Debian's (which already has `gzip on`), with
    this test's certificate, ports and folders in place of the real ones."""
    chain, private = _certificate(tmp_path)
    http_port, https_port = _free_port(), _free_port()
    site = tmp_path / "site"
    for folder in ("static", "media/images", "media/questionnaires/answers", "media/documents", "logs"):
        (site / folder).mkdir(parents=True)
    server = (
        (DEPLOY / "nginx" / "hw4all.conf")
        .read_text()
        .replace("/etc/letsencrypt/live/hw4all.example.org/fullchain.pem", str(chain))
        .replace("/etc/letsencrypt/live/hw4all.example.org/privkey.pem", str(private))
        .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
        .replace("listen [::]:443 ssl http2;", "")
        .replace("listen 80;", f"listen 127.0.0.1:{http_port};")
        .replace("listen [::]:80;", "")
        .replace("root /var/lib/hw4all;", f"root {site};")
    )
    (tmp_path / "hw4all.conf").write_text(server)
    shutil.copy(DEPLOY / "nginx" / "hw4all-upstream.conf", tmp_path / "hw4all-upstream.conf")
    temporary = "\n".join(
        f"    {kind}_temp_path {tmp_path / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    mime_types = Path("/etc/nginx/mime.types")
    (tmp_path / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\n"
        + "daemon off;\nworker_processes 1;\nevents {}\nhttp {\n"
        + (f"    include {mime_types};\n" if mime_types.exists() else "")
        + "    default_type application/octet-stream;\n    sendfile on;\n    gzip on;\n"
        + f"    access_log {site / 'logs' / 'access.log'};\n{temporary}\n"
        + f"    include {tmp_path / 'hw4all-upstream.conf'};\n    include {tmp_path / 'hw4all.conf'};\n}}\n"
    )
    return {"prefix": tmp_path, "site": site, "http": http_port, "https": https_port}


def _nginx_command(nginx_site, *arguments: str) -> list[str]:
    prefix = nginx_site["prefix"]
    return [
        _nginx(),
        "-p",
        str(prefix),
        "-c",
        str(prefix / "nginx.conf"),
        "-e",
        str(prefix / "error.log"),
        *arguments,
    ]


def test_nginx_accepts_the_configuration(nginx_site):
    checked = subprocess.run(_nginx_command(nginx_site, "-t"), capture_output=True, text=True, timeout=60)  # noqa: S603

    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


@pytest.fixture
def nginx_running(nginx_site):
    server = subprocess.Popen(_nginx_command(nginx_site), stderr=subprocess.PIPE)  # noqa: S603
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", nginx_site["https"]), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
            time.sleep(0.05)
    yield nginx_site
    server.terminate()
    server.wait(timeout=20)


def _get(site, path: str, *, method: str = "GET", secure: bool = True) -> http.client.HTTPResponse:
    if secure:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            "127.0.0.1", site["https"], context=context, timeout=10
        )
    else:
        connection = http.client.HTTPConnection("127.0.0.1", site["http"], timeout=10)
    connection.request(method, path, headers={"Host": "hw4all.example.org"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_plain_http_is_sent_to_https(nginx_running):
    response = _get(nginx_running, "/en/campaigns/?page=2", secure=False)

    assert response.status == 301
    assert response.headers["Location"] == "https://hw4all.example.org/en/campaigns/?page=2"


def test_images_the_pages_show_are_served_inline_and_never_sniffed(nginx_running):
    (nginx_running["site"] / "media" / "images" / "logo.fill-200x100.png").write_bytes(b"\x89PNG\r\n\x1a\n")

    response = _get(nginx_running, "/media/images/logo.fill-200x100.png")

    assert response.status == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == "inline"
    assert "sandbox" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path",
    [
        # An uploaded file that a browser would run as a page of the site's origin.
        "media/images/drawing.svg",
        "media/images/page.html",
        "media/images/picture.png.html",
        # Personal or unpublished uploads: only the application, which checks who asks, serves them.
        "media/questionnaires/answers/answer.pdf",
        "media/documents/minutes.pdf",
        "media/questionnaires/answers/photo.png",
    ],
)
def test_other_media_are_never_served_by_nginx(nginx_running, path):
    file = nginx_running["site"] / path
    file.write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>")

    response = _get(nginx_running, f"/{path}")

    assert response.status == 404


def test_hashed_static_files_are_kept_for_a_year_and_plain_names_for_an_hour(nginx_running):
    static = nginx_running["site"] / "static"
    (static / "site.0123456789ab.css").write_text("body { color: #222; }")
    (static / "site.css").write_text("body { color: #222; }")

    hashed = _get(nginx_running, "/static/site.0123456789ab.css")
    plain = _get(nginx_running, "/static/site.css")

    assert hashed.status == plain.status == 200
    assert hashed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert plain.headers["Cache-Control"] == "public, max-age=3600"
    assert hashed.headers["X-Content-Type-Options"] == "nosniff"


def test_a_static_file_not_on_the_proxy_is_asked_from_the_application(nginx_running):
    # No app server runs in this test: the answer shows where nginx sent the request.
    response = _get(nginx_running, "/static/missing.0123456789ab.js")

    assert response.status == 502


def test_readiness_is_not_answered_to_the_public_internet(nginx_running):
    # This test's requests come from 127.0.0.1, which may ask; the rule for others is a deny.
    config = (DEPLOY / "nginx" / "hw4all.conf").read_text()
    ready = config[config.index("location = /health/ready/") :]
    ready = ready[: ready.index("}")]

    assert "deny all;" in ready
    assert _get(nginx_running, "/health/ready/").status == 502
