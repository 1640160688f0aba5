vcl 4.1;
# LKT's reference Varnish configuration: a shared cache for the public pages in front of gunicorn.
#
# What it caches is decided by the application: a response with "Cache-Control: public, s-maxage=N" and no
# Set-Cookie (core/page_cache.py marks exactly the public Wagtail pages served to readers without a session).
# Everything else - staff (/admin/, /prosesser/), patients (/min-side/), accounts, any request with a session or
# a remembered choice, any POST - goes straight through and is never stored. See docs/deploy.md.
#
# Purging: Wagtail's frontend cache (wagtail.contrib.frontend_cache, HTTPBackend, settings
# WAGTAILFRONTENDCACHE) sends "PURGE <page url>" when a page is published or unpublished, and
# "PURGE /.lkt-ban/<version name>" when a cache version is bumped (core/frontend_cache.py): every stored
# response whose X-LKT-Deps header names that version (a municipality, a pathway, the catalogue, the page tree)
# is banned at once.

import std;

backend default {
    # gunicorn; the test (tests/performance/test_varnish.py) starts varnishd with -p/-a of its own.
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
}

# Who may purge: the app servers. Add their addresses.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (req.url ~ "^/\.lkt-ban/") {
            set req.http.X-LKT-Ban = regsub(req.url, "^/\.lkt-ban/", "");
            ban("obj.http.X-LKT-Deps ~ (^|,)" + req.http.X-LKT-Ban + "(,|$)");
            return (synth(200, "Banned"));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Staff, patients, accounts and the identity provider: never from the cache.
    if (req.url ~ "^/(admin|prosesser|min-side|konto|testid|_util|django-admin)(/|$)") {
        return (pass);
    }
    # A session, a remembered municipality or a message waiting to be shown makes the page personal.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|lkt_kommune|messages)=") {
        return (pass);
    }
    # Any other cookie (the CSRF token, analytics) does not change a public page: drop it so it can be shared.
    unset req.http.Cookie;
    unset req.http.Authorization;
    return (hash);
}

sub vcl_backend_response {
    # Only what the application marked public and that sets no cookie is stored.
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control !~ "public") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Keep serving a page for a while past its s-maxage if gunicorn is slow or down.
    set beresp.grace = 1h;
    # Compress what the app did not (Varnish stores gzip and unzips for clients without it).
    if (beresp.http.Content-Type ~ "^(text/|application/(json|xml|javascript))" && !beresp.http.Content-Encoding) {
        set beresp.do_gzip = true;
    }
    return (deliver);
}

sub vcl_deliver {
    # For the application's own bans; nothing the reader needs.
    unset resp.http.X-LKT-Deps;
    unset resp.http.X-LKT-Cache;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # Browsers revalidate every time (a purge cannot reach them); only shared caches keep public pages.
    return (deliver);
}
