"""The JSON API under ``/api/v1`` and its one OpenAPI document at ``/api/openapi.json``."""
