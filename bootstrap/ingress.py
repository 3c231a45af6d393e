"""The ingress-nginx controller for kind: the controller built from the `k8s.io/ingress-nginx` module, its nginx from
Debian, and the controller's own nginx template with its Lua taken out.

Why no Lua: the controller's Lua code (rootfs/etc/nginx/lua in the module) needs lua-resty-balancer (Lua and a C
library), lua-resty-lock, lua-resty-http, lua-resty-ipmatcher and lua-resty-global-throttle at load time. Debian 12
ships none of them and the Go module proxy serves none of them (by tag, commit or pseudo-version; tried
2026-11-30). So nginx routes without Lua: every backend becomes a static `upstream` block, and the ConfigMap's
`service-upstream: "true"` makes each backend's one endpoint its Service's ClusterIP (kube-proxy balances over the
pods; an Endpoints change needs no reload). Each edit below is one difference from production, named in
docs/ingress-on-kind.md.
"""

import hashlib
import os
import re
from pathlib import Path

from contract import pins

from .cache import module_source
from .images import ImageRecipe

MODULE = "k8s.io/ingress-nginx"
# Debian's dynamic modules that the template's directives need (more_set_headers, set_escape_uri, stream {}).
DEBIAN_MODULES = (
    "ndk_http_module",
    "ngx_http_headers_more_filter_module",
    "ngx_http_set_misc_module",
    "ngx_stream_module",
)

# A static upstream per backend, from the endpoints the controller computed (the Service's ClusterIP), keeping
# connections to it open as the Lua balancer's upstream does (upstream-keepalive-*): without them each request
# opened a new connection through kube-proxy, and the edge gave half the NodePort's requests per second.
STATIC_UPSTREAMS = """
    {{ range $backend := $backends }}
    upstream {{ $backend.Name }} {
        {{ range $endpoint := $backend.Endpoints }}server {{ formatIP $endpoint.Address }}:{{ $endpoint.Port }};
        {{ else }}server 127.0.0.1:{{ $all.ListenPorts.Default }} down;
        {{ end }}
        {{ if (gt $cfg.UpstreamKeepaliveConnections 0) }}
        keepalive {{ $cfg.UpstreamKeepaliveConnections }};
        keepalive_time {{ $cfg.UpstreamKeepaliveTime }};
        keepalive_timeout  {{ $cfg.UpstreamKeepaliveTimeout }}s;
        keepalive_requests {{ $cfg.UpstreamKeepaliveRequests }};
        {{ end }}
    }
    {{ end }}
"""

# The controller writes the stream (TCP/UDP services) configuration to this port; nothing routes TCP/UDP here.
STREAM = """stream {
    server {
        listen 127.0.0.1:{{ .StreamPort }};
        return "";
    }
}
"""


def _block_end(text: str, start: int) -> int:
    """Index just past the `}` closing the block whose `{` is the first one at or after start (Go template actions
    do not count)."""
    depth, index = 0, start
    while index < len(text):
        if text.startswith("{{", index):
            index = text.index("}}", index) + 2
            continue
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    raise ValueError(f"unbalanced block at offset {start}")


def replace_blocks(text: str, opening: str, replacement: str, expected: int) -> str:
    """Replaces every block whose first line matches `opening` (a regex), and checks how many there were, so an
    upstream change to the template fails here with the block's name instead of in nginx -t."""
    count, position, pattern = 0, 0, re.compile(rf"^[ \t]*{opening}[^\n{{]*\{{", re.M)
    while match := pattern.search(text, position):
        text = text[: match.start()] + replacement + text[_block_end(text, match.start()) :]
        position = match.start() + len(replacement)
        count += 1
    if count != expected:
        raise ValueError(f"{count} blocks matched {opening!r} in the controller's template, expected {expected}")
    return text


def replace_once(text: str, old: str, new: str, expected: int = 1) -> str:
    if text.count(old) != expected:
        raise ValueError(f"{old!r} occurs {text.count(old)} times in the controller's template, expected {expected}")
    return text.replace(old, new)


