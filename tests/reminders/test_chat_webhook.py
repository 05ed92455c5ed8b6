"""The Chat webhook seam against a local receiver (a real HTTP server): format, retries, idempotency, no URL leaks."""

from __future__ import annotations

import logging

import pytest

from service.chat_webhook import ChatPoster, DeliveryFailed, Webhook, resolve, url_problem
from service.errors import ConfigError
from service.google.calls import Backoff
from tests.support.chat_receiver import KEY, SPACE, TOKEN

REF = "env:DOCKET_CHAT_WEBHOOK"


def poster(attempts: int = 4) -> ChatPoster:
    return ChatPoster(backoff=Backoff(attempts=attempts, sleep=lambda _s: None))


def hook(receiver, **kwargs) -> Webhook:  # noqa: ANN001
    return resolve(REF, {"DOCKET_CHAT_WEBHOOK": receiver.url(**kwargs)}, whose="maria@example.com's webhook")


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in (KEY, TOKEN, SPACE, "127.0.0.1:"):
            assert secret not in text, f"{secret!r} leaked into {text!r}"


def test_a_message_is_posted_as_chat_json_with_a_request_id(receiver) -> None:  # noqa: ANN001
    poster().post(hook(receiver), "Sam is off tomorrow 🌴 <b>", request_id="r-1")
    [post] = receiver.posts
    assert post.path == f"/v1/spaces/{SPACE}/messages"
    assert post.content_type == "application/json; charset=UTF-8"
    assert post.body == {"text": "Sam is off tomorrow 🌴 <b>"}
    assert post.query["requestId"] == ["r-1"] and post.query["key"] == [KEY] and post.query["token"] == [TOKEN]
    assert receiver.texts() == ["Sam is off tomorrow 🌴 <b>"]


@pytest.mark.parametrize("faults", [(429,), (503, 500), ("drop",), ("lost",), ("lost", 503, "lost")])
def test_transient_failures_are_retried_with_the_same_request_id_and_make_one_message(receiver, faults) -> None:  # noqa: ANN001
    receiver.fail_next(*faults)
    poster().post(hook(receiver), "once", request_id="r-2")
    assert len(receiver.posts) == len(faults) + 1
    assert {p.query["requestId"][0] for p in receiver.posts} == {"r-2"}
    assert receiver.texts() == ["once"]


def test_a_refusal_is_not_retried_and_its_error_names_the_reference_not_the_url(receiver, caplog) -> None:  # noqa: ANN001
    caplog.set_level(logging.DEBUG)
    with pytest.raises(DeliveryFailed) as caught:
        poster().post(hook(receiver, token="wrong-token"), "hello", request_id="r-3")
    assert len(receiver.posts) == 1
    assert REF in caught.value.message and "401" in caught.value.message and "UNAUTHENTICATED" in caught.value.message
    assert_no_secret(caught.value.message, caplog.text, repr(hook(receiver)))


def test_it_gives_up_after_its_attempts(receiver, caplog) -> None:  # noqa: ANN001
    caplog.set_level(logging.DEBUG)
    receiver.fail_next(503, "drop", 429)
    with pytest.raises(DeliveryFailed) as caught:
        poster(attempts=3).post(hook(receiver), "hello", request_id="r-4")
    assert "still failing after 3 attempts" in caught.value.message and receiver.texts() == []
    assert_no_secret(caught.value.message, caplog.text)


def test_an_unreachable_webhook_fails_without_quoting_it(caplog) -> None:  # noqa: ANN001
    caplog.set_level(logging.DEBUG)
    unreachable = resolve(REF, {"DOCKET_CHAT_WEBHOOK": f"http://127.0.0.1:9/v1/spaces/{SPACE}/messages?key={KEY}&token={TOKEN}"},
                          whose="the default")
    with pytest.raises(DeliveryFailed) as caught:
        poster(attempts=2).post(unreachable, "hello", request_id="r-5")
    assert "connection failed" in caught.value.message
    assert_no_secret(caught.value.message, caplog.text)


GOOD = f"https://chat.googleapis.com/v1/spaces/{SPACE}/messages?key={KEY}&token={TOKEN}"


@pytest.mark.parametrize("url, problem", [
    (GOOD.replace("https://", "http://"), "does not point at https://chat.googleapis.com"),
    (GOOD.replace("chat.googleapis.com", "chat.googleapis.com.evil.example"), "does not point at"),
    (GOOD.replace("chat.googleapis.com", "chat.googleapis.com:8443"), "does not point at"),
    (GOOD.replace("https://", "https://user:pw@"), "user name or password"),
    (GOOD.replace("/messages", "/members"), "path"),
    (GOOD.replace(f"&token={TOKEN}", ""), "key or token"),
    (GOOD.replace(f"key={KEY}&", ""), "key or token"),
    (GOOD + "#x", "fragment"),
    ("chat.googleapis.com/v1/spaces/A/messages?key=k&token=t", "does not point at"),
    ("http://[::1", "not a URL"),
])
def test_malformed_webhook_urls_are_refused_without_echoing_them(url, problem) -> None:  # noqa: ANN001
    assert problem in (url_problem(url) or "")
    with pytest.raises(ConfigError) as caught:
        resolve(REF, {"DOCKET_CHAT_WEBHOOK": url}, whose="maria@example.com's webhook")
    assert REF in caught.value.message and "maria@example.com's webhook" in caught.value.message
    assert_no_secret(caught.value.message)


def test_good_urls_pass(receiver) -> None:  # noqa: ANN001
    assert url_problem(GOOD) is None
    assert url_problem(receiver.url()) is None  # plain HTTP only to a loopback receiver


def test_an_unset_variable_is_named() -> None:
    with pytest.raises(ConfigError, match="the environment variable DOCKET_CHAT_WEBHOOK is not set"):
        resolve(REF, {}, whose="the default")
