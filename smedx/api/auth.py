"""Who is calling: a personal access token (`Authorization: Bearer smx_…`) or the browser session."""

from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from smedx.accounts.models import ApiToken
from smedx.accounts.services import user_for_token


class TokenRejected(AuthenticationError):
    pass


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token) if token.startswith(ApiToken.PREFIX) else None
        if user is None:
            # A caller who sends a token means to use it: do not fall back to the session.
            raise TokenRejected(message=_("The API token is invalid or was revoked."))
        return user


class SessionCsrfAuth(SessionAuth):
    """Django's session, with the CSRF check on unsafe methods.

    Ninja's own session auth checks CSRF before it knows whether anybody is logged in, so an
    anonymous POST would get 403; here the check runs only for a logged-in session, and anonymous
    callers get 401 like on every other method.
    """

    def _get_key(self, request):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        if not request.user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, _("CSRF check failed. Send the X-CSRFToken header or use an API token."))
        return request.user


token_auth = TokenAuth()
session_auth = SessionCsrfAuth()
