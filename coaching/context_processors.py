from django.conf import settings
from django.http import HttpRequest


def studio(request: HttpRequest) -> dict[str, str]:
    return {"studio_name": settings.STUDIO_NAME}
