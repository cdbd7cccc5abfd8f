"""Which models the audit log records, and what it never writes down.

Three kinds of fields:

- **secrets** (`exclude`): never recorded, not even their name (password hashes, token hashes,
  two-factor keys and recovery codes), nor noise that changes on every request (`last_login`,
  `last_used_at`, a run's progress);
- **personal data, free texts about a person, whole documents** (`by_name`, plus every JSON,
  encrypted and file field unless listed in `values`): recorded as "changed", without the
  values. The log is append-only: a value written into it could never be erased when the
  person is anonymised (docs/data-protection.md), and identity-document numbers must never be
  copied anywhere in clear;
- everything else: before and after.

Objects whose `str()` names a person (`by_label`) are shown in the log as "volunteer #12", never by
their name, for the same reason.

Not recorded at all (`NOT_RECORDED`): rows that are already their own history (status changes,
the ledger, rule changes, personal-data accesses), derived rows rebuilt from others, and
notifications. A test checks that every model of the project is either registered or listed
there, so a new model cannot be forgotten.
"""

from dataclasses import dataclass

from auditlog.registry import auditlog
from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from reciprocity.core.fields import EncryptedTextField

# What a value recorded by name only is replaced with, on both sides of the change.
REDACTED = "[not recorded]"
MASK_CALLABLE = "reciprocity.audit.registry.redact"


def redact(value: str) -> str:
    return REDACTED


@dataclass(frozen=True)
class Policy:
    exclude: tuple[str, ...] = ()
    by_name: tuple[str, ...] = ()
    # JSON fields whose values are short, public and worth keeping (lists of country codes).
    values: tuple[str, ...] = ()
    m2m: tuple[str, ...] = ()
    by_label: bool = False


_PERSON = ("first_name", "last_name", "email")

POLICIES: dict[str, Policy] = {
    "accounts.User": Policy(
        exclude=("password", "last_login"), by_name=("username", *_PERSON), by_label=True,
        m2m=("groups", "user_permissions"),  # rights given in the admin
    ),
    "auth.Group": Policy(m2m=("permissions",)),
    "accounts.Membership": Policy(by_label=True),
    "accounts.ApiToken": Policy(exclude=("key_hash", "last_used_at")),
    # A private calendar URL: who has one and when it was reset; the secret itself never.
    "accounts.CalendarFeedToken": Policy(exclude=("token",)),
    # Consents and their withdrawal: who gave or withdrew which, when (no personal values).
    "accounts.Consent": Policy(),
    # Invitations: who invited whom (the address by name only) with which role; the link's
    # token hash is a secret.
    "accounts.Invitation": Policy(exclude=("token_hash",), by_name=("email",)),
    "partners.Organisation": Policy(),
    "partners.Accreditation": Policy(),
    "partners.Affiliation": Policy(),
    "schemes.Scheme": Policy(),
    "schemes.SchemeRule": Policy(values=("value",)),
    "schemes.SchemeSuspension": Policy(),
    "agreements.Programme": Policy(values=("countries",), m2m=("schemes",)),
    "agreements.Agreement": Policy(m2m=("schemes",)),
    # An agreement's quotas for one year (written when a quota scenario is applied).
    "agreements.AgreementYearQuota": Policy(),
    # Quota scenarios (docs/scenarios.md): the scenario and each line's quotas as they change.
    "planning.Scenario": Policy(),
    "planning.ScenarioQuota": Policy(),
    "missions.Mission": Policy(values=("languages", "required_languages")),
    "volunteers.Volunteer": Policy(
        by_name=(
            "user", "reference", *_PERSON, "phone", "birth_date", "other_nationalities",
            "languages", "has_disability", "id_document_kind", "id_document_number",
            "id_document_expiry",
        ),
        by_label=True,
    ),
    # A volunteer's CV and passport scan: the file name often carries the person's name.
    "volunteers.VolunteerDocument": Policy(by_name=("original_name",), by_label=True),
    "applications.Application": Policy(by_name=("motivation",), by_label=True),
    "applications.ApplicationChoice": Policy(by_name=("decision_reason",)),
    # Offers of a place: who answered, when; the status history is OfferStatusChange.
    "applications.Offer": Policy(),
    "placements.Placement": Policy(
        by_name=("end_reason", "tutor_name", "tutor_email", "tutor_phone"), by_label=True,
    ),
    "placements.Evaluation": Policy(by_name=("comments",)),
    "placements.FollowUp": Policy(by_name=("details",)),
    # Signed documents (placements/signatures.py): the frozen file is recorded by name only.
    "placements.DocumentVersion": Policy(),
    "placements.DocumentSignature": Policy(),
    # Binômes (docs/matching.md, "Pairing runs"): which two placements serve together.
    "placements.Pairing": Policy(),
    "placements.PairingMember": Policy(),
    "procedures.RuleDocument": Policy(),
    "procedures.Procedure": Policy(),
    "procedures.ProcedureStep": Policy(),
    "procedures.ProcedureDocument": Policy(by_name=("original_name",), by_label=True),
    # A visa refusal and its ground are about a person: recorded as changed, never the values
    # (the log could not forget them at anonymisation). The grounds list is plain data.
    "procedures.VisaOutcome": Policy(by_name=("application_date", "appointment_date", "decision",
                                              "decision_date", "refusal_ground")),
    "procedures.VisaRefusalGround": Policy(),
    "matching.PlacementRun": Policy(
        exclude=("instance", "references", "stage", "progress", "best_objective", "task_id"),
        m2m=("missions",),
    ),
    "matching.RunProposal": Policy(by_name=("note",)),
    # `done` moves with every proposal written: progress, not a decision.
    "matching.RunAcceptance": Policy(exclude=("done", "attempts", "task_id")),
    # Pairing runs: the cohort read (`instance`) is the engine's input, not a decision.
    "matching.PairingRun": Policy(exclude=("instance", "task_id")),
    "matching.PairProposal": Policy(),
    # An accepted pair undone: who, when, why (a coordinator's reason may speak of a person).
    "matching.PairDissolution": Policy(by_name=("reason",)),
    # Conversations: who wrote when is recorded, what was written never (a message is personal
    # data, erased at anonymisation; the log could not forget it).
    "conversations.Thread": Policy(),
    "conversations.Message": Policy(by_name=("text", "detail")),
    "conversations.MessageAttachment": Policy(by_name=("original_name",)),
    # Imports: who loaded which file when, and the counts; the file and the report (which
    # quotes rows) are recorded as changed only (JSON and file fields are never copied).
    "imports.ImportBatch": Policy(),
    "exchange.ProjectDetails": Policy(by_name=("source",)),
    "exchange.VefRecord": Policy(by_name=("source", "date_filed"), by_label=True),
    # The signing secret is a secret: never recorded, not even by name.
    "exchange.WebhookEndpoint": Policy(exclude=("secret",)),
    # Two-factor devices, when the app is installed: the key and the codes are secrets.
    # Their `str()` carries the username.
    "otp_totp.TOTPDevice": Policy(exclude=("key", "last_t", "drift",
                                           "throttling_failure_timestamp",
                                           "throttling_failure_count", "last_used_at"),
                                  by_label=True),
    "otp_static.StaticDevice": Policy(exclude=("throttling_failure_timestamp",
                                               "throttling_failure_count", "last_used_at"),
                                      by_label=True),
    "otp_static.StaticToken": Policy(exclude=("token",), by_label=True),
}

