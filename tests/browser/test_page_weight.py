"""The home page and an article each transfer at most 100 KB compressed (HTML, CSS, JS, fonts)."""

import gzip
import re
import urllib.request

import pytest

BUDGET = 100 * 1024


def compressed_size(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310 - loopback
    with urllib.request.urlopen(request) as response:  # noqa: S310
        body = response.read()
        encoding = response.headers.get("Content-Encoding")
    text = gzip.decompress(body).decode() if encoding == "gzip" else body.decode()
    return len(body), text


@pytest.mark.parametrize("path", ["/en/", "/en/news/statement-on-abduction-dr-magombeyi/"])
def test_page_weight_within_budget(base_url, path):
    total, html = compressed_size(base_url + path)
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(/static/[^"]+\.(?:css|js|woff2?))"', html)
    assert any(asset.endswith(".css") for asset in assets)
    for asset in set(assets):
        size, _ = compressed_size(base_url + asset)
        total += size
    assert total <= BUDGET, f"{path} transfers {total} bytes"
