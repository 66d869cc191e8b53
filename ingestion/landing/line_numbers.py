"""Records and physical lines of a landed file: the one numbering convention.

The extract contract counts data records, and so does everything the landing writes:
``raw_quarantine.line_number`` and the manifest's ``rows`` are record numbers and counts
(CSV: 1 = the first record after the header; JSONL: the line). In JSONL a record is a
physical line (a blank line is a record too, quarantined as not a JSON object). A CSV record
spans several physical lines when a quoted field holds a line break, and the reader skips
blank lines between records, so CSV messages name both: ``record 2, physical line 3``. A
physical line ends at ``\\n`` (CRLF counts once).

Nothing here runs on the happy path of a file: physical lines are counted only for a row-count
mismatch, an encoding error, or the records being quarantined.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

_CHUNK = 1 << 20


def count_lines(path: Path) -> int:
    """Physical lines of a file (a last line without its ``\\n`` counts)."""
    lines, last = 0, b""
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last not in (b"", b"\n"))


def csv_record_starts(path: Path) -> Iterator[tuple[int, int]]:
    """(record, physical line it starts on) for each CSV record in file order, the header
    being record 0. RFC 4180 quoting: a line with an odd number of quotes opens or closes a
    quoted field (an escaped quote counts twice). Works on bytes, so a file that is not UTF-8
    (the encoding error path) is read the same way."""
    record, in_quotes = -1, False
    with open(path, "rb") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not in_quotes and (record < 0 or line.strip(b"\r\n")):  # blank lines are no records
                record += 1
                yield record, line_no
            if line.count(b'"') % 2:
                in_quotes = not in_quotes


def csv_record_at_line(path: Path, line: int) -> int:
    """The CSV record (0 = the header) physical line ``line`` belongs to."""
    found = 0
    for record, start in csv_record_starts(path):
        if start > line:
            break
        found = record
    return found


def csv_record_lines(path: Path, records: set[int]) -> dict[int, int]:
    """The physical line each of ``records`` starts on, by reading the file up to the last one."""
    wanted, last = set(records), max(records, default=0)
    lines = {}
    for record, start in csv_record_starts(path):
        if record in wanted:
            lines[record] = start
        if record >= last:
            break
    return lines
