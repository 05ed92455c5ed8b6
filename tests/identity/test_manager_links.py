"""ManagerLinks: signed, per-pair, per-link-expiring tokens; tampered → 403, expired → 410."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from service.errors import ConfigError, Forbidden, Gone, ValidationError
from service.manager_link import LinkClaims, ManagerLinks

SECRET = "s" * 16 + "e" * 16 + "cret"
DAY = 86_400
START = 1_767_225_600.0  # 2026-01-01T00:00:00Z


class FakeClock:
    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def links(clock: FakeClock) -> ManagerLinks:
    return ManagerLinks(SECRET, clock=clock)


def test_round_trip(links: ManagerLinks) -> None:
    token = links.issue("maria@example.com", "sam@example.com", days=7)
    assert links.open(token) == LinkClaims(
        manager="maria@example.com",
        report="sam@example.com",
        expires_at=datetime(2026, 1, 8, tzinfo=UTC),
    )


def test_non_ascii_emails_round_trip(links: ManagerLinks) -> None:
    token = links.issue("maría@example.com", "sam🙂@example.com")
    assert links.open(token).report == "sam🙂@example.com"


def test_token_is_url_safe(links: ManagerLinks) -> None:
    token = links.issue("maria@example.com", "sam@example.com")
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")


def test_every_character_flipped_is_403(links: ManagerLinks) -> None:
    token = links.issue("maria@example.com", "sam@example.com")
    for i, ch in enumerate(token):
        tampered = token[:i] + ("A" if ch != "A" else "B") + token[i + 1 :]
        try:
            claims = links.open(tampered)
        except Forbidden as exc:
            assert exc.status == 403
        else:
            # Flipping the unused low bits of the final base64 char can decode to
            # the same bytes; then it is the same, genuine token.
            assert claims == links.open(token), f"tampered at {i} opened as {claims}"


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c", "....", "%%%", "eyJtIjoiYSJ9.x.y"])
def test_garbled_tokens_are_403(links: ManagerLinks, token: str) -> None:
    with pytest.raises(Forbidden):
        links.open(token)


def test_payload_swapped_between_tokens_is_403(links: ManagerLinks) -> None:
    # payload.timestamp.signature (the payload may itself start with "." when compressed)
    payload, _, _ = links.issue("maria@example.com", "alex@example.com").rsplit(".", 2)
    _, timestamp, signature = links.issue("maria@example.com", "sam@example.com").rsplit(".", 2)
    with pytest.raises(Forbidden):
        links.open(f"{payload}.{timestamp}.{signature}")


def test_wrong_salt_is_403(clock: FakeClock) -> None:
    other_purpose = ManagerLinks(SECRET, salt="docket.something-else", clock=clock)
    token = other_purpose.issue("maria@example.com", "sam@example.com")
    with pytest.raises(Forbidden):
        ManagerLinks(SECRET, clock=clock).open(token)


def test_wrong_secret_is_403(links: ManagerLinks, clock: FakeClock) -> None:
    token = ManagerLinks("x" * 40, clock=clock).issue("maria@example.com", "sam@example.com")
    with pytest.raises(Forbidden):
        links.open(token)


def test_expired_is_410(links: ManagerLinks, clock: FakeClock) -> None:
    token = links.issue("maria@example.com", "sam@example.com", days=30)
    clock.now += 30 * DAY - 1
    assert links.open(token).manager == "maria@example.com"
    clock.now += 1
    with pytest.raises(Gone) as info:
        links.open(token)
    assert info.value.status == 410


def test_expiry_is_per_link(links: ManagerLinks, clock: FakeClock) -> None:
    short = links.issue("maria@example.com", "sam@example.com", days=1)
    long = links.issue("maria@example.com", "sam@example.com", days=366)
    clock.now += 2 * DAY
    with pytest.raises(Gone):
        links.open(short)
    assert links.open(long).expires_at == datetime.fromtimestamp(START + 366 * DAY, tz=UTC)


def test_tampered_and_expired_is_403_not_410(links: ManagerLinks, clock: FakeClock) -> None:
    token = links.issue("maria@example.com", "sam@example.com", days=1)
    clock.now += 10 * DAY
    with pytest.raises(Forbidden):
        links.open(token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))


@pytest.mark.parametrize("days", [0, -1, 367, True, 1.5, "7"])
def test_days_out_of_range(links: ManagerLinks, days: object) -> None:
    with pytest.raises(ValidationError) as info:
        links.issue("maria@example.com", "sam@example.com", days=days)  # type: ignore[arg-type]
    assert info.value.field == "days" and info.value.status == 400


@pytest.mark.parametrize(
    ("manager", "report", "field"),
    [("", "sam@example.com", "manager"), ("maria@example.com", "sam", "report")],
)
def test_emails_are_required(links: ManagerLinks, manager: str, report: str, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        links.issue(manager, report)
    assert info.value.field == field


def test_short_secret_is_refused() -> None:
    with pytest.raises(ConfigError):
        ManagerLinks("dev")


@pytest.mark.parametrize("base", ["https://docket.example.run.app", "https://docket.example.run.app/"])
def test_url(base: str) -> None:
    assert ManagerLinks.url(base, "tok.en") == "https://docket.example.run.app/links/tok.en"