def template(upstream: str) -> str:
    """The module's nginx.tmpl, edited to run on Debian's nginx 1.22 without Lua."""
    text = "".join(f"load_module /usr/lib/nginx/modules/{name}.so;\n" for name in DEBIAN_MODULES) + upstream
    # The stream block first: it holds Lua blocks of its own.
    text = replace_blocks(text, r"stream", STREAM, 1)
    text = replace_blocks(text, r"upstream upstream_balancer", STATIC_UPSTREAMS, 1)
    for lua_block in (
        "init_by_lua_block",
        "init_worker_by_lua_block",
        "ssl_certificate_by_lua_block",
        "rewrite_by_lua_block",
        "header_filter_by_lua_block",
        "body_filter_by_lua_block",
        "log_by_lua_block",
        "access_by_lua_block",
    ):
        text = replace_blocks(text, lua_block, "", len(re.findall(rf"^[ \t]*{lua_block}\b", text, re.M)))
    text = re.sub(r"^[ \t]*lua_package_path .*\n", "", text, flags=re.M)
    text = replace_once(text, "{{ buildLuaSharedDictionaries $cfg $servers }}", "")
    # nginx 1.22 has no `http2 on` (1.25.1): HTTP/2 is off on kind.
    text = replace_once(text, "http2 on;", "")
    # www redirects: the scheme and the target host, without Lua.
    text = replace_blocks(
        text, r"set_by_lua_block \$redirect_to", "set $redirect_to $scheme://{{ $redirect.To }}$request_uri;", 1
    )
    # The status server: the controller posts backends and certificates to /configuration; nothing keeps them.
    text = replace_blocks(
        text,
        r"location /is-dynamic-lb-initialized",
        'location /is-dynamic-lb-initialized {\n            return 200 "OK\\n";\n        }',
        1,
    )
    text = re.sub(
        r"(location /configuration \{.*?)content_by_lua_block \{[^}]*\}", r"\1return 201;", text, count=1, flags=re.S
    )
    text = replace_blocks(text, r"content_by_lua_block", "return 404;", 1)
    # Each location proxies to the static upstream named after its backend.
    text = replace_once(
        text, "{{ buildProxyPass $server.Hostname $all.Backends $location }}", "proxy_pass http://$proxy_upstream_name;"
    )
    text = replace_once(
        text, "proxy_pass            http://upstream_balancer;", "proxy_pass            http://$proxy_upstream_name;"
    )
    if re.search(r"by_lua|lua_package|lua_shared|lua_ingress|balancer\.", re.sub(r"#.*", "", text)):
        raise ValueError("the controller's template still uses Lua after the edits: see bootstrap/ingress.py")
    return text


def template_file(folder: Path) -> Path:
    """The edited template in `folder` (the shared cache), named by its content: worktrees with other edits keep
    their own file, and the image's tag carries the same hash (controller_image)."""
    upstream = module_source(MODULE, pins.INGRESS_NGINX) / "rootfs/etc/nginx/template/nginx.tmpl"
    text = template(upstream.read_text())
    out = folder / f"nginx-{hashlib.sha256(text.encode()).hexdigest()[:8]}.tmpl"
    if not out.exists():
        folder.mkdir(parents=True, exist_ok=True)
        staged = out.with_suffix(f".{os.getpid()}")
        staged.write_text(text)
        staged.replace(out)
    return out


def controller_image(base: str, binaries: Path, template_path: Path) -> ImageRecipe:
    """The controller on Debian's nginx, laid out as the upstream image is (rootfs/Dockerfile in the module), run
    as Debian's www-data: the folders the controller and nginx write are its own. nginx listens on 8080/8443 (the
    kind values pass --http-port/--https-port), so no capability is needed."""
    writable = (
        "/etc/nginx",
        "/etc/ingress-controller/ssl",
        "/etc/ingress-controller/auth",
        "/etc/ingress-controller/geoip",
        "/etc/ingress-controller/telemetry",
        "/var/log/nginx",
        "/var/lib/nginx",
        "/tmp/nginx",
    )
    return ImageRecipe(
        # A semantic version: the chart compares the tag (isControllerTagValid).
        # The template's hash (template_file) in the tag: a worktree with another template builds an image of its
        # own instead of replacing the one another cluster was made with.
        tag=f"voiceplat/ingress-nginx-controller:{pins.INGRESS_NGINX_CONTROLLER}"
        f"-{pins.INGRESS_NGINX.rsplit('-', 1)[-1]}.{template_path.stem.removeprefix('nginx-')}",
        base=base,
        files={
            "/nginx-ingress-controller": binaries / "nginx-ingress-controller",
            "/wait-shutdown": binaries / "wait-shutdown",
            "/etc/nginx/template/nginx.tmpl": template_path,
            # The module's placeholder that nginx first starts with (pid in /tmp/nginx), instead of Debian's.
            "/etc/nginx/nginx.conf": module_source(MODULE, pins.INGRESS_NGINX) / "rootfs/etc/nginx/nginx.conf",
        },
        run=(
            f"mkdir -p {' '.join(writable)} && chown -R www-data:www-data {' '.join(writable)}"
            f" && chmod -R u+w {' '.join(writable)}"
            " && ln -sf /usr/sbin/nginx /usr/bin/nginx && rm -f /etc/nginx/sites-enabled/default",
        ),
        entrypoint=("/usr/bin/dumb-init", "--"),
        user="www-data",
    )


def chart() -> Path:
    """The controller's chart, from the same module (chart 4.11.0 for controller 1.11.0)."""
    return module_source(MODULE, pins.INGRESS_NGINX) / "charts/ingress-nginx"
