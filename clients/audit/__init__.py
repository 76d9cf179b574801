"""The audit trail: who viewed or changed a client's record or an assessment, and when.

Changes are recorded by django-auditlog (every save of a registered model, from
the app or the admin, with the acting user); views, exports and erasures are
recorded by the app through `services.record`. The trail is append-only:
erasure of a person is the one exception.
"""
