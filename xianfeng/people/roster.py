"""花名册: the roster as an Excel workbook with Chinese headers, imported and exported.

An import is all or nothing. Every row is read and checked first and every problem is reported with
its row and column; only a file without a single problem is written, in one transaction, matched on
人员编号 so that importing the same file again changes nothing. An import never deletes anyone.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from auditlog.cid import get_cid
from auditlog.context import auditlog_value
from auditlog.diff import model_instance_diff
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.workbook.workbook import Workbook as WorkbookType
from openpyxl.worksheet.datavalidation import DataValidation

from xianfeng.core.access import Capability, restrict
from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditEntry, Tenant
from xianfeng.lib.text import mask_phone, name_initials, name_pinyin
from xianfeng.organizations.models import Organization
from xianfeng.people.models import Gender, MassesKind, Person, PoliticalStatus, PostCategory
from xianfeng.people.services import PersonData, person_validate

SHEET_TITLE = "花名册"
HELP_SHEET_TITLE = "说明"
ERROR_HEADER = "错误"
# A row whose 人员编号 is this is the template's example and is skipped, so leaving it in is harmless.
EXAMPLE_CODE = "示例"
MAX_ROWS = 10_000
BATCH_SIZE = 500
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc) container
_HEADER_SCAN_ROWS = 10
_HEADER_FILL = PatternFill("solid", fgColor="C00000")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_EXAMPLE_FONT = Font(italic=True, color="808080")
_ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
_ERROR_FONT = Font(bold=True, color="9C0006")


class Kind:
    TEXT = "text"
    CHOICE = "choice"
    DATE = "date"
    FLAG = "flag"
    ORGANIZATION = "organization"


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str
    choices: type[models.TextChoices] | None = None
    required: bool = False
    width: int = 12
    note: str = ""


COLUMNS: tuple[Column, ...] = (
    Column(
        "人员编号",
        "code",
        Kind.TEXT,
        required=True,
        width=14,
        note="在本教育系统内唯一。再次导入时按人员编号找到同一个人并更新，不会重复新增。",
    ),
    Column("姓名", "name", Kind.TEXT, required=True, width=10),
    Column("性别", "gender", Kind.CHOICE, Gender, width=6),
    Column("出生日期", "birth_date", Kind.DATE, width=12),
    Column("政治面貌", "status", Kind.CHOICE, PoliticalStatus, required=True, width=13),
    Column(
        "群众类别",
        "masses_kind",
        Kind.CHOICE,
        MassesKind,
        width=10,
        note="政治面貌为“群众”时必须填写，其他人不填。",
    ),
    Column("入党时间", "joined_on", Kind.DATE, note="正式党员、预备党员必须填写。"),
    Column("转正时间", "full_member_on", Kind.DATE, note="正式党员必须填写，预备党员不填。"),
    Column(
        "所在组织",
        "organization",
        Kind.ORGANIZATION,
        required=True,
        width=26,
        note="填写组织架构中的名称，如“语文党支部”；重名时写完整路径，如“第一中学党总支/语文党支部”。",
    ),
    Column("岗位类别", "post_category", Kind.CHOICE, PostCategory, width=10),
    Column("职务", "title", Kind.TEXT, width=14, note="行政职务，自由填写，如“教务主任”。"),
    Column("党务工作者", "is_party_affairs_worker", Kind.FLAG, width=11),
    Column("领导班子成员", "is_leadership_member", Kind.FLAG, width=13),
    Column("新党员", "is_new_member", Kind.FLAG, width=8),
    Column("手机号", "phone", Kind.TEXT, width=14, note="7 到 15 位数字。"),
)
HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)
HEADER_OF_FIELD: dict[str, str] = {c.field: c.header for c in COLUMNS}
_COLUMN_OF_HEADER: dict[str, Column] = {c.header: c for c in COLUMNS}
_PHONE_INDEX = HEADERS.index("手机号")
_ORGANIZATION_INDEX = HEADERS.index("所在组织")

# Headers other rosters use for the same column, so a school's own sheet is understood.
_HEADER_ALIASES = {"所在支部": "所在组织", "行政职务": "职务", "手机": "手机号", "编号": "人员编号"}
# Values other rosters write for the same choice.
_CHOICE_ALIASES: dict[str, dict[str, str]] = {
    "status": {
        "中共党员": PoliticalStatus.MEMBER,
        "党员": PoliticalStatus.MEMBER,
        "中共预备党员": PoliticalStatus.PROBATIONARY,
    },
    "gender": {"男性": Gender.MALE, "女性": Gender.FEMALE},
}
_TRUE = {"是", "√", "✓", "Y", "YES", "1", "TRUE"}
_FALSE = {"否", "×", "N", "NO", "0", "FALSE", ""}
_EMPTY_CHOICE = {"", "—", "-", "无"}
# Fields whose rules depend on 政治面貌: their errors mean nothing while 政治面貌 itself is wrong.
_STATUS_DEPENDENT = {"joined_on", "full_member_on", "masses_kind"}
_PERSON_FIELDS = [c.field for c in COLUMNS]
_UPDATE_FIELDS = [*_PERSON_FIELDS, "name_pinyin", "name_initials", "updated_at"]
_MODEL_FIELDS = {f.name: f for f in Person._meta.concrete_fields}
_ATTNAMES = [_MODEL_FIELDS[name].attname for name in _PERSON_FIELDS]
_MAX_LENGTH = {
    name: f.max_length for name, f in _MODEL_FIELDS.items() if isinstance(f, models.CharField)
}
# Excel serial day numbers from 1920 on: anything smaller is a bare year or a typo, not a date.
_FIRST_SERIAL = 7306


@dataclass(frozen=True)
class RowError:
    """One problem, named by its Excel row (None for the file as a whole) and column header."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row else "文件"
        if self.column:
            where += f"“{self.column}”列"
        return f"{where}：{self.message}"


