"""require_email_in / require_domain_in: which verified callers may proceed (403 otherwise)."""

from __future__ import annotations

import pytest

from service.errors import Forbidden
from service.identity import Caller, require_domain_in, require_email_in


def _caller(email: str, hosted_domain: str | None = None) -> Caller:
    return Caller(
        email=email, subject="1", audience="aud", issuer="https://accounts.google.com", hosted_domain=hosted_domain
    )


def test_email_in_allowed_list_case_insensitively() -> None:
    require_email_in(_caller("scheduler@proj.iam.gserviceaccount.com"), [" Scheduler@Proj.iam.gserviceaccount.com"])


def test_email_not_in_allowed_list_is_403() -> None:
    with pytest.raises(Forbidden) as info:
        require_email_in(_caller("intruder@proj.iam.gserviceaccount.com"), ["scheduler@proj.iam.gserviceaccount.com"])
    assert info.value.status == 403


def test_empty_allowed_list_allows_no_one() -> None:
    with pytest.raises(Forbidden):
        require_email_in(_caller("scheduler@proj.iam.gserviceaccount.com"), [])


def test_a_bare_string_is_not_a_list_of_emails() -> None:
    # "a@b.c" in "xa@b.cx" would be True for a string; refuse the mistake outright.
    with pytest.raises(TypeError):
        require_email_in(_caller("a@b.c"), "xa@b.cx")


def test_managed_account_in_domain() -> None:
    require_domain_in(_caller("sam@example.com", hosted_domain="example.com"), ["Example.com"])


@pytest.mark.parametrize(
    ("email", "hosted_domain"),
    [
        ("sam@example.com", None),  # consumer account on a work address
        ("sam@example.com", "other.com"),
        ("sam@evil.com", "example.com"),
        ("sam@sub.example.com", "sub.example.com"),  # subdomains are not implied
        ("sam@example.com.evil.com", "example.com.evil.com"),
    ],
)
def test_outside_the_domains_is_403(email: str, hosted_domain: str | None) -> None:
    with pytest.raises(Forbidden):
        require_domain_in(_caller(email, hosted_domain), ["example.com"])


def test_hosted_domain_check_can_be_relaxed() -> None:
    require_domain_in(_caller("sam@example.com"), ["example.com"], require_hosted_domain=False)
    with pytest.raises(Forbidden):
        require_domain_in(_caller("sam@evil.com"), ["example.com"], require_hosted_domain=False)
