"""atheris target: any bytes as an HTTP response body through the HTML-to-listing extraction (crawler/extract.py)
and the spider's link following. The first byte picks the declared content type.

usage: python fuzz/fuzz_extract.py CORPUS_DIR [libFuzzer flags]
"""

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

with atheris.instrument_imports(include=["crawler.extract", "crawler.structured", "crawler.fields", "crawler.pagekind",
                                         "detect.html"]):
    from scrapy.http import HtmlResponse, Response
    from scrapy.linkextractors import LinkExtractor

    from crawler.extract import page_links, parse_listing, read_page

CONTENT_TYPES = [b"text/html; charset=utf-8", b"text/html; charset=gbk", b"text/html", b"application/octet-stream",
                 b"text/html; charset=iso-8859-1", b"text/html; charset=bogus"]
LINKS = LinkExtractor(unique=True)


def TestOneInput(data: bytes) -> None:  # noqa: N802
    ctype = CONTENT_TYPES[data[0] % len(CONTENT_TYPES)] if data else CONTENT_TYPES[0]
    body = data[1:]
    cls = Response if ctype == b"application/octet-stream" else HtmlResponse
    response = cls("http://127.0.0.1:8000/catalog/product/x.html", body=body, headers={"Content-Type": ctype})
    page = read_page(response, max_depth=200, many_tags=500)
    parse_listing(response, page=page)
    if page.issue is None:
        page_links(page, response, 100) if page.deep else LINKS.extract_links(response)


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