@dataclass
class RosterRow:
    number: int  # the row number Excel shows, so messages point where the user looks
    values: dict[str, Any]  # header → the cell's value as read


@dataclass
class ParsedRoster:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)  # problems with the file itself


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_readable: bool = True  # False when the file itself (format, headers) is the problem

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def summary(self) -> str:
        return f"新增 {self.created} 人、更新 {self.updated} 人、未变 {self.unchanged} 人"

    @property
    def has_row_errors(self) -> bool:
        """True when the errors point at data rows, so an annotated copy of the file helps."""
        return self.file_readable and any(e.row for e in self.errors)


class _CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Reading the workbook ---------------------------------------------------------------------------


def _read_bytes(file: Any) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    if hasattr(file, "seek"):
        file.seek(0)
    if hasattr(file, "chunks"):
        return b"".join(file.chunks())
    return bytes(file.read())


def _open_workbook(content: bytes, *, read_only: bool) -> WorkbookType:
    if not content:
        raise DomainError("上传的文件是空的。")
    if content.startswith(_OLE_MAGIC):
        raise DomainError(
            "这是旧版 Excel（.xls）文件，请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再导入。"
        )
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise DomainError("上传的文件不是 Excel 工作簿（.xlsx），请使用导入模板填写后上传。")
    try:
        return load_workbook(io.BytesIO(content), read_only=read_only, data_only=True)
    except Exception as exc:  # a damaged workbook fails in many different ways inside openpyxl
        raise DomainError(
            "无法读取该 Excel 文件，文件可能已损坏，请重新保存为 .xlsx 后再试。"
        ) from exc


def _roster_sheet(workbook: WorkbookType) -> Any:
    if SHEET_TITLE in workbook.sheetnames:
        return workbook[SHEET_TITLE]
    sheets = [ws for ws in workbook.worksheets if ws.title != HELP_SHEET_TITLE]
    return sheets[0] if sheets else workbook.worksheets[0]


def _normalize_header(value: Any) -> str:
    if value is None:
        return ""
    text = re.sub(r"\s+", "", str(value)).replace("（必填）", "").rstrip("*＊")
    return _HEADER_ALIASES.get(text, text)


