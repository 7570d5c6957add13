"""Which records are audited. Every tenant-owned model of the domain is registered here."""

from typing import Any

from auditlog.registry import auditlog
from django.apps import apps

# Model labels audited with every field; passwords and token hashes are never written to the log.
AUDITED: dict[str, dict[str, Any]] = {
    "core.User": {"exclude_fields": ["password", "last_login"]},
    "core.RoleGrant": {},
    "core.AccessToken": {"exclude_fields": ["key_hash", "last_used_at"]},
    "organizations.Organization": {},
    "people.Person": {"mask_fields": []},
    "people.Membership": {},
    "campaigns.CampaignTemplate": {},
    # The YAML and its snapshot are kept whole in the version itself; the log names the version.
    "campaigns.TemplateVersion": {"exclude_fields": ["yaml_text", "parsed"]},
    "campaigns.Campaign": {},
    "campaigns.CampaignPhase": {},
    "campaigns.CampaignTask": {"exclude_fields": ["spec"]},
    "campaigns.ChecklistItem": {},
    "campaigns.Evidence": {},
    "campaigns.Circular": {},
    "campaigns.Reminder": {},
    "leadership.LeadershipGroup": {},
    "leadership.LeadershipRole": {},
    "leadership.WorkingGroup": {},
    "leadership.WorkingGroupMember": {},
    "leadership.ImplementationPlan": {},
    "functional_groups.FunctionalGroupDrive": {"exclude_fields": ["board_token"]},
    "functional_groups.ProposedGroup": {},
    "functional_groups.SignUp": {},
    "functional_groups.Nomination": {},
    # THAT a member voted is recorded (the receipt holds no choice); functional_groups.LeaderTally
    # (the count a vote adds one to) is deliberately not audited: its entry would carry the voter
    # as actor and the nominee's new count, and undo the secrecy.
    "functional_groups.VoterReceipt": {},
}


def register_models() -> None:
    for label, options in AUDITED.items():
        model = apps.get_model(label)
        if not auditlog.contains(model):
            auditlog.register(model, **options)
