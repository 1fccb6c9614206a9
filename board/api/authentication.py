"""The API's token authentication (``REST_FRAMEWORK``), in a module of its
own because DRF imports it while loading its settings.

django-rest-knox's, with one refusal more: a staff account that must have a
second factor and has none set up is answered 403 ``second_factor_required``
whatever its token (one issued before it became staff, say), as its session
is by ``board.middleware.SecondFactorSetupMiddleware``.
"""

from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework.exceptions import PermissionDenied

from board.second_factor import (
    SECOND_FACTOR_REQUIRED,
    SETUP_REQUIRED_MESSAGE,
    needs_second_factor_setup,
)


class SecondFactorRequired(PermissionDenied):
    """An API exception (not a ``BoardError``): DRF lets only those out of
    authentication cleanly. The handler adds its code to the body."""

    default_detail = SETUP_REQUIRED_MESSAGE
    default_code = SECOND_FACTOR_REQUIRED


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if needs_second_factor_setup(user):
            raise SecondFactorRequired()
        return user, token
