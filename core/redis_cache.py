"""Django's Redis cache with one Redis client per connection pool, kept for the life of the cache backend.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every command, and each one copies
redis-py's table of response callbacks (about 50 µs). A public page rendered right after a publish sends about
15 commands (the cache versions, the site, the fragment and the actor blocks), so that was close to a millisecond
of every such request (bench/README.md). A ``redis.Redis`` is safe to share between threads; the connections
stay in the pool as before, and the pool itself starts afresh in a forked worker.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            # The pools live as long as this object (self._pools), so their ids are not reused while it lives.
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with :class:`ReusedClientRedisCacheClient`."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
