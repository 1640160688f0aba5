"""The shared cache's Redis backend (core.redis_cache): one client per connection pool, not one per command."""

from core.redis_cache import RedisCache


def test_the_cache_reuses_one_redis_client_per_pool():
    cache = RedisCache("redis://127.0.0.1:6379/13", {})
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client("some-key") is client
    assert client.connection_pool is cache._cache._get_connection_pool(write=True)


def test_each_server_keeps_its_own_client():
    cache = RedisCache("redis://127.0.0.1:6379/13,redis://127.0.0.1:6379/14", {})
    writer = cache._cache.get_client(write=True)
    reader = cache._cache.get_client(write=False)
    assert writer is not reader
    assert writer.connection_pool.connection_kwargs["db"] == 13
    assert reader.connection_pool.connection_kwargs["db"] == 14
    assert cache._cache.get_client(write=False) is reader
