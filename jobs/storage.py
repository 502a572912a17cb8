"""Private file storage: candidates' CVs live outside MEDIA_ROOT and have no public URL.
They are served only by a view that checks the organisation."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    def __init__(self):
        super().__init__(base_url=None)

    # Read the setting on every use so that tests (and deployments) can point it elsewhere.
    @property
    def base_location(self):
        return str(settings.JOBS_PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a view.")


private_storage = PrivateStorage()
