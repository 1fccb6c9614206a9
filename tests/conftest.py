import pytest
from rest_framework.test import APIClient

from tests.factories import OfficialFactory, UserFactory


@pytest.fixture
def citizen(db):
    return UserFactory(citizen=True)


@pytest.fixture
def other_citizen(db):
    return UserFactory(citizen=True)


@pytest.fixture
def moderator(db):
    return UserFactory(moderator=True)


@pytest.fixture
def official(db):
    """An official who receives messages, with a user account."""
    return OfficialFactory(user=UserFactory(official=True))


@pytest.fixture
def official_user(official):
    return official.user


@pytest.fixture
def api_client():
    return APIClient()