NOT_RECORDED: dict[str, str] = {
    "applications.ApplicationStatusChange": "its own history",
    "applications.OfferStatusChange": "its own history",
    "placements.PlacementStatusChange": "its own history",
    "missions.MissionStatusChange": "its own history",
    "procedures.StepStatusChange": "its own history",
    "schemes.RuleChange": "its own history (before/after of every rule change)",
    "matching.PlacementRunStatusChange": "its own history",
    "planning.ScenarioStatusChange": "its own history",
    "balance.LedgerEntry": "append-only ledger: its own history",
    "balance.LedgerTotal": "derived from the ledger, rebuilt from it",
    "balance.BalanceAlert": "one row per finding, written by a job, never edited",
    "matching.RunUnplaced": "a run's output, written once by the solver",
    "matching.PairingRunStatusChange": "its own history",
    "matching.PairUnpaired": "a run's output, written once by the pairing engine",
    "notifications.Notification": "messages, not decisions; high volume",
    "volunteers.PersonalDataAccess": "append-only access log: its own history",
    "volunteers.PersonalDataBulkAccess": "append-only access log: its own history",
    "exchange.WebhookDelivery": "its own log (every attempt and its answer)",
    "conversations.ThreadRead": "read and e-mail markers, moved by every page view",
}

# Fields no model records: the entry has its own id and time, and every save touches
# `updated_at`.
ALWAYS_EXCLUDED = ("id", "created_at", "updated_at")


def _value_less(model: type[models.Model], policy: Policy) -> list[str]:
    names = set(policy.by_name)
    for f in model._meta.concrete_fields:
        if isinstance(f, models.JSONField | EncryptedTextField | models.FileField) and (
            f.name not in policy.values
        ):
            names.add(f.name)
    return sorted(names - set(policy.exclude))


def register_models() -> None:
    for label, policy in POLICIES.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue  # an optional app (two-factor devices) that is not installed
        excluded = {*ALWAYS_EXCLUDED, *policy.exclude}
        auditlog.register(
            model,
            # The model's own columns only: on a creation django-auditlog would otherwise list
            # every reverse relation ("placements": "Placement.None").
            include_fields=[f.name for f in model._meta.concrete_fields if f.name not in excluded],
            exclude_fields=sorted(excluded),
            mask_fields=_value_less(model, policy),
            mask_callable=MASK_CALLABLE,
            m2m_fields=set(policy.m2m),
        )


def _policy(model: type[models.Model]) -> Policy | None:
    return POLICIES.get(model._meta.label)


def object_label(instance: models.Model) -> str:
    """How an entry names its object: its `str()`, or "volunteer #12" when that names a person."""
    neutral = f"{instance._meta.model_name} #{instance.pk}"
    policy = _policy(type(instance))
    if policy is not None and policy.by_label:
        return neutral
    try:
        return str(instance)[:200]
    except ObjectDoesNotExist:  # a related row gone (a cascade): the write is still recorded
        return neutral


def recorded_models() -> list[type[models.Model]]:
    return sorted(auditlog.get_models(), key=lambda m: str(m._meta.verbose_name))