def _find_header(rows: Iterable[tuple[Any, ...]]) -> tuple[int, dict[int, str], list[str]] | None:
    """The header row's number, its known columns (index → header) and every header text in it."""
    for number, row in enumerate(rows, start=1):
        if number > _HEADER_SCAN_ROWS:
            return None
        texts = [_normalize_header(v) for v in row]
        if sum(1 for t in texts if t in _COLUMN_OF_HEADER) >= 2:
            return number, {i: t for i, t in enumerate(texts) if t in _COLUMN_OF_HEADER}, texts
    return None


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def roster_parse(file: Any) -> ParsedRoster:
    """The data rows of an uploaded roster; problems with the file itself land in `errors`."""
    parsed = ParsedRoster()
    try:
        workbook = _open_workbook(_read_bytes(file), read_only=True)
    except DomainError as error:
        parsed.errors.append(RowError(None, "", error.message))
        return parsed
    try:
        sheet = _roster_sheet(workbook)
        # Some programs write a wrong size into the file; forgetting it makes every row count.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        found = _find_header(rows)
        if found is None:
            parsed.errors.append(
                RowError(
                    1,
                    "",
                    "找不到表头。第一行应是“" + "、".join(HEADERS) + "”，请使用导入模板。",
                )
            )
            return parsed
        header_row, columns, texts = found
        counts = Counter(t for t in texts if t in _COLUMN_OF_HEADER)
        for header, count in counts.items():
            if count > 1:
                parsed.errors.append(
                    RowError(header_row, header, f"表头中“{header}”列出现了 {count} 次。")
                )
        for header in HEADERS:
            if header not in counts:
                parsed.errors.append(
                    RowError(header_row, header, f"表头缺少“{header}”列，请使用导入模板。")
                )
        if parsed.errors:
            return parsed
        for number, row in enumerate(rows, start=header_row + 1):
            values = {header: row[i] if i < len(row) else None for i, header in columns.items()}
            if all(_is_blank(v) for v in values.values()):
                continue
            if _text(values["人员编号"]) == EXAMPLE_CODE:
                continue
            if len(parsed.rows) >= MAX_ROWS:
                parsed.errors.append(
                    RowError(None, "", f"一次最多导入 {MAX_ROWS} 人，请把文件拆分后分批导入。")
                )
                return parsed
            parsed.rows.append(RosterRow(number=number, values=values))
    finally:
        workbook.close()
    if not parsed.rows:
        parsed.errors.append(RowError(None, "", "文件中没有人员数据（表头下面是空的）。"))
    return parsed


# Cell values ------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    return str(value).replace("\u3000", " ").replace("\xa0", " ").strip()


def _date(value: Any) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    shown = f"“{text}”不是有效的日期，请写成 2008-07-01、2008.07.01 或 2008年7月1日。"
    if isinstance(value, int | float) and not isinstance(value, bool) and len(text) != 8:
        # A number formatted as a number in Excel: a serial day count.
        if not _FIRST_SERIAL <= value <= 2958465:
            raise _CellError(shown)
        converted = from_excel(value)
        return converted.date() if isinstance(converted, datetime.datetime) else None
    match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if match:
        parts = list(match.groups())
    else:
        if not re.fullmatch(r"\d{4}\s*[-./年]\s*\d{1,2}(\s*[-./月]\s*\d{1,2}\s*日?|\s*月?)", text):
            raise _CellError(shown)
        parts = re.findall(r"\d+", text)
    year, month = int(parts[0]), int(parts[1])
    # 入党时间 is often recorded to the month only (2008.07): read it as the first of the month.
    day = int(parts[2]) if len(parts) > 2 else 1
    if year < 1900:
        raise _CellError(shown)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise _CellError(shown) from None


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).upper()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _CellError(f"“{_text(value)}”只能填“是”或“否”（不填视为“否”）。")


def _choice_labels(choices: type[models.TextChoices]) -> list[str]:
    return [str(label) for value, label in choices.choices if value]


def _choice(column: Column, value: Any) -> str:
    assert column.choices is not None
    text = re.sub(r"\s+", "", _text(value))
    if text in _EMPTY_CHOICE:
        if column.required:
            raise _CellError(f"{column.header}不能为空。")
        return ""
    by_label = {str(label): str(v) for v, label in column.choices.choices if v}
    by_label.update(_CHOICE_ALIASES.get(column.field, {}))
    if text in by_label:
        return by_label[text]
    allowed = "、".join(_choice_labels(column.choices))
    raise _CellError(f"“{text}”不是可选的{column.header}，可选：{allowed}。")


