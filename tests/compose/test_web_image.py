"""Guard the web image (issue 16): web/Dockerfile, web/nginx/ and the compose service `web`.

The front end is served by nginx in its own image, and must be served exactly as the gateway serves
it under `make run` (gateway/src/gateway/web.py): the same Content-Security-Policy (WEB_CSP, read
from the gateway's source and compared), the same Cache-Control for /assets/, index.html and the
rest, the security headers of yiwang_shared.security_headers, and the SPA fallback. The image runs
as a numeric non-root user on a read-only filesystem (writes only under /tmp), and in compose its
nginx is the browser's one origin: it proxies /api/, /docs and /open311/ — the paths the Kubernetes
Ingress sends to the gateway — to the gateway.

When nginx is installed (Debian's `nginx`; CI installs it), the configuration is rendered as the
image's entrypoint would, checked with `nginx -t`, and run on a free port over a small dist/ and a
stand-in gateway, and the answers are checked over HTTP.
"""

from __future__ import annotations

import ast
import http.server
import ipaddress
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import yaml
from test_compose import (
    ROOT,
    _check_runtime_user_and_healthcheck,
    args_of,
    compose,
    compose_service,
    dockerfile,
    environment,
    exec_form,
    interpolate,
)

WEB = ROOT / "web"
DOCKERFILE = WEB / "Dockerfile"
NGINX_CONF = WEB / "nginx" / "nginx.conf"
TEMPLATE = WEB / "nginx" / "gateway.conf.template"
GATEWAY_WEB = ROOT / "gateway" / "src" / "gateway" / "web.py"
GATEWAY_APP = ROOT / "gateway" / "src" / "gateway" / "app.py"
SECURITY_HEADERS = ROOT / "shared" / "src" / "yiwang_shared" / "security_headers.py"
INGRESS = ROOT / "deploy" / "k8s" / "base" / "gateway" / "ingress.yaml"
WEB_PORT = 8080
#: Where the static files are in the nginx image.
HTML_ROOT = "/usr/share/nginx/html"


# ── what the gateway does (read from its source, not restated) ──────────────────────────────────


