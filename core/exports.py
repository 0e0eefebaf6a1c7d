"""Export of the audit trail to Excel, as a job (it can be long for a whole region)."""

from __future__ import annotations

from django.utils import timezone

from .exceptions import DomainError
from .jobs import JobResult, Progress
from .models import Job, User
from .scope import forget_scope
from .text import count_phrase
from .xlsx import book_bytes, new_book, row_append, sheet_new

MAX_ROWS = 200_000


def audit_export_run(job: Job, progress: Progress) -> JobResult:
    """Rebuild the starter's scope, apply the saved filters, write an .xlsx."""
    from .filters import AuditEntryFilter
    from .selectors import audit_entries_for

    actor = User.objects.get(pk=job.created_by_id)
    forget_scope(actor)
    filterset = AuditEntryFilter(job.params.get("filters", {}), queryset=audit_entries_for(actor))
    if not filterset.is_valid():
        raise DomainError("Параметры отбора журнала неверны: " +
                          "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items()))
    queryset = filterset.qs
    total = queryset.count()
    if total > MAX_ROWS:
        raise DomainError(f"Слишком много записей для выгрузки ({total}); сузьте отбор до "
                          f"{count_phrase(MAX_ROWS, 'запись', case='gent')}.")
    book = new_book(streaming=True)
    sheet = sheet_new(book, "Журнал действий")
    header = ["Время", "Кто", "Действие", "Код действия", "Объект", "Регион", "IP-адрес"]
    row_append(sheet, header)
    local = timezone.get_current_timezone()
    for done, entry in enumerate(queryset.iterator(chunk_size=2000), start=1):
        row_append(sheet, [
            entry.created_at.astimezone(local).replace(tzinfo=None),
            entry.actor_label,
            entry.action_label,
            entry.action,
            entry.target_repr,
            entry.region.name if entry.region else "",
            entry.ip_address or "",
        ])
        progress(done, total)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return JobResult(message=f"Выгружено записей: {total}.",
                     file_name=f"audit-{stamp}.xlsx", content=book_bytes(book))

