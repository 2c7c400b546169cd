"""Where media bytes live: LocalDiskStore implements the MediaStore port
(app.ports) with files under a directory (CHORUS_CONTENT_MEDIA_DIR). An
S3-compatible store implements the same three calls (multipart upload to a
staging key, then copy to the content address, or abort)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from content_service.app.ports import Upload


class _DiskUpload:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = path.open("wb")
        self._hash = hashlib.sha256()
        self._size = 0

    def write(self, chunk: bytes) -> None:
        self._file.write(chunk)
        self._hash.update(chunk)
        self._size += len(chunk)

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()

    @property
    def size(self) -> int:
        return self._size

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


class LocalDiskStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.staging = self.root / ".staging"
        self.staging.mkdir(parents=True, exist_ok=True)

    def path_of(self, tenant_id: str, media_id: str) -> Path:
        # Tenants never share a directory; the hash prefix keeps directories small.
        safe_tenant = hashlib.sha256(tenant_id.encode()).hexdigest()[:16]
        return self.root / safe_tenant / media_id[:2] / media_id

    def begin(self, tenant_id: str) -> _DiskUpload:
        fd, name = tempfile.mkstemp(dir=self.staging, prefix="upload-")
        os.close(fd)
        return _DiskUpload(Path(name))

    def commit(self, upload: Upload, tenant_id: str, media_id: str) -> None:
        assert isinstance(upload, _DiskUpload)
        upload.close()
        target = self.path_of(tenant_id, media_id)
        if target.exists():
            upload.path.unlink(missing_ok=True)  # same content already stored: keep one copy
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(upload.path, target)  # atomic: readers see no half-written file

    def abort(self, upload: Upload) -> None:
        assert isinstance(upload, _DiskUpload)
        upload.close()
        upload.path.unlink(missing_ok=True)

    def exists(self, tenant_id: str, media_id: str) -> bool:
        return self.path_of(tenant_id, media_id).exists()

    def open(self, tenant_id: str, media_id: str) -> BinaryIO:
        return self.path_of(tenant_id, media_id).open("rb")
