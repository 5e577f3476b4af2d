"""Field files read ahead by worker processes.

A large org is mostly ``.field-meta.xml`` files: 96% of the files of a 1,000-object org, a
little over half of NPSP. Reading one is a function of that file alone: its bytes and its path
give one :class:`~cfglint.model.Field`. So on a machine with more than one core, worker
processes read and parse the field files while the main process reads every other file, and
the main process adds each field at the point of the file order where it would have read the
file itself. The model is the same as a serial read's: the first definition of a field wins,
and an object that only its fields name is created by the first of them.

Whatever is out of the ordinary comes back unread, and the main process then reads that file
itself, exactly as a serial read does, problems and skips included: a file that cannot be read
or parsed, carries CumulusCI namespace tokens or a ``cfglint:`` comment, has another root
element, or is not in an object's ``fields`` folder.

Workers are forked, so they start with cfglint already imported and cost a few milliseconds
each. Fork is what Linux offers safely; elsewhere, with one core, with ``CFGLINT_JOBS=1`` or
for a project with fewer than :data:`MIN_FIELD_FILES` field files, everything is read in the
main process.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterator
from multiprocessing.pool import Pool
from types import TracebackType

from cfglint.model import Field
from cfglint.readers import salesforce
from cfglint.readers.metadata_types import classify
from cfglint.readers.salesforce_xml.objects import read_custom_field
from cfglint.readers.xml import XmlError, parse_xml_bytes

#: Below this many field files starting workers costs about what they save (NPSP has 765).
MIN_FIELD_FILES = 2000

#: Field files per task sent to a worker: large enough that sending a task costs little, small
#: enough that the main process soon has work and every worker finishes at about one time.
CHUNK_SIZE = 256

#: At most this many workers: the main process unpickles every field they send (some 15 µs
#: a field), which keeps pace with about this many.
MAX_JOBS = 4

FIELD_SUFFIX = ".field-meta.xml"


def default_jobs() -> int:
    """Workers to use: ``CFGLINT_JOBS`` when set (``1``: none), else one per core this process
    may run on, at most :data:`MAX_JOBS`."""
    configured = os.environ.get("CFGLINT_JOBS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return min(MAX_JOBS, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


class FieldReadAhead:
    """The field files among ``files`` (in the order given), read by workers.

    :meth:`take` is asked about every file, in the same order, and answers with the field a
    worker read, or ``None`` when the main process must read the file itself.
    """

    def __init__(self, files: list[tuple[str, str]], jobs: int | None = None) -> None:
        self.sent = [(relative, absolute) for relative, absolute in files
                     if relative.endswith(FIELD_SUFFIX)
                     and not relative.rpartition("/")[2].startswith(".")]
        self.jobs = default_jobs() if jobs is None else jobs
        self.pool: Pool | None = None
        self.results: Iterator[Field | None] = iter(())
        self.position = 0  # index in ``sent`` of the next field file take() will meet

    def __enter__(self) -> FieldReadAhead:
        if self.jobs > 1 and len(self.sent) >= MIN_FIELD_FILES and sys.platform == "linux":
            self._start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self.pool is not None:
            self.pool.terminate()  # all results are in, or the read failed: nothing to wait for
            self.pool.join()

    def _start(self) -> None:
        try:
            self.pool = multiprocessing.get_context("fork").Pool(self.jobs)
        except OSError:
            return  # no processes to be had (a limit on them): read serially
        chunks = (self.sent[start:start + CHUNK_SIZE]
                  for start in range(0, len(self.sent), CHUNK_SIZE))
        self.results = (field for chunk in self.pool.imap(read_chunk, chunks) for field in chunk)

    def take(self, relative: str) -> Field | None:
        """The field read from ``relative`` by a worker, or ``None``."""
        if self.pool is None or self.position == len(self.sent) or (
                self.sent[self.position][0] != relative):
            return None
        self.position += 1
        return next(self.results)


def read_chunk(chunk: list[tuple[str, str]]) -> list[Field | None]:
    """In a worker: each file's field, or ``None`` for a file the main process must read."""
    return [read_field_file(relative, absolute) for relative, absolute in chunk]


def read_field_file(relative: str, absolute: str) -> Field | None:
    """The field an ordinary SFDX field file defines, or ``None`` when the file is anything
    else (see the module documentation)."""
    metadata_file = classify(relative)
    if (metadata_file is None or metadata_file.type_name != "CustomField"
            or not metadata_file.source_format):
        return None
    context = salesforce.element_context(metadata_file, absolute)
    if context.object_name is None:
        return None
    try:
        data = salesforce.read_bytes(absolute)
    except OSError:
        return None
    if b"NAMESPACE" in data or salesforce.may_suppress(data):
        return None
    try:
        root = parse_xml_bytes(data)
    except XmlError:
        return None
    if root.tag != "CustomField":
        return None
    return read_custom_field(root, context.object_name, context)

