"""The ingress controller's template for kind: the module's nginx.tmpl with its Lua taken out (bootstrap/ingress.py).
Runs on the pinned module's template when the module is in the cache (make tools puts it there)."""

import re

import pytest

from bootstrap import ingress
from bootstrap.cache import module_source
from bootstrap.cluster import INGRESS_HTTP_NODEPORT, NODEPORTS
from contract import pins

UPSTREAM = module_source(ingress.MODULE, pins.INGRESS_NGINX) / "rootfs/etc/nginx/template/nginx.tmpl"


def needs_module(test):
    """The module is downloaded by `make tools`: `make toolchain-test` runs these after it, elsewhere they skip."""
    return pytest.mark.toolchain(
        pytest.mark.skipif(not UPSTREAM.exists(), reason="the k8s.io/ingress-nginx module is not cached yet")(test)
    )


@pytest.fixture(scope="module")
def template() -> str:
    return ingress.template(UPSTREAM.read_text())


@needs_module
def test_no_lua_directive_is_left(template):
    directives = re.sub(r"#.*", "", template)  # upstream's comments may still name them
    for directive in ("by_lua", "lua_package_path", "lua_shared_dict", "upstream_balancer"):
        assert directive not in directives


@needs_module
def test_each_location_proxies_to_the_static_upstream_of_its_backend(template):
    assert "proxy_pass http://$proxy_upstream_name;" in template
    assert "upstream {{ $backend.Name }} {" in template


@needs_module
def test_the_static_upstreams_keep_connections_open_as_the_balancers_does(template):
    """The balancer's upstream was the template's only one with keepalive: it is now in the static ones alone."""
    assert "keepalive {{ $cfg.UpstreamKeepaliveConnections }};" in template


@needs_module
def test_debian_modules_are_loaded_first(template):
    assert template.startswith("".join(f"load_module /usr/lib/nginx/modules/{m}.so;\n" for m in ingress.DEBIAN_MODULES))


@needs_module
def test_the_status_server_accepts_what_the_controller_posts(template):
    assert "return 201;" in template and 'return 200 "OK\\n";' in template


def test_a_changed_template_fails_with_the_block_that_no_longer_matches():
    with pytest.raises(ValueError, match="upstream upstream_balancer"):
        ingress.template("stream {\n}\n")


def test_the_ingress_controller_port_is_published_like_the_nodeports():
    assert INGRESS_HTTP_NODEPORT in NODEPORTS
