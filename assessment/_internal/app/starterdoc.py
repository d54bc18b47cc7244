"""The README (in Chinese) that `assessment init` writes beside a starter's files.

Every command it shows runs as shown in the starter's folder: a test runs them.
"""

from __future__ import annotations

from datetime import date, timedelta
from string import Template

__all__ = ["example_as_of", "starter_readme"]

_README = Template("""\
# ${title}：考核起步目录

本目录由 `assessment init` 生成，可以直接计分。${example_note}

| 文件 | 内容 |
| --- | --- |
| `scheme.yaml` | 考核方案（${scheme_id}，版本 ${version}，考核期 ${start} 至 ${end}） |
| `scheme.schema.json` | 方案格式的 JSON Schema：编辑器据此提示字段、检查拼写 |
| `roster.csv` | 被考核单位名单（${units} 个单位） |
| `events.jsonl` | 考核事件台账，每行一个事件（${events} 个事件） |

## 常用命令

在本目录中运行：

```sh
assessment validate scheme.yaml --roster roster.csv --events events.jsonl
assessment score scheme.yaml --roster roster.csv --events events.jsonl
assessment explain scheme.yaml --roster roster.csv --events events.jsonl --unit ${unit}
assessment score scheme.yaml --roster roster.csv --events events.jsonl --as-of ${as_of}
assessment score scheme.yaml --roster roster.csv --events events.jsonl --format csv --output 得分表.csv
```

- `validate`：检查方案、名单和台账，一次列出全部问题（文件、行、字段、怎么改）。
- `score`：计算每个单位的得分并排名；`--format json` 输出带版本号的 JSON 结果，
  `--format csv` 输出 Excel 可直接打开的表格。
- `explain --unit`：逐条列出一个单位每一分的来由（规则、条款、原文、事件）。
- `--as-of 日期`：只计该日期（含）以前的事件，用于月度、季度通报。

## 下一步

1. 在 `roster.csv` 中换上本地区的被考核单位（`id` 为单位代码，`kind` 为单位类别）。
   事件按单位代码对应单位：换了单位，`events.jsonl` 中每个事件的 `unit`
   也要改为新的单位代码，否则 `validate` 会逐条指出未知单位。
2. 用本单位的台账替换 `events.jsonl`：每行一个事件（督查事项交办、办结、延期、
   月报、检查、表扬等），或用 `--events 台账.csv` 读入 CSV 台账；
   台账中至少要有一个事件。
3. 修改方案后先运行 `assessment validate scheme.yaml`，确认方案无误再计分。

命令的全部选项见 `assessment --help` 和 `assessment score --help`；方案格式的全部字段见
`scheme.schema.json`（`assessment schema` 可重新生成）。事件与名单的字段、方案的写法，
详见 assessment 源码包中的文档 docs/events.md 和 docs/scheme-format.md。
""")


_EXAMPLE_NOTE = (
    "\n\n注意：此方案是方案格式的示例（示例方案），不是正式发布的考核方案，"
    "\n只用于了解方案的写法和计分方式。"
)


def example_as_of(start: date, end: date) -> date:
    """A day to show `--as-of` with: the last day of the month before the period's
    middle (a half-year's report), else the middle itself."""
    middle = start + (end - start) / 2
    before = middle.replace(day=1) - timedelta(days=1)  # the last day of the month before
    return middle if before < start else before


def starter_readme(
    *,
    title: str,
    scheme_id: str,
    version: str,
    start: date,
    end: date,
    units: int,
    events: int,
    unit: str,
    example: bool = False,
) -> str:
    """The starter's README: what each file is and the commands to run, with this
    starter's figures and its first unit."""
    return _README.substitute(
        title=title,
        scheme_id=scheme_id,
        version=version,
        start=start.isoformat(),
        end=end.isoformat(),
        units=units,
        events=events,
        unit=unit,
        as_of=example_as_of(start, end).isoformat(),
        example_note=_EXAMPLE_NOTE if example else "",
    )
