"""The Flask host: Alexa's request checks, the app factory and `python -m skill serve`.

Modules:
    compat        imports flask-ask-sdk where oscrypto cannot start (OpenSSL 3.0.10 and later)
    verification  Alexa's request checks, built on `cryptography` only
    app           `create_app()`, the Flask application factory
    serve         `python -m skill serve` (Flask's built-in server, for local use)
    wsgi          `app` for a WSGI server: `gunicorn -w 4 skill.web.wsgi:app`
"""
