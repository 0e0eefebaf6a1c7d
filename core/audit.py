"""The audit trail: ``record()`` is called inside the service's transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.dispatch import Signal

from .clientip import current_client_ip
from .models import AuditEntry

SENSITIVE_KEYS = ("password", "secret", "token", "key")
MASK = "********"

#: Actions that change no figure any page aggregates: signing in, passwords, tokens, one's own
#: notification settings, background jobs asked for (a report reads, it does not write).
QUIET_ACTIONS = ("api.token.", "core.job.", "core.login.", "core.notification_preferences.",
                 "core.password.")

#: Sent once the transaction that recorded an entry changing data has committed, with
#: ``region_id`` (None: data of no single region, such as a federal list). Apps keeping
#: derived figures (monitoring's board cache) refresh them; a failing receiver is logged
#: and never undoes or repeats the action (send_robust).
data_changed = Signal()

#: Human labels of action codes, filled by apps with :func:`describe`.
_LABELS: dict[str, str] = {}


def describe(action: str, label: str) -> None:
    _LABELS[action] = label


def action_label(action: str) -> str:
    return _LABELS.get(action, action)


def action_choices() -> list[tuple[str, str]]:
    return sorted(_LABELS.items(), key=lambda item: item[1])


def _mask(data: Any) -> Any:
    if isinstance(data, dict):
        return {
            k: (MASK if any(s in str(k).lower() for s in SENSITIVE_KEYS) else _mask(v))
            for k, v in data.items()
        }
    if isinstance(data, list | tuple):
        return [_mask(v) for v in data]
    return data


def record(actor, action: str, target=None, data: dict | None = None, *,
           region=None, municipality=None, ip_address: str | None = None) -> AuditEntry:
    """Write one audit row. ``region``/``municipality`` default to the target's place, the
    address to the client address of the request being served (``core.clientip``)."""
    if data is not None and not isinstance(data, dict):
        raise TypeError("audit data must be a dict")
    path = getattr(target, "scope_path", None)
    region_id = getattr(region, "pk", region) or (path.region_id if path else None)
    municipality_id = getattr(municipality, "pk", municipality) or (
        path.municipality_id if path else None
    )
    actor = actor if getattr(actor, "is_authenticated", False) else None
    changes_data = not action.startswith(QUIET_ACTIONS)
    entry = AuditEntry.objects.create(
        actor=actor,
        actor_label=(actor.short_name if actor else "система"),
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(getattr(target, "public_id", None) or getattr(target, "pk", "") or ""),
        target_repr=str(target)[:500] if target is not None else "",
        region_id=region_id,
        municipality_id=municipality_id,
        data=_mask(data or {}),
        ip_address=ip_address or current_client_ip(),
        changes_data=changes_data,
    )
    if changes_data:
        transaction.on_commit(lambda: data_changed.send_robust(AuditEntry, region_id=region_id))
    return entry


def watermark(region_id: int | None, *, using: str = "default") -> tuple[int, int]:
    """The newest entries that changed data: of the region and of no region (a federal
    list touches every region), or — for ``None`` — of all. Two index look-ups. Any write
    goes through a service that records an entry in its transaction, so a figure computed
    after reading this watermark is at least as new as the watermark says."""
    entries = AuditEntry.objects.using(using).filter(changes_data=True).order_by("-id")
    if region_id is None:
        return (entries.values_list("id", flat=True).first() or 0, 0)
    own = entries.filter(region_id=region_id).values_list("id", flat=True).first() or 0
    shared = entries.filter(region__isnull=True).values_list("id", flat=True).first() or 0
    return own, shared
