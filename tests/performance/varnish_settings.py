"""Settings of the gunicorn that tests/performance/test_varnish.py starts behind Varnish.

The test settings, with a cache shared with the test process (a directory: the test's publishes bump the versions
this server reads) and the full-page cache on, as in production.
"""

import os

from lkt_site.settings.test import *  # noqa: F403

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ["LKT_TEST_CACHE_DIR"],
    }
}
LKT_PAGE_CACHE_SECONDS = 600
