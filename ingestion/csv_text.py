"""The text of one extract file, read in bounded pieces.

The encoding is checked block by block, the header read on its own, and the rows parsed by
pyarrow's CSV reader (C++, no Python per row) into Arrow string columns, a chunk of rows at a
time. Memory holds one chunk, whatever the file's size. Rows whose field count differs from the
header's are reported with their line (pandas would have padded a short row silently).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv

from ingestion.contract import Source
from ingestion.errors import ExtractError, Problem

BLOCK_BYTES = 16 << 20  # bytes read at once by the encoding check
# bytes parsed at once by the CSV reader: it holds several blocks ahead, so larger blocks cost
# memory (16 MiB: 600 MiB resident on a national CPR file, 4 MiB: 340 MiB) and gain no speed
PARSE_BLOCK_BYTES = 4 << 20
CHUNK_ROWS = 250_000  # rows validated and loaded at once: bounds memory on a national file
_UTF8_BOM = b"\xef\xbb\xbf"
_NON_ASCII = re.compile(rb"[\x80-\xff]")
# UTF-8 Latin letters (æ ø å Æ Ø Å é ü ..., lead byte C3) as they look in a Windows-1252 file: "Ã¸" for "ø"
_UTF8_PAIR = re.compile(rb"\xc3[\x80-\xbf]")
MAX_SHAPE_PROBLEMS = 20


def is_utf8(source: Source) -> bool:
    return source.encoding.lower().replace("-", "") == "utf8"


def _blocks(path: Path) -> Iterator[bytes]:
    """The file's bytes in blocks that end at a line break (so no character is split)."""
    with open(path, "rb") as handle:
        rest = b""
        while data := handle.read(BLOCK_BYTES):
            data = rest + data
            cut = data.rfind(b"\n") + 1
            rest = data[cut:]
            if cut:
                yield data[:cut]
        if rest:
            yield rest


def check_encoding(path: Path, source: Source) -> None:
    """The file decodes in the contract's encoding; a UTF-8 file delivered for a Windows-1252
    source is refused too (it would decode without error, only as mojibake: "SÃ¦rlig")."""
    utf8 = is_utf8(source)
    lines_before, first_non_ascii, all_utf8, decode_error = 0, None, True, None
    mojibake = [None, 0, None]  # first line, lines, last line
    for number, block in enumerate(_blocks(path)):
        if number == 0 and utf8 and block.startswith(_UTF8_BOM):
            block = block[3:]  # a byte-order mark is harmless
        if not block.isascii():
            if not utf8:
                if first_non_ascii is None:
                    first_non_ascii = lines_before + block[: _NON_ASCII.search(block).start()].count(b"\n") + 1
                if all_utf8:
                    try:
                        block.decode("utf-8")
                    except UnicodeDecodeError:
                        all_utf8 = False
                _count_mojibake(block, lines_before, mojibake)
            if decode_error is None:
                try:
                    block.decode(source.encoding)
                except UnicodeDecodeError as exc:
                    decode_error = (lines_before + block[: exc.start].count(b"\n") + 1, block[exc.start])
        lines_before += block.count(b"\n")
    if first_non_ascii is not None and all_utf8:
        raise ExtractError([Problem(str(path), first_non_ascii, None,
                                    f"the file is UTF-8; the contract says this source is delivered in {source.encoding}")])
    if mojibake[0] is not None:
        raise ExtractError([Problem(str(path), mojibake[0], None, f"UTF-8 text inside a {source.encoding} file on "
                                    f"{mojibake[1]} line(s) (e.g. 'Ã¸' where 'ø' was meant): text pasted from another "
                                    f"file? The whole file must be {source.encoding}")])
    if decode_error is not None:
        line, byte = decode_error
        raise ExtractError([Problem(str(path), line, None, f"not valid {source.encoding} text (byte {byte:#04x}); "
                                    f"the contract says this source is delivered in {source.encoding}")])


def _count_mojibake(block: bytes, lines_before: int, seen: list) -> None:
    """Lines of a Windows-1252 block holding UTF-8 pairs: [first line, lines, last line] in ``seen``."""
    position, line = 0, lines_before + 1
    for match in _UTF8_PAIR.finditer(block):
        line += block.count(b"\n", position, match.start())
        position = match.start()
        if seen[0] is None:
            seen[0] = line
        if line != seen[2]:
            seen[1], seen[2] = seen[1] + 1, line


def read_header(path: Path, source: Source) -> list[str]:
    """The header's column names; an empty file (nothing but whitespace) is an error, and so is
    a file whose lines end in CR alone (its 'header' would be every row)."""
    with open(path, "rb") as handle:
        first = handle.readline()
    if not first.strip() and all(not block.strip() for block in _blocks(path)):
        raise ExtractError([Problem(str(path), 1, None, "the file is empty (no header, no rows)")])
    if b"\r" in first.rstrip(b"\r\n"):
        raise ExtractError([Problem(str(path), None, None, "line endings: the lines end in CR alone (an old Mac "
                                    "format); deliver the file with LF or CRLF line endings")])
    if is_utf8(source) and first.startswith(_UTF8_BOM):
        first = first[3:]
    return first.decode(source.encoding).rstrip("\n").rstrip("\r").split(source.delimiter)


@dataclass
class ShapeProblems:
    """Rows of the wrong shape met by the reader: the first few with their line, and how many."""

    expected: int
    lines: list[tuple[int | None, int]] = field(default_factory=list)
    count: int = 0

    def __call__(self, row) -> str:
        self.count += 1
        if len(self.lines) < MAX_SHAPE_PROBLEMS:
            self.lines.append((row.number, row.actual_columns))
        return "skip"  # keep reading: every bad row is counted, and the file is refused afterwards

    def problems(self, file: str) -> list[Problem]:
        return [Problem(file, line, None, f"row has {n} fields, the header has {self.expected} "
                        f"({'truncated file?' if n < self.expected else 'an unquoted delimiter in a value?'})")
                for line, n in self.lines]


@dataclass(frozen=True)
class TextChunk:
    """Consecutive data rows of one file: ``first_row`` is the 0-based index of the first
    (its line in the file is first_row + 2); every contract column is text, null where empty."""

    first_row: int
    table: pa.Table


def text_chunks(path: Path, source: Source, header: list[str], shape: ShapeProblems) -> Iterator[TextChunk]:
    """The file's rows in chunks of about CHUNK_ROWS, the contract's columns in contract order.
    Rows of the wrong shape are skipped and recorded in ``shape`` (the caller refuses the file)."""
    reader = pa_csv.open_csv(
        path,
        # one thread: the reader then knows each bad row's line in the file
        read_options=pa_csv.ReadOptions(use_threads=False, block_size=PARSE_BLOCK_BYTES, skip_rows=1, column_names=header,
                                        encoding="utf8" if is_utf8(source) else source.encoding),
        parse_options=pa_csv.ParseOptions(delimiter=source.delimiter, newlines_in_values=True, invalid_row_handler=shape),
        convert_options=pa_csv.ConvertOptions(column_types={c: pa.string() for c in header}, strings_can_be_null=True,
                                              null_values=[""], include_columns=source.column_names),
    )
    pending: list[pa.RecordBatch] = []
    held = first_row = 0
    for batch in reader:
        pending.append(batch)
        held += batch.num_rows
        if held >= CHUNK_ROWS:
            yield TextChunk(first_row, pa.Table.from_batches(pending))
            first_row += held
            pending, held = [], 0
    if held or first_row == 0:
        yield TextChunk(first_row, pa.Table.from_batches(pending, schema=reader.schema))
