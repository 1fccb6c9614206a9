"""Open311 GeoReport v2 endpoints, each in JSON and XML by the path's suffix
(``services.json``, ``requests/ZT-2026-000123.xml``).

Reads are public and anonymous; only POST requests takes a key
(``authentication``) and creates a message through ``message_submit``, the
action the site's form and ``POST /api/v1/messages/`` use, so sanitizing,
the pre-screen, rate limits and the review queue apply alike. The views
are left out of the OpenAPI schema of ``/api/v1/``: the specification is
their documentation (docs/open311.md).
"""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import parsers, status
from rest_framework.exceptions import NotAuthenticated, NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from board.actions import message_submit
from board.permissions import ensure_can_submit
from board.replicas import public_reads

from . import selectors, serializers
from .authentication import ApiKeyAuthentication
from .errors import open311_exception_handler
from .renderers import Open311JSONRenderer, Open311XMLRenderer

# ``?locale=`` (as some GeoReport servers take it) beside Accept-Language.
LOCALES = {"zh": "zh-hans", "zh-hans": "zh-hans", "zh-cn": "zh-hans", "en": "en"}


@extend_schema(exclude=True)
class Open311View(APIView):
    """JSON or XML by suffix, Open311 errors, the language the client asks."""

    renderer_classes = [Open311JSONRenderer, Open311XMLRenderer]
    # The specification posts forms (application/x-www-form-urlencoded).
    parser_classes = [parsers.FormParser, parsers.MultiPartParser]
    authentication_classes = ()
    permission_classes = [AllowAny]
    # The root element of the XML answer.
    xml_root = ""

    def get_exception_handler(self):
        return open311_exception_handler

    def dispatch(self, request, *args, **kwargs):
        locale = (request.GET.get("locale") or "").strip().lower()
        language = LOCALES.get(locale) or translation.get_language()
        # The answer's strings are made inside: the view hands the renderer
        # plain text, never lazy translations.
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)
            response["Content-Language"] = translation.get_language()
        return response


class DiscoveryView(Open311View):
    """The service discovery document: where the endpoint is, its formats."""

    xml_root = "discovery"

    def get(self, request, format=None):
        discovery_url = reverse("open311:discovery", kwargs={"format": "json"})
        endpoint = request.build_absolute_uri(discovery_url.rsplit("/", 1)[0])
        with public_reads():
            changeset = selectors.reference_changeset()
        contact = _(
            "Zhitong public message board: %(site)s. The API's documentation "
            "is at %(docs)s."
        ) % {
            "site": request.build_absolute_uri("/"),
            "docs": request.build_absolute_uri(reverse("api-docs")),
        }
        key_service = _(
            "The api_key is the personal API token of a verified citizen "
            "account: POST its username and password to %(url)s."
        ) % {"url": request.build_absolute_uri(reverse("api:token"))}
        return Response(
            serializers.discovery(
                endpoint_url=endpoint,
                changeset=changeset,
                contact=contact,
                key_service=key_service,
            )
        )


class ServiceListView(Open311View):
    """GET services: one service per category offered to citizens."""

    xml_root = "services"

    def get(self, request, format=None):
        with public_reads():
            services = [
                serializers.service(category)
                for category in selectors.services_offered()
            ]
        return Response(services)


class ServiceDefinitionView(Open311View):
    """GET a service definition: the attributes a request takes."""

    xml_root = "service_definition"

    def get(self, request, service_code, format=None):
        with public_reads():
            category = selectors.service_for_code(service_code)
            if category is None:
                raise NotFound(
                    _("No service has the code “%(code)s”.") % {"code": service_code}
                )
            definition = serializers.service_definition(
                category,
                regions=selectors.regions_for_definition(),
                officials=selectors.officials_for_definition(),
                departments=selectors.departments_for_definition(),
            )
        return Response(definition)


class RequestListView(Open311View):
    """GET requests (public messages) and POST a request (a new message)."""

    xml_root = "service_requests"
    authentication_classes = [ApiKeyAuthentication]
    # board/ratelimits.py: a request counts as submitting a message.
    rate_limits = {"post": "posting"}

    def get(self, request, format=None):
        filters = serializers.request_filters(request.query_params)
        with public_reads():
            messages = selectors.service_requests(filters)
            rows = [
                serializers.service_request(
                    message, build_absolute_uri=request.build_absolute_uri
                )
                for message in messages
            ]
        return Response(rows)

    def post(self, request, format=None):
        if not request.user.is_authenticated:
            raise NotAuthenticated(
                _("Give the api_key: the API token of a verified citizen account.")
            )
        # Refuse an account that may not write before reading its input.
        ensure_can_submit(request.user)
        code = request.data.get("service_code", "")
        code = code.strip() if isinstance(code, str) else ""
        if not code:
            raise ValidationError(
                {"service_code": [_("Give a service_code from services.json.")]}
            )
        category = selectors.service_for_code(code)
        if category is None:
            raise NotFound(_("No service has the code “%(code)s”.") % {"code": code})
        draft = serializers.submission_draft(request.data, category)
        message = message_submit(author=request.user, draft=draft)
        return Response([serializers.created(message)], status=status.HTTP_201_CREATED)


class RequestDetailView(Open311View):
    """GET a request: a list of one, as the specification answers."""

    xml_root = "service_requests"

    def get(self, request, service_request_id, format=None):
        with public_reads():
            message = selectors.service_request(service_request_id)
            if message is None:
                raise NotFound(
                    _("No public request has the id “%(id)s”.")
                    % {"id": service_request_id}
                )
            row = serializers.service_request(
                message, build_absolute_uri=request.build_absolute_uri
            )
        return Response([row])
