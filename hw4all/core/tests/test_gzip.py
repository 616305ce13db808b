"""Pages are compressed for browsers that ask, with a random-length header against BREACH."""

import gzip

from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from hw4all.core.middleware import GZipMiddleware

BODY = b"".join(
    b'<a href="/en/practices/?country=%02d">Country %d: %d case studies</a>' % (n, n, n * 7)
    for n in range(2000)
)


def _answered(response, accept_encoding="gzip, deflate, br"):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=accept_encoding)
    return GZipMiddleware(lambda request: response)(request)


def test_a_page_is_compressed_and_reads_back_unchanged():
    response = _answered(HttpResponse(BODY))
    assert response["Content-Encoding"] == "gzip"
    assert int(response["Content-Length"]) == len(response.content) < len(BODY) / 5
    assert gzip.decompress(response.content) == BODY
    assert "Accept-Encoding" in response["Vary"]


def test_the_compressed_length_varies_so_that_secrets_cannot_be_guessed_from_it():
    lengths = {len(_answered(HttpResponse(BODY)).content) for _ in range(30)}
    assert len(lengths) > 5


def test_a_strong_etag_becomes_weak_once_the_body_is_compressed():
    response = HttpResponse(BODY)
    response["ETag"] = '"abc"'
    assert _answered(response)["ETag"] == 'W/"abc"'


def test_a_browser_that_does_not_ask_gets_the_page_as_it_is():
    response = _answered(HttpResponse(BODY), accept_encoding="identity")
    assert not response.has_header("Content-Encoding")
    assert response.content == BODY
    assert "Accept-Encoding" in response["Vary"]


def test_short_and_already_encoded_bodies_are_left_alone():
    assert _answered(HttpResponse(b"short")).content == b"short"
    encoded = HttpResponse(BODY)
    encoded["Content-Encoding"] = "br"
    assert _answered(encoded).content == BODY


def test_a_streamed_response_is_compressed_too():
    response = _answered(StreamingHttpResponse(BODY[i : i + 4096] for i in range(0, len(BODY), 4096)))
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)) == BODY