class _Organizations:
    """The tenant's organizations by name: what the importer may import into, and export labels."""

    def __init__(self, *, tenant_id: int, user: Any) -> None:
        self.by_id: dict[int, Organization] = {
            o.pk: o
            for o in Organization.objects.filter(tenant_id=tenant_id).only(
                "id", "name", "path", "tenant_id"
            )
        }
        self.segments: dict[int, tuple[str, ...]] = {
            pk: tuple(self.by_id[i].name for i in o.ancestor_ids if i in self.by_id)
            for pk, o in self.by_id.items()
        }
        self.by_name: dict[str, list[int]] = {}
        for pk, o in self.by_id.items():
            self.by_name.setdefault(o.name, []).append(pk)
        self.suffix_counts: Counter[tuple[str, ...]] = Counter(
            segments[-k:]
            for segments in self.segments.values()
            for k in range(1, len(segments) + 1)
        )
        self.importable: set[int] = set()
        self.viewable: set[int] = set()
        if user is not None:
            scoped = Organization.objects.filter(tenant_id=tenant_id)
            self.importable = set(
                restrict(scoped, user, path_field="path", capability=Capability.IMPORT).values_list(
                    "pk", flat=True
                )
            )
            self.viewable = set(
                restrict(scoped, user, path_field="path").values_list("pk", flat=True)
            )

    def full_name(self, pk: int) -> str:
        return "/".join(self.segments[pk])

    def label(self, pk: int) -> str:
        """The shortest path that names this organization alone in the whole tenant."""
        segments = self.segments[pk]
        for k in range(1, len(segments) + 1):
            if self.suffix_counts[segments[-k:]] == 1:
                return "/".join(segments[-k:])
        return "/".join(segments)

    def resolve(self, value: Any) -> Organization:
        text = _text(value)
        if not text:
            raise _CellError("所在组织不能为空。")
        wanted = tuple(s.strip() for s in re.split(r"[/／]", text) if s.strip())
        if not wanted:
            raise _CellError(f"找不到名为“{text}”的组织，请核对名称。")
        candidates = [
            pk
            for pk in self.by_name.get(wanted[-1], [])
            if self.segments[pk][-len(wanted) :] == wanted
        ]
        importable = [pk for pk in candidates if pk in self.importable]
        if len(importable) == 1:
            return self.by_id[importable[0]]
        if len(importable) > 1:
            examples = "、".join(f"“{self.label(pk)}”" for pk in importable[:3])
            raise _CellError(f"有多个名为“{text}”的组织，请写出上级组织以区分，如{examples}。")
        if any(pk in self.viewable for pk in candidates):
            raise _CellError(f"“{text}”不在您可以导入的范围内，您只能导入本组织及下级组织的人员。")
        raise _CellError(f"找不到名为“{text}”的组织，请核对名称（须与组织架构中的名称一致）。")


def _convert(column: Column, value: Any, organizations: _Organizations) -> Any:
    if column.kind == Kind.ORGANIZATION:
        return organizations.resolve(value)
    if column.kind == Kind.DATE:
        return _date(value)
    if column.kind == Kind.FLAG:
        return _flag(value)
    if column.kind == Kind.CHOICE:
        return _choice(column, value)
    text = _text(value)
    max_length = _MAX_LENGTH.get(column.field)
    if max_length and len(text) > max_length:
        raise _CellError(f"{column.header}最多 {max_length} 个字，现有 {len(text)} 个字。")
    return text


# Validation -------------------------------------------------------------------------------------


@dataclass
class _Prepared:
    row: int
    data: PersonData


def _existing_people(*, tenant: Tenant, codes: list[str], lock: bool) -> dict[str, Person]:
    found: dict[str, Person] = {}
    for start in range(0, len(codes), 1000):
        queryset = Person.objects.filter(tenant=tenant, code__in=codes[start : start + 1000])
        if lock:
            queryset = queryset.select_for_update()
        found.update((p.code, p) for p in queryset)
    return found


