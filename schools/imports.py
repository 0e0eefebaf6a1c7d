"""What of the import machinery belongs to the batches ``schools`` stores: the upload
point every imported table passes through and the memory of confirmed column mappings
(``ImportMapping``). The batch's lifecycle (upload, dry run, mapping, apply) is
``schools.services``.
The generic machinery (reading a batch, row errors, the registry of importers) is
:mod:`core.importing`.
"""

from __future__ import annotations

from core.files import TABLE_KINDS, register_upload_point

from .models import ImportBatch, ImportMapping

#: Every table uploaded for an import (the page's form and the command line) is checked
#: here: its type by its bytes, its structure, archive limits before anything inflates.
IMPORT_FILE = register_upload_point("schools.import", "Импорт данных (перечни, риск-профили)",
                                    TABLE_KINDS, max_mb_setting="IMPORT_MAX_MB")


def mapping_remember(*, actor, batch: ImportBatch) -> None:
    """Keep the batch's confirmed mapping for next year's file of the same shape (the
    caller's transaction; the caller audits the confirmation)."""
    signature = batch.header_signature
    if batch.header_row is None or not batch.mapping or not signature:
        return
    ImportMapping.objects.update_or_create(
        region_id=batch.region_id, target=batch.target, signature=signature,
        defaults={"header_row": batch.header_row, "mapping": batch.mapping,
                  "confirmed_by": actor, "batch": batch})
