"""Shared test infrastructure (fixtures and fakes of process boundaries) for Docket's tests."""
