"""The Flask host: Alexa's request checks, the app factory and `python -m skill serve`.

Modules:
    compat         imports flask-ask-sdk where oscrypto cannot start (OpenSSL 3.0.10 and later)
    verification   Alexa's request checks, built on `cryptography` only
    adapter        the SDK's SkillAdapter with a dispatch that verifies the raw body first
    app            `create_app()`, the Flask application factory
    pages          `GET /` and the privacy policy page (its words: privacy.yaml)
    startup        the skill id production needs before it starts
    serve          `python -m skill serve` (Werkzeug's threaded server, for local use)
    wsgi           `app` for a WSGI server, every check on
    gunicorn_conf  gunicorn settings (`gunicorn -c python:skill.web.gunicorn_conf ...`)

docs/endpoint.md describes production serving and every check.
"""
