"""Questions' pictures from the local storage (MEDIA_ROOT), when no proxy serves them first."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET
from django.views.static import serve


@require_GET
def media(request: HttpRequest, path: str) -> HttpResponse:
    """A stored picture, by its random name. Names are never reused (a new picture gets a new
    one), so a browser may keep it for a year."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    patch_cache_control(response, public=True, max_age=365 * 24 * 3600, immutable=True)
    return response
