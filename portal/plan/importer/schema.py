"""Strict validation of the plan data file, before anything touches the database.

Every error names the entry (by its path and key) and the field, so a reviewer can find it in
the YAML at once. Unknown keys are errors too: a typo must not silently drop a value.
"""

import datetime
from decimal import Decimal, InvalidOperation

COMPARATORS = {">=", "<=", "=", "range"}
BETTER = {"higher", "lower"}
DEPARTMENT_KINDS = {"municipal", "town", "group", "other"}


class PlanDataError(Exception):
    def __init__(self, where: str, field: str | None, message: str):
        self.where, self.field, self.message = where, field, message
        location = f"{where} 的字段 “{field}”" if field else where
        super().__init__(f"{location}:{message}")


def text(value, where, field, required=True):
    if value is None or value == "":
        if required:
            raise PlanDataError(where, field, "不能为空")
        return ""
    if not isinstance(value, str):
        raise PlanDataError(where, field, f"应为文字,实为 {value!r}")
    return value.strip()


def optional_text(value, where, field):
    return text(value, where, field, required=False)


def number(value, where, field, required=True):
    if value is None:
        if required:
            raise PlanDataError(where, field, "不能为空")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise PlanDataError(where, field, f"应为数字,实为 {value!r}")
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        raise PlanDataError(where, field, f"应为数字,实为 {value!r}") from None
    if not result.is_finite():
        raise PlanDataError(where, field, f"应为有限数字,实为 {value!r}")
    return result


def optional_number(value, where, field):
    return number(value, where, field, required=False)


def integer(value, where, field, required=True):
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise PlanDataError(where, field, f"应为整数,实为 {value!r}")
    return value


def optional_integer(value, where, field):
    return integer(value, where, field, required=False)


def year(value, where, field, required=True):
    result = integer(value, where, field, required)
    if result is not None and not 1990 <= result <= 2100:
        raise PlanDataError(where, field, f"年份不合理:{result}")
    return result


def optional_year(value, where, field):
    return year(value, where, field, required=False)


def date(value, where, field):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise PlanDataError(where, field, f"应为日期(YYYY-MM-DD),实为 {value!r}")


def timestamp(value, where, field):
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.datetime.strptime(value, "%Y-%m-%d %H:%M")
        except ValueError:
            pass
    raise PlanDataError(where, field, f"应为时间(YYYY-MM-DD HH:MM),实为 {value!r}")


def choice(options):
    def check(value, where, field):
        if value not in options:
            raise PlanDataError(where, field, f"应为 {'、'.join(sorted(options))} 之一,实为 {value!r}")
        return value

    return check


def key_list(value, where, field):
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(k, str) and k for k in value):
        raise PlanDataError(where, field, f"应为部门标识列表,实为 {value!r}")
    return value


def repairs(value, where, field):
    if value is None:
        return None
    if not isinstance(value, dict):
        raise PlanDataError(where, field, f"应为包含 original 和 note 的条目,实为 {value!r}")
    return check_entry(value, REPAIR, f"{where}.{field}")


def entries(spec, label_field=None):
    def check(value, where, field):
        if value is None:
            return []
        if not isinstance(value, list):
            raise PlanDataError(where, field, "应为列表")
        result = []
        for i, item in enumerate(value):
            label = item.get(label_field) if isinstance(item, dict) and label_field else None
            item_where = f"{where}.{field}[{i}]" + (f"({label})" if label else "")
            if not isinstance(item, dict):
                raise PlanDataError(item_where, None, "应为键值条目")
            result.append(check_entry(item, spec, item_where))
        return result

    return check


def check_entry(entry: dict, spec: dict, where: str) -> dict:
    unknown = set(entry) - set(spec)
    if unknown:
        raise PlanDataError(where, sorted(unknown)[0], "未知字段(拼写错误?)")
    return {field: checker(entry.get(field), where, field) for field, checker in spec.items()}


REPAIR = {"original": text, "note": text, "repaired": optional_text}

INDICATOR = {
    "code": text,
    "name": text,
    "unit": optional_text,
    "comparator": choice(COMPARATORS),
    "target": number,
    "target_max": optional_number,
    "target_year": year,
    "baseline": optional_number,
    "baseline_year": optional_year,
    "reference": optional_text,
    "reference_value": optional_number,
    "better": choice(BETTER),
    "quote": text,
    "repair": repairs,
}

TASK = {
    "number": integer,
    "title": text,
    "text": text,
    "lead": key_list,
    "responsible": key_list,
    "partners": key_list,
    "indicators": entries(INDICATOR, "code"),
}

DOMAIN = {
    "key": text,
    "number": integer,
    "title": text,
    "goal": text,
    "lead": key_list,
    "responsible": key_list,
    "partners": key_list,
    "indicators": entries(INDICATOR, "code"),
    "tasks": entries(TASK, "number"),
}

MECHANISM = {
    "key": text,
    "number": integer,
    "title": text,
    "text": optional_text,
    "lead": key_list,
    "partners": key_list,
    "items": entries(TASK, "number"),
}

