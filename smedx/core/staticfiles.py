"""The front-end libraries' files that pages link, found in node_modules (settings.VENDOR_STATIC).

A library's dist folder holds every build and source map (echarts alone is 50 MB): collecting and
compressing all of it took minutes, so only the files named in the settings are found and collected.
"""

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


class VendorFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.libraries = {
            prefix: (FileSystemStorage(location=folder), tuple(files))
            for prefix, (folder, files) in settings.VENDOR_STATIC.items()
        }
        for prefix, (storage, _files) in self.libraries.items():
            storage.prefix = prefix  # collectstatic writes a storage's files under its prefix

    def find(self, path, find_all=False):
        found = []
        for prefix, (storage, files) in self.libraries.items():
            name = path.removeprefix(f"{prefix}/")
            if name != path and name in files and storage.exists(name):
                found.append(storage.path(name))
                if not find_all:
                    return found[0]
        return found

    def list(self, ignore_patterns):
        for storage, files in self.libraries.values():
            for name in files:
                yield name, storage

    def check(self, **kwargs):
        return []