def _module_constants(path: Path) -> dict[str, Any]:
    """The literal module-level constants of a Python file."""
    found: dict[str, Any] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                found[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue
    return found


def gateway_web() -> dict[str, str]:
    """WEB_CSP and the three Cache-Control values of gateway/src/gateway/web.py."""
    constants = _module_constants(GATEWAY_WEB)
    names = ("WEB_CSP", "_IMMUTABLE", "_NO_CACHE", "_SHORT")
    assert all(isinstance(constants.get(n), bytes) for n in names), "gateway.web changed shape"
    return {n: constants[n].decode() for n in names}


def gateway_referrer_policy() -> str:
    """The Referrer-Policy the gateway sends with the app's HTML."""
    sources = sorted(GATEWAY_APP.parent.glob("*.py"))  # app.py's class was split (ADR 0008)
    text = "\n".join(p.read_text(encoding="utf-8") for p in sources)
    found = re.findall(r'b"referrer-policy", b"([^"]+)"', text)
    assert len(set(found)) == 1, found
    return found[0]


def shared_security_headers() -> dict[str, str]:
    """The headers yiwang_shared.security_headers adds to an HTML page (besides its CSP)."""
    text = SECURITY_HEADERS.read_text(encoding="utf-8")
    pairs = dict(re.findall(r'\(b"([a-z-]+)", b"([^"]+)"\)', text))
    assert pairs.get("x-content-type-options") == "nosniff", pairs
    assert pairs.get("x-frame-options") == "DENY", pairs
    return pairs


# ── nginx's configuration as a tree ──────────────────────────────────────────────────────────────


@dataclass
class Directive:
    name: str
    args: list[str]
    block: list[Directive] | None = None
    children: list[Directive] = field(default_factory=list)

    def all(self, name: str) -> list[Directive]:
        return [d for d in self.children if d.name == name]

    def one(self, name: str) -> Directive:
        found = self.all(name)
        assert len(found) == 1, f"{self.name} {' '.join(self.args)}: {len(found)} × {name}"
        return found[0]

    def values(self, name: str) -> list[list[str]]:
        return [d.args for d in self.all(name)]

    def location(self, *args: str) -> Directive:
        found = [d for d in self.all("location") if d.args == list(args)]
        assert len(found) == 1, f"no single location {' '.join(args)}"
        return found[0]

    def walk(self) -> Iterator[Directive]:
        for child in self.children:
            yield child
            yield from child.walk()


_TOKEN = re.compile(
    r"""\s+|#[^\n]*|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([{};])"""
    r"""|((?:\$\{\w+\}|[^\s{};"'#])(?:\$\{\w+\}|[^\s{};])*)"""
)


def parse_nginx(text: str) -> Directive:
    """An nginx configuration as a tree of directives (quotes removed from arguments)."""
    root = Directive("main", [])
    stack = [root]
    words: list[str] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        assert m, f"cannot read nginx config at {text[pos : pos + 40]!r}"
        pos = m.end()
        double, single, punct, word = m.groups()
        if double is not None or single is not None:
            words.append(double if double is not None else single)
        elif word is not None:
            words.append(word)
        elif punct == ";":
            assert words, "empty directive"
            stack[-1].children.append(Directive(words[0], words[1:]))
            words = []
        elif punct == "{":
            assert words, "block without a name"
            block = Directive(words[0], words[1:])
            stack[-1].children.append(block)
            stack.append(block)
            words = []
        elif punct == "}":
            assert not words and len(stack) > 1, "unbalanced }"
            stack.pop()
    assert len(stack) == 1 and not words, "unbalanced {"
    return root


def nginx_conf() -> Directive:
    return parse_nginx(NGINX_CONF.read_text(encoding="utf-8"))


def http_block() -> Directive:
    return nginx_conf().one("http")


def server_block() -> Directive:
    return http_block().one("server")


def added_headers(block: Directive) -> dict[str, list[str]]:
    """{header name (lower case): [value, flags...]} of a block's add_header directives."""
    return {args[0].lower(): args[1:] for args in block.values("add_header")}


def proxied_prefixes() -> set[str]:
    """The public paths the Kubernetes Ingress sends to the gateway (besides its /healthz probe)."""
    ingress = yaml.safe_load(INGRESS.read_text(encoding="utf-8"))
    return {
        p["path"]
        for rule in ingress["spec"]["rules"]
        for p in rule["http"]["paths"]
        if p["backend"]["service"]["name"] == "gateway" and p["path"] != "/healthz"
    }


# ── the headers and caching: the gateway's ──────────────────────────────────────────────────────


def test_the_app_carries_the_gateways_content_security_policy() -> None:
    headers = added_headers(server_block().location("/"))
    csp = headers["content-security-policy"]
    assert csp == [gateway_web()["WEB_CSP"], "always"], "copy WEB_CSP from gateway/src/gateway/web.py exactly"
    assert "frame-ancestors 'none'" in csp[0]
    assert "script-src 'self';" in csp[0] and "unsafe-eval" not in csp[0]


def test_the_app_carries_the_gateways_security_headers() -> None:
    headers = added_headers(server_block().location("/"))
    shared = shared_security_headers()
    assert headers["x-content-type-options"] == [shared["x-content-type-options"], "always"]
    assert headers["x-frame-options"] == [shared["x-frame-options"], "always"]
    assert headers["referrer-policy"] == [gateway_referrer_policy(), "always"]
    # add_header in a nested location would drop all of these there (nginx does not merge them).
    for nested in server_block().location("/").walk():
        assert nested.name != "add_header" or nested in server_block().location("/").children


def test_caching_is_the_gateways_immutable_assets_and_revalidated_index() -> None:
    gw = gateway_web()
    maps = [m for m in http_block().all("map") if m.args == ["$uri", "$yiwang_cache_control"]]
    assert len(maps) == 1, "map $uri $yiwang_cache_control"
    table = {d.name: d.args for d in maps[0].children}
    assert table["~^/assets/"] == [gw["_IMMUTABLE"]] == ["public, max-age=31536000, immutable"]
    assert table["/index.html"] == [gw["_NO_CACHE"]] == ["no-cache"]
    assert table["default"] == [gw["_SHORT"]]
    # Not `always`: a 404 for a missing chunk must not be cached as immutable.
    assert added_headers(server_block().location("/"))["cache-control"] == ["$yiwang_cache_control"]


def test_spa_fallback_and_404_for_missing_files() -> None:
    app = server_block().location("/")
    assert app.values("try_files") == [["$uri", "/index.html"]]
    nested = {tuple(d.args): d for d in app.all("location")}
    missing = nested[("~", r"\.[^/]*$")]
    assert missing.values("try_files") == [["$uri", "=404"]], "a missing file with an extension is a 404"
    hidden = nested[("~", r"(^|/)\.")]
    assert hidden.values("return") == [["404"]], "hidden files (.vite/manifest.json) are not served"


# ── the proxy to the gateway: one origin for the browser ─────────────────────────────────────────


def test_the_paths_the_ingress_gives_the_gateway_are_proxied_to_it() -> None:
    server = server_block()
    prefixes = proxied_prefixes()
    assert prefixes == {"/api", "/open311", "/docs"}
    proxied = {}
    for location in server.all("location"):
        if location.values("proxy_pass"):
            proxied[" ".join(location.args)] = location
    # /docs itself and below it; /api/ and /open311/ below them (the gateway routes nothing at /api).
    assert set(proxied) == {"^~ /api/", "= /docs", "^~ /docs/", "^~ /open311/"}
    for name, location in proxied.items():
        assert location.values("proxy_pass") == [["$yiwang_gateway"]], name
        assert location.values("gzip") == [["off"]], f"{name}: compressed as through the Ingress: not"
        assert not location.values("add_header"), f"{name}: the gateway sets its own headers"
        off = location.one("if")
        assert "".join(off.args).replace(" ", "") == "($yiwang_gateway=)", off.args
        assert off.values("return") == [["404"]], f"{name}: 404 when WEB_GATEWAY_URL is empty"
    forwarded = {args[0].lower(): args[1] for args in server.values("proxy_set_header")}
    assert forwarded["x-forwarded-for"] == "$proxy_add_x_forwarded_for"
    assert forwarded["host"] == "$http_host", "the gateway sees the browser's host"
    assert server.one("client_max_body_size").args == ["12m"], "the Ingress's proxy-body-size"


def test_the_gateway_url_comes_from_the_template_the_entrypoint_renders() -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    template = parse_nginx(text)
    maps = template.all("map")
    assert [m.args for m in maps] == [["$uri", "$yiwang_gateway"]]
    assert maps[0].values("default") == [["${WEB_GATEWAY_URL}"]]
    assert template.one("resolver").args[0] == "${NGINX_LOCAL_RESOLVERS}"
    # The image's entrypoint writes <output dir>/<path under templates/ without .template>.
    instructions = dockerfile(DOCKERFILE)
    env = " ".join(args_of(instructions, "ENV"))
    assert "NGINX_ENVSUBST_OUTPUT_DIR=/tmp" in env and "NGINX_ENTRYPOINT_LOCAL_RESOLVERS=1" in env
    copied = [c.split() for c in args_of(instructions, "COPY")]
    target = next(dst for *src, dst in copied if src == ["web/nginx/gateway.conf.template"])
    assert target.startswith("/etc/nginx/templates/") and target.endswith(".template")
    rendered = "/tmp/" + target.removeprefix("/etc/nginx/templates/").removesuffix(".template")
    assert http_block().values("include").count([rendered]) == 1, f"nginx.conf must include {rendered}"
    # Every variable the template uses is either the entrypoint's or given a default by the image.
    used = set(re.findall(r"\$\{(\w+)\}", text))
    assert used == {"WEB_GATEWAY_URL", "NGINX_LOCAL_RESOLVERS"}
    assert 'WEB_GATEWAY_URL=""' in env, "the image's default: no proxy"


# ── nginx itself: non-root, read-only filesystem ─────────────────────────────────────────────────


def test_nginx_writes_only_under_tmp_and_hides_its_version() -> None:
    conf = nginx_conf()
    http = http_block()
    assert conf.one("pid").args[0].startswith("/tmp/")
    temp_paths = [d for d in http.walk() if d.name.endswith("_temp_path")] + [
        d for d in http.children if d.name.endswith("_temp_path")
    ]
    names = {d.name for d in temp_paths}
    assert names >= {"client_body_temp_path", "proxy_temp_path", "fastcgi_temp_path", "uwsgi_temp_path"}
    assert all(d.args[0].startswith("/tmp/") for d in temp_paths), [d.args for d in temp_paths]
    logs = [d.args[0] for d in [*conf.walk()] if d.name in ("access_log", "error_log") and d.args[0] != "off"]
    assert logs and all(p in ("/dev/stdout", "/dev/stderr") for p in logs), logs
    assert http.one("server_tokens").args == ["off"]
    assert http.one("gzip").args == ["on"]
    assert "application/javascript" in http.one("gzip_types").args


def test_nginx_listens_on_8080_and_answers_healthz() -> None:
    server = server_block()
    assert server.values("listen") == [[str(WEB_PORT)]]
    assert server.one("root").args == [HTML_ROOT]
    health = server.location("=", "/healthz")
    assert health.one("return").args[0] == "200"


# ── the Dockerfile ───────────────────────────────────────────────────────────────────────────────


def test_web_dockerfile_builds_with_node_and_serves_with_unprivileged_nginx() -> None:
    instructions = _check_runtime_user_and_healthcheck(DOCKERFILE)
    args = dict(a.split("=", 1) for a in args_of(instructions, "ARG") if "=" in a)
    # tools/pin_images.py may add @sha256:… to either.
    assert args["NODE_IMAGE"].split("@")[0] == "node:20-slim"
    assert args["NGINX_IMAGE"].split("@")[0] == "nginxinc/nginx-unprivileged:1.27-alpine"
    froms = args_of(instructions, "FROM")
    assert froms[0].split()[0] == "${NODE_IMAGE}" and re.search(r"\bAS\s+builder\b", froms[0], re.I)
    assert froms[-1].split()[0] == "${NGINX_IMAGE}"

    runs = " ".join(args_of(instructions, "RUN"))
    assert "npm ci" in runs and "npm run build" in runs
    assert "npm run size" in runs, "the first page's JS budget (ADR 0007) holds for the released image"
    copies = [c.split() for c in args_of(instructions, "COPY")]
    sources = [src for c in copies if not c[0].startswith("--from") for src in c[:-1]]
    assert all(s.startswith("web/") for s in sources), f"the build needs only web/: {sources}"
    lock = next(i for i, c in enumerate(copies) if "web/package-lock.json" in c)
    everything = next(i for i, c in enumerate(copies) if c[0] == "web/")
    assert lock < everything, "npm ci's layer before the source (cached across edits)"
    assert ["--from=builder", "/src/web/dist/", f"{HTML_ROOT}/"] in copies
    assert ["web/nginx/nginx.conf", "/etc/nginx/nginx.conf"] in copies

    # `npm run build` reads nothing outside web/ (docs/api/openapi.json is for gen:api only).
    scripts = json.loads((WEB / "package.json").read_text(encoding="utf-8"))["scripts"]
    assert "../" not in scripts["build"] and "../" not in scripts["size"]


def test_web_dockerfile_runs_as_a_numeric_non_root_user() -> None:
    instructions = dockerfile(DOCKERFILE)
    final = max(i for i, (w, _) in enumerate(instructions) if w == "FROM")
    users = [rest for w, rest in instructions[final:] if w == "USER"]
    user = users[-1]
    assert re.fullmatch(r"\d+:\d+", user), (
        f"numeric user:group, so Kubernetes can verify runAsNonRoot: {user}"
    )
    uid, gid = (int(x) for x in user.split(":"))
    assert uid != 0 and gid != 0
    assert (uid, gid) == (10001, 10001), "the same user as every yiwang image (and the manifests)"
    assert str(WEB_PORT) in " ".join(args_of(instructions, "EXPOSE")).split()
    healthcheck = args_of(instructions, "HEALTHCHECK")[-1]
    assert f"127.0.0.1:{WEB_PORT}/healthz" in healthcheck
    assert exec_form(args_of(instructions, "CMD")[-1]) == ["nginx", "-g", "daemon off;"]


def test_dockerignore_keeps_node_modules_and_builds_out() -> None:
    lines = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert "**/node_modules" in lines
    assert "*/dist" in lines or "web/dist" in lines
    for kept in ("web", "web/src", "web/package-lock.json", "web/nginx", "web/public"):
        assert kept not in lines, kept


# ── the compose service ──────────────────────────────────────────────────────────────────────────


def test_compose_web_service_is_built_from_its_dockerfile_and_locked_down() -> None:
    spec = compose_service("web")
    assert spec["build"] == {"context": ".", "dockerfile": "web/Dockerfile"}
    assert spec["image"] == "yiwang/web:${IMAGE_TAG:-dev}"
    assert spec["user"] == "10001:10001"
    assert spec["read_only"] is True
    assert [str(t).split(":")[0] for t in spec["tmpfs"]] == ["/tmp"], "nginx writes only to /tmp"
    assert spec["cap_drop"] == ["ALL"]
    assert "no-new-privileges:true" in spec["security_opt"]
    ports = [interpolate(str(p)) for p in spec["ports"]]
    assert ports == [f"{interpolate('${PUBLISHED_WEB_PORT:-8080}')}:{WEB_PORT}"]
    assert "PUBLISHED_WEB_PORT" in str(spec["ports"][0])
    assert f"127.0.0.1:{WEB_PORT}/healthz" in " ".join(spec["healthcheck"]["test"])
    assert spec["depends_on"]["gateway"]["condition"] == "service_healthy"


def test_compose_web_proxies_to_the_gateway_as_its_trusted_proxy() -> None:
    env = environment("web")
    template_vars = set(re.findall(r"\$\{(\w+)\}", TEMPLATE.read_text(encoding="utf-8")))
    assert set(env) == {v for v in template_vars if not v.startswith("NGINX_")}, "every setting explicit"
    url = urlsplit(interpolate(env["WEB_GATEWAY_URL"]))
    assert (url.scheme, url.hostname, url.port) == ("http", "gateway", 8000)
    assert url.path == "" and not url.query, "scheme://host:port only: a path would replace the request's"

    web_networks = compose_service("web")["networks"]
    assert list(web_networks) == ["edge"], "web reaches the gateway and nothing else"
    assert "edge" in compose_service("gateway")["networks"]
    subnet = ipaddress.ip_network(interpolate(compose()["networks"]["edge"]["ipam"]["config"][0]["subnet"]))
    address = ipaddress.ip_address(interpolate(web_networks["edge"]["ipv4_address"]))
    assert address in subnet
    gateway = {k: interpolate(v) for k, v in environment("gateway").items()}
    assert gateway["GATEWAY_TRUSTED_PROXIES"] == str(address), "the gateway trusts web's X-Forwarded-For"
    assert gateway["GATEWAY_WEB_DIR"] == "none", "the web image serves the front end, not the gateway"


# ── running it (when nginx is installed) ─────────────────────────────────────────────────────────


def _nginx_binary() -> str:
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).is_file()), None
    )
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed (CI: apt-get install nginx, see .ci/run)")
        pytest.skip("nginx is not installed here (apt-get install nginx)")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _render(tmp: Path, port: int, gateway_url: str, dist: Path) -> Path:
    """nginx.conf and the template as the image's entrypoint leaves them, moved into `tmp`."""
    text = NGINX_CONF.read_text(encoding="utf-8")
    for old, new in (
        ("/tmp/", f"{tmp}/"),
        (HTML_ROOT, str(dist)),
        (f"listen {WEB_PORT};", f"listen 127.0.0.1:{port};"),
    ):
        assert old in text, old
        text = text.replace(old, new)
    if not Path("/etc/nginx/mime.types").is_file():
        (tmp / "mime.types").write_text(
            "types { text/html html; text/css css; application/javascript js; image/svg+xml svg; "
            "application/json json; }\n",
            encoding="utf-8",
        )
        text = text.replace("/etc/nginx/mime.types", str(tmp / "mime.types"))
    if os.geteuid() == 0:
        text = "user root;\n" + text  # workers otherwise run as nobody, who cannot read tmp_path
    conf = tmp / "nginx.conf"
    conf.write_text(text, encoding="utf-8")
    values = {"WEB_GATEWAY_URL": gateway_url, "NGINX_LOCAL_RESOLVERS": "127.0.0.1"}
    template = re.sub(r"\$\{(\w+)\}", lambda m: values[m.group(1)], TEMPLATE.read_text(encoding="utf-8"))
    (tmp / "yiwang").mkdir(exist_ok=True)
    (tmp / "yiwang" / "gateway.conf").write_text(template, encoding="utf-8")
    return conf


