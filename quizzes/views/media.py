"""Questions' pictures from the local storage (MEDIA_ROOT), when no proxy serves them first."""

import re

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET
from django.views.static import serve

# The names quizzes.models.content.question_image_path gives: nothing else under MEDIA_ROOT.
PICTURE_NAME = re.compile(r"[0-9a-f]{32}\.(?:jpg|png|webp)")


@require_GET
def media(request: HttpRequest, name: str) -> HttpResponse:
    """A stored picture, by its random name. Names are never reused (a new picture gets a new
    one), so a browser may keep it for a year."""
    if not PICTURE_NAME.fullmatch(name):
        raise Http404("No such picture.")
    response = serve(request, f"questions/{name}", document_root=settings.MEDIA_ROOT)
    patch_cache_control(response, public=True, max_age=365 * 24 * 3600, immutable=True)
    return response