def _prepare(
    *, tenant: Tenant, user: Any, parsed: ParsedRoster, lock: bool = False
) -> tuple[list[_Prepared], dict[str, Person], list[RowError]]:
    if parsed.errors:
        return [], {}, list(parsed.errors)
    organizations = _Organizations(tenant_id=tenant.pk, user=user)
    codes = sorted({_text(row.values.get("人员编号")) for row in parsed.rows} - {""})
    existing = _existing_people(tenant=tenant, codes=codes, lock=lock)
    placeholder = Organization(tenant_id=tenant.pk)
    errors: list[RowError] = []
    prepared: list[_Prepared] = []
    first_row_of_code: dict[str, int] = {}
    for row in parsed.rows:
        values: dict[str, Any] = {}
        row_errors: list[RowError] = []
        for column in COLUMNS:
            try:
                values[column.field] = _convert(
                    column, row.values.get(column.header), organizations
                )
            except _CellError as error:
                row_errors.append(RowError(row.number, column.header, error.message))
        bad_columns = {e.column for e in row_errors}
        code = values.get("code", "")
        person = existing.get(code) if code else None
        if code and code in first_row_of_code:
            row_errors.append(
                RowError(
                    row.number,
                    "人员编号",
                    f"人员编号“{code}”与第 {first_row_of_code[code]} 行重复。",
                )
            )
        elif code:
            first_row_of_code[code] = row.number
        if person is not None and person.organization_id not in organizations.importable:
            row_errors.append(
                RowError(
                    row.number,
                    "人员编号",
                    f"人员编号“{code}”已被您管辖范围以外的人员使用，不能通过导入修改，请核对编号。",
                )
            )
        phone = values.get("phone", "")
        if person is not None and "*" in phone and phone == mask_phone(person.phone):
            # A masked export read back in: the number itself has not changed.
            values["phone"] = person.phone
        # A cell that could not be read keeps the field's default, so the other rules still run.
        data = PersonData(
            code=values.pop("code", ""),
            name=values.pop("name", ""),
            organization=values.pop("organization", None) or placeholder,
            status=values.pop("status", ""),
            **values,
        )
        for problem in person_validate(tenant=tenant, data=data):
            header = HEADER_OF_FIELD.get(problem.field or "", "")
            if header in bad_columns:
                continue
            if "政治面貌" in bad_columns and problem.field in _STATUS_DEPENDENT:
                continue
            row_errors.append(RowError(row.number, header, problem.message))
        if row_errors:
            errors.extend(row_errors)
        else:
            prepared.append(_Prepared(row=row.number, data=data))
    return prepared, existing, errors


def roster_validate(*, tenant: Tenant, user: Any, parsed: ParsedRoster) -> list[RowError]:
    """Every problem of every row, each naming its row and column; empty when it may be imported."""
    return _prepare(tenant=tenant, user=user, parsed=parsed)[2]


# Import -----------------------------------------------------------------------------------------


def _snapshot(person: Person) -> Person:
    return Person(**{f.attname: getattr(person, f.attname) for f in Person._meta.concrete_fields})


def _assign(person: Person, data: PersonData) -> None:
    for name in _PERSON_FIELDS:
        setattr(person, name, getattr(data, name))
    person.name_pinyin = name_pinyin(person.name)
    person.name_initials = name_initials(person.name)


def _same(before: Person, after: Person) -> bool:
    return all(getattr(before, name) == getattr(after, name) for name in _ATTNAMES)


def _audit(
    *,
    tenant: Tenant,
    user: Any,
    created: list[Person],
    updated: list[tuple[Person, Person]],
) -> None:
    """Audit entries for rows written in bulk, which bypasses the model signals auditlog relies on."""
    content_type = ContentType.objects.get_for_model(Person)
    actor = user if getattr(user, "is_authenticated", False) else None
    context = auditlog_value.get({})
    common = {
        "content_type": content_type,
        "actor": actor,
        "actor_email": getattr(actor, "email", None) or None,
        "remote_addr": context.get("remote_addr"),
        "cid": get_cid(),
        "tenant": tenant,
        "additional_data": {"via": "roster.import"},
        "timestamp": timezone.now(),
    }
    as_json = settings.AUDITLOG_STORE_JSON_CHANGES
    entries = [
        AuditEntry(
            object_pk=str(person.pk),
            object_id=person.pk,
            object_repr=str(person),
            action=AuditEntry.Action.CREATE,
            changes=model_instance_diff(None, person, use_json_for_changes=as_json),
            **common,
        )
        for person in created
    ]
    entries += [
        AuditEntry(
            object_pk=str(after.pk),
            object_id=after.pk,
            object_repr=str(after),
            action=AuditEntry.Action.UPDATE,
            changes=model_instance_diff(before, after, use_json_for_changes=as_json),
            **common,
        )
        for before, after in updated
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)