@contextmanager
def _nginx(binary: str, conf: Path, port: int) -> Iterator[httpx.Client]:
    prefix = str(conf.parent)
    check = subprocess.run(
        [binary, "-t", "-q", "-p", prefix, "-e", "/dev/stderr", "-c", str(conf)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen(
        [binary, "-p", prefix, "-e", "/dev/stderr", "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            deadline = time.monotonic() + 15
            while True:
                assert proc.poll() is None, f"nginx stopped: {proc.stderr.read() if proc.stderr else ''}"
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "nginx did not answer /healthz"
                time.sleep(0.05)
            yield client
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


class _StandInGateway(http.server.ThreadingHTTPServer):
    """Answers everything with 200 JSON and its own CSP, and records what it was sent."""

    daemon_threads = True

    def __init__(self) -> None:
        self.seen: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                body = json.dumps({"path": self.path}).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-security-policy", "default-src 'none'")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture
def stand_in_gateway() -> Iterator[_StandInGateway]:
    server = _StandInGateway()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A small build: index.html, a hashed script and stylesheet, favicon.svg, Vite's manifest."""
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / ".vite").mkdir()
    (root / "index.html").write_text(
        '<!doctype html><html><head><script type="module" src="/assets/index-Ab12Cd34.js"></script>'
        '</head><body><div id="root"></div></body></html>\n',
        encoding="utf-8",
    )
    (root / "assets" / "index-Ab12Cd34.js").write_text("console.log('一网通办');\n" * 200, encoding="utf-8")
    (root / "assets" / "index-Ef56Gh78.css").write_text("body{margin:0}\n", encoding="utf-8")
    (root / "favicon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n', encoding="utf-8")
    (root / ".vite" / "manifest.json").write_text("{}\n", encoding="utf-8")
    return root


def test_nginx_serves_the_app_as_the_gateway_does(
    tmp_path: Path, dist: Path, stand_in_gateway: _StandInGateway
) -> None:
    binary = _nginx_binary()
    gw = gateway_web()
    port = _free_port()
    upstream = f"http://127.0.0.1:{stand_in_gateway.server_address[1]}"
    conf = _render(tmp_path, port, upstream, dist)
    with _nginx(binary, conf, port) as client:
        index = (dist / "index.html").read_text(encoding="utf-8")
        for path in ("/", "/index.html", "/items/123", "/my/applications/A-1", "/login"):
            r = client.get(path, headers={"accept": "text/html"})
            assert r.status_code == 200 and r.text == index, path
            assert r.headers["content-type"].startswith("text/html"), path
            assert r.headers["cache-control"] == gw["_NO_CACHE"], path
            assert r.headers["content-security-policy"] == gw["WEB_CSP"], path
            assert r.headers["referrer-policy"] == gateway_referrer_policy()
            assert r.headers["x-content-type-options"] == "nosniff"
            assert r.headers["x-frame-options"] == "DENY"
            assert r.headers["server"] == "nginx", "no version"

        r = client.get("/assets/index-Ab12Cd34.js", headers={"accept-encoding": "gzip"})
        assert r.status_code == 200 and "一网通办" in r.text
        assert r.headers["cache-control"] == gw["_IMMUTABLE"]
        assert r.headers["content-encoding"] == "gzip" and "accept-encoding" in r.headers["vary"].lower()
        assert "javascript" in r.headers["content-type"]
        assert r.headers["x-content-type-options"] == "nosniff"
        r = client.get("/assets/index-Ef56Gh78.css")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/css")
        assert r.headers["cache-control"] == gw["_IMMUTABLE"]
        r = client.get("/favicon.svg")
        assert r.status_code == 200 and r.headers["cache-control"] == gw["_SHORT"]

        for missing in ("/assets/index-Old00000.js", "/nothing.png", "/.vite/manifest.json"):
            r = client.get(missing)
            assert r.status_code == 404, missing
            assert "immutable" not in r.headers.get("cache-control", ""), missing

        r = client.get("/healthz")
        assert r.status_code == 200 and r.json()["status"] == "ok"

        assert not stand_in_gateway.seen
        for path in (
            "/api/catalog/v1/items?q=%E6%88%B7%E7%B1%8D&page=2",
            "/docs",
            "/docs/static/x.js",
            "/open311/v2/services.json",
        ):
            r = client.get(path, headers={"x-forwarded-for": "198.51.100.7", "accept-encoding": "gzip"})
            assert r.status_code == 200, path
            assert r.json() == {"path": path}, "the request URI reaches the gateway unchanged"
            assert r.headers["content-security-policy"] == "default-src 'none'", "the gateway's own, alone"
            assert "content-encoding" not in r.headers
            assert "cache-control" not in r.headers and "x-frame-options" not in r.headers
            seen_path, seen = stand_in_gateway.seen[-1]
            assert seen_path == path
            assert seen["host"] == f"127.0.0.1:{port}", "the browser's host"
            assert seen["x-forwarded-for"] == "198.51.100.7, 127.0.0.1"
            assert seen["x-forwarded-proto"] == "http"
        # Not the gateway's: its /readyz and /metrics stay off the browser's origin.
        r = client.get("/metrics", headers={"accept": "text/html"})
        assert r.text == index
        assert [p for p, _ in stand_in_gateway.seen if p in ("/metrics", "/readyz")] == []


def test_nginx_without_a_gateway_url_proxies_nothing(tmp_path: Path, dist: Path) -> None:
    """Kubernetes: the Ingress routes /api, /docs, /open311 to the gateway; web only serves files."""
    binary = _nginx_binary()
    port = _free_port()
    conf = _render(tmp_path, port, "", dist)
    with _nginx(binary, conf, port) as client:
        for path in ("/api/catalog/v1/items", "/docs", "/open311/v2/services.json"):
            assert client.get(path).status_code == 404, path
        assert client.get("/items/1").status_code == 200
