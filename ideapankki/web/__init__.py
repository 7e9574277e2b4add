"""The web layer. `ideapankki.create_app` wires it, one subsystem at a time:

- database.py, index.py, notify.py, extensions.py — the engine and request session, the search
  index, mail, and the Flask extensions (Babel, CSRF, Flask-Login);
- request_commit.py — the request boundary: commit, then mail and the index;
- views/ — the blueprints (pages, APIs, feeds);
- serving/ — what wraps the views: hosts, proxy, access log, security headers, HTTP validators,
  and the production server (gunicorn) and the demo server;
- the rest are helpers the views share: forms, labels, templating, query parameters, redirects.
"""