def roster_import(*, tenant: Tenant, user: Any, file: Any) -> ImportResult:
    """Import a roster file: all rows or, when any row is wrong, none (the errors say why)."""
    parsed = roster_parse(file)
    if parsed.errors:
        return ImportResult(errors=parsed.errors, file_readable=False)
    try:
        with transaction.atomic():
            prepared, existing, errors = _prepare(
                tenant=tenant, user=user, parsed=parsed, lock=True
            )
            if errors:
                return ImportResult(errors=errors)
            result = ImportResult()
            now = timezone.now()
            created: list[Person] = []
            updated: list[tuple[Person, Person]] = []
            for item in prepared:
                person = existing.get(item.data.code)
                if person is None:
                    person = Person(tenant=tenant)
                    _assign(person, item.data)
                    created.append(person)
                    continue
                before = _snapshot(person)
                _assign(person, item.data)
                if _same(before, person):
                    result.unchanged += 1
                    continue
                person.updated_at = now
                updated.append((before, person))
            Person.objects.bulk_create(created, batch_size=BATCH_SIZE)
            Person.objects.bulk_update(
                [after for _, after in updated], _UPDATE_FIELDS, batch_size=BATCH_SIZE
            )
            _audit(tenant=tenant, user=user, created=created, updated=updated)
            result.created = len(created)
            result.updated = len(updated)
            return result
    except IntegrityError:
        return ImportResult(
            errors=[
                RowError(
                    None,
                    "人员编号",
                    "保存时发现人员编号冲突（可能有人同时在导入），本次没有导入任何数据，请稍后重试。",
                )
            ]
        )


# Writing workbooks ------------------------------------------------------------------------------


def _save(workbook: WorkbookType) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _export_rows(
    *, queryset: QuerySet[Person], user: Any, organizations: _Organizations
) -> Iterator[list[Any]]:
    # Plain tuples rather than model instances: at tens of thousands of rows the instances cost more
    # than writing the cells.
    fields = [c.field if c.kind != Kind.ORGANIZATION else "organization_id" for c in COLUMNS]
    labels = {
        c.field: {value: str(label) for value, label in c.choices.choices if value}
        for c in COLUMNS
        if c.choices is not None
    }
    phone_visible: dict[int, bool] = {}
    labels_of_organization: dict[int, str] = {}
    for values in queryset.values_list(*fields).iterator(chunk_size=2000):
        row: list[Any] = []
        for column, value in zip(COLUMNS, values, strict=True):
            if column.kind == Kind.ORGANIZATION:
                if value not in labels_of_organization:
                    labels_of_organization[value] = organizations.label(value)
                    # Phones are visible per organization, so one check covers all its people.
                    phone_visible[value] = user.has_perm(
                        "people.view_phone", organizations.by_id[value]
                    )
                row.append(labels_of_organization[value])
            elif column.kind == Kind.FLAG:
                row.append("是" if value else "否")
            elif column.kind == Kind.CHOICE:
                row.append(labels[column.field].get(value))
            else:
                # Empty cells are left out of the file entirely, which is what an empty value is.
                row.append(value if value != "" else None)
        phone = row[_PHONE_INDEX]
        if phone and not phone_visible[values[_ORGANIZATION_INDEX]]:
            row[_PHONE_INDEX] = mask_phone(phone)
        yield row


def roster_export(*, queryset: QuerySet[Person], user: Any) -> bytes:
    """The people of the queryset as a roster workbook that imports back unchanged.

    Written in openpyxl's write-only mode, which streams rows instead of holding a cell object per
    value, so tens of thousands of people stay within modest memory. Phones are masked where the
    user may not see them (people.view_phone at the person's organization).
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        header.append(cell)
    sheet.append(header)
    tenant_id = getattr(user, "tenant_id", None)
    if tenant_id is not None:
        organizations = _Organizations(tenant_id=tenant_id, user=None)
        for row in _export_rows(queryset=queryset, user=user, organizations=organizations):
            sheet.append(row)
    return _save(workbook)


_EXAMPLE_ROW: dict[str, Any] = {
    "人员编号": EXAMPLE_CODE,
    "姓名": "张三",
    "性别": "男",
    "出生日期": datetime.date(1985, 3, 1),
    "政治面貌": "正式党员",
    "群众类别": "",
    "入党时间": datetime.date(2008, 7, 1),
    "转正时间": datetime.date(2009, 7, 1),
    "所在组织": "语文党支部",
    "岗位类别": "一线教师",
    "职务": "语文教研组长",
    "党务工作者": "否",
    "领导班子成员": "否",
    "新党员": "否",
    "手机号": "13800138000",
}


def _allowed_values(column: Column) -> list[str]:
    if column.kind == Kind.CHOICE and column.choices is not None:
        return _choice_labels(column.choices)
    if column.kind == Kind.FLAG:
        return ["是", "否"]
    return []


def roster_template() -> bytes:
    """The blank roster to fill in: headers, a grey example row, drop-downs and a 说明 sheet."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    last_row = MAX_ROWS + 1
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        if column.note:
            cell.comment = Comment(column.note, "先锋")
        example = sheet.cell(row=2, column=index, value=_EXAMPLE_ROW[column.header])
        example.font = _EXAMPLE_FONT
        if column.kind == Kind.DATE:
            example.number_format = "yyyy-mm-dd"
        allowed = _allowed_values(column)
        if allowed:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(allowed) + '"',
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle="输入有误",
                error=f"请从下拉列表中选择{column.header}。",
            )
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{last_row}")
    sheet.freeze_panes = "A2"
    _write_help_sheet(workbook.create_sheet(HELP_SHEET_TITLE))
    return _save(workbook)