DEPARTMENT = {"key": text, "name": text, "kind": choice(DEPARTMENT_KINDS)}

PHASE = {"number": integer, "title": text, "start_date": date, "end_date": date, "description": text}

DOCUMENT = {
    "number": text,
    "title": text,
    "issuer": text,
    "publisher": optional_text,
    "issued_on": date,
    "published_at": timestamp,
    "disclosure": optional_text,
    "adopted_by": optional_text,
    "text_file": text,
    "repairs": entries(REPAIR, "original"),
}

PLAN = {
    "title": text,
    "short_title": text,
    "start_date": date,
    "end_date": date,
    "guiding_ideology": optional_text,
    "general_requirements": optional_text,
    "organization": optional_text,
}


def _section(value, where, field):
    if not isinstance(value, dict):
        raise PlanDataError(where, field, "缺少或不是键值条目")
    return value


ROOT = {
    "document": lambda v, w, f: check_entry(_section(v, w, f), DOCUMENT, f),
    "plan": lambda v, w, f: check_entry(_section(v, w, f), PLAN, f),
    "departments": entries(DEPARTMENT, "key"),
    "phases": entries(PHASE, "number"),
    "domains": entries(DOMAIN, "key"),
    "mechanisms": entries(MECHANISM, "key"),
}

MEASUREMENT = {"indicator": text, "date": date, "value": number, "source": text, "note": optional_text}


def text_list(value, where, field):
    return [text(item, where, field) for item in (value or [])]


SAMPLE_UPDATE = {
    "slug": text,
    "title": text,
    "published_at": timestamp,
    "summary": text,
    "domains": key_list,
    "paragraphs": text_list,
}
# Consultations' dates are days from the load (negative: before it), so that the open one is open whenever
# `make run` loads it.
SAMPLE_CONSULTATION = {
    "slug": text,
    "title": text,
    "domain": optional_text,
    "summary": text,
    "background": text_list,
    "questions": text_list,
    "opens_in_days": integer,
    "closes_in_days": integer,
    "outcome": text_list,
}
SAMPLES = {
    "measurements": entries(MEASUREMENT, "indicator"),
    "updates": entries(SAMPLE_UPDATE, "slug"),
    "consultations": entries(SAMPLE_CONSULTATION, "slug"),
}


def _all_indicators(data):
    for domain in data["domains"]:
        yield from ((domain["key"], i) for i in domain["indicators"])
        for task in domain["tasks"]:
            yield from ((f"{domain['key']} 任务{task['number']}", i) for i in task["indicators"])
    for mechanism in data["mechanisms"]:
        for item in mechanism["items"]:
            yield from ((f"{mechanism['key']} 第{item['number']}项", i) for i in item["indicators"])


def validate_plan(raw) -> dict:
    """The checked, typed plan data, or PlanDataError naming the first problem."""
    if not isinstance(raw, dict):
        raise PlanDataError("文件", None, "顶层应为键值条目(document、plan、departments …)")
    data = check_entry(raw, ROOT, "文件")
    keys = [d["key"] for d in data["departments"]]
    duplicates = {k for k in keys if keys.count(k) > 1}
    if duplicates:
        raise PlanDataError("departments", "key", f"部门标识重复:{'、'.join(sorted(duplicates))}")
    known = set(keys)
    for kind, sections in (("domains", data["domains"]), ("mechanisms", data["mechanisms"])):
        for section in sections:
            for unit in [section] + section.get("tasks", []) + section.get("items", []):
                for role in ("lead", "responsible", "partners"):
                    missing = [k for k in unit.get(role, []) if k not in known]
                    if missing:
                        label = section["key"] if unit is section else f"{section['key']} 第{unit['number']}项"
                        raise PlanDataError(f"{kind}({label})", role, f"未定义的部门标识:{'、'.join(missing)}")
    codes = set()
    for where, indicator in _all_indicators(data):
        where = f"{where} 指标 {indicator['code']}"
        if indicator["code"] in codes:
            raise PlanDataError(where, "code", "指标编号重复")
        codes.add(indicator["code"])
        if (indicator["comparator"] == "range") != (indicator["target_max"] is not None):
            raise PlanDataError(where, "target_max", "只有目标关系为 range 时才填写,且必须填写")
        if indicator["unit"] == "%" and not 0 <= indicator["target"] <= 100:
            raise PlanDataError(where, "target", "百分比目标应在 0 到 100 之间")
    for phase in data["phases"]:
        if phase["end_date"] < phase["start_date"]:
            raise PlanDataError(f"phases[{phase['number']}]", "end_date", "结束日期早于开始日期")
    if data["plan"]["end_date"] < data["plan"]["start_date"]:
        raise PlanDataError("plan", "end_date", "结束日期早于开始日期")
    return data


def validate_samples(raw) -> dict:
    if not isinstance(raw, dict):
        raise PlanDataError("示例数据文件", None, "顶层应为 measurements 与 updates 列表")
    return check_entry(raw, SAMPLES, "示例数据文件")
