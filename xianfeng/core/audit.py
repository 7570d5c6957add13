"""Which records are audited. Every tenant-owned model of the domain is registered here."""

from auditlog.registry import auditlog
from django.apps import apps

# Model labels audited with every field; passwords and token hashes are never written to the log.
AUDITED = {
    "core.User": {"exclude_fields": ["password", "last_login"]},
    "core.RoleGrant": {},
    "core.AccessToken": {"exclude_fields": ["key_hash", "last_used_at"]},
    "organizations.Organization": {},
    "people.Person": {"mask_fields": []},
    "people.Membership": {},
}


def register_models() -> None:
    for label, options in AUDITED.items():
        model = apps.get_model(label)
        if not auditlog.contains(model):
            auditlog.register(model, **options)