def _write_help_sheet(sheet: Any) -> None:
    sheet.append(["填写说明"])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in (
        f"1. 在“{SHEET_TITLE}”表中每行填写一人，表头不要改动；灰色斜体的示例行（人员编号为“{EXAMPLE_CODE}”）导入时会被忽略。",
        "2. 人员编号在本教育系统内唯一：编号已存在的人会被更新，新编号新增一人；导入不会删除任何人。",
        "3. 任何一行有错时整份文件都不会导入，页面会列出所有错误，并可下载标出错误的文件，改正后重新上传即可。",
        "4. 日期可写成 2008-07-01、2008.07.01 或 2008年7月1日；只写到月（如 2008.07）时按当月 1 日记录。",
        f"5. 一次最多导入 {MAX_ROWS} 人。",
    ):
        sheet.append([line])
    sheet.append([])
    header_row = sheet.max_row + 1
    sheet.append(["列名", "是否必填", "可选值", "说明"])
    for cell in sheet[header_row]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    for column in COLUMNS:
        sheet.append(
            [
                column.header,
                "必填" if column.required else "选填",
                "、".join(_allowed_values(column)),
                column.note or ("日期" if column.kind == Kind.DATE else ""),
            ]
        )
    for letter, width in (("A", 14), ("B", 10), ("C", 60), ("D", 70)):
        sheet.column_dimensions[letter].width = width


def roster_error_workbook(*, file: Any, errors: list[RowError]) -> bytes:
    """The uploaded sheet as it was, with a 错误 column listing each row's errors and bad cells red."""
    workbook = _open_workbook(_read_bytes(file), read_only=False)
    sheet = _roster_sheet(workbook)
    found = _find_header(sheet.iter_rows(max_row=_HEADER_SCAN_ROWS, values_only=True))
    if found is None:
        raise DomainError("文件中找不到表头，无法标注错误。")
    header_row, columns, texts = found
    index_of = {header: i + 1 for i, header in columns.items()}
    if ERROR_HEADER in texts:
        error_column = texts.index(ERROR_HEADER) + 1
        # The file is a corrected earlier error file: last round's marks are stale.
        for row in sheet.iter_rows(min_row=header_row + 1):
            for cell in row:
                if cell.fill == _ERROR_FILL:
                    cell.fill = PatternFill()
            if len(row) >= error_column:
                row[error_column - 1].value = None
    else:
        error_column = len(texts) + 1
        while error_column > 1 and texts[error_column - 2] == "":
            error_column -= 1
    header = sheet.cell(row=header_row, column=error_column, value=ERROR_HEADER)
    header.font = _ERROR_FONT
    header.fill = _ERROR_FILL
    sheet.column_dimensions[get_column_letter(error_column)].width = 60
    by_row: dict[int, list[RowError]] = {}
    for error in errors:
        if error.row and error.row > header_row:
            by_row.setdefault(error.row, []).append(error)
    for number, row_errors in by_row.items():
        for error in row_errors:
            if error.column in index_of:
                sheet.cell(row=number, column=index_of[error.column]).fill = _ERROR_FILL
        cell = sheet.cell(
            row=number,
            column=error_column,
            value="；".join(
                f"{e.column}：{e.message}" if e.column else e.message for e in row_errors
            ),
        )
        cell.font = _ERROR_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return _save(workbook)
