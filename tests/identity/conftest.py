"""Fixtures for the identity tests: the shared local OIDC provider."""

from tests.support.oidc import oidc  # noqa: F401 (re-exported as a fixture)
