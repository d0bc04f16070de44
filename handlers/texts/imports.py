"""Texts of the admin command line: spreadsheet imports, the demo seed, invite codes."""

from handlers.texts import register

_ROW = {
    "import_cell_error": {"zh": "第{row}行 “{column}” 列：{reason}", "en": "Row {row}, column \"{column}\": {reason}"},
    "import_row_error": {"zh": "第{row}行：{reason}", "en": "Row {row}: {reason}"},
    "import_rejected": {
        "zh": "文件未导入，没有写入任何数据。请改正以下问题后重新导入：",
        "en": "The file was not imported; nothing was written. Fix these and import it again:",
    },
    "import_more_errors": {
        "zh": "……还有更多错误，只列出了前{limit}条。",
        "en": "…and more; only the first {limit} are listed.",
    },
    "import_missing_column": {"zh": "缺少“{name}”列", "en": "the column \"{name}\" is missing"},
    "import_column_twice": {"zh": "这一列重复出现", "en": "this column appears twice"},
    "import_no_rows": {"zh": "表格里没有数据行", "en": "the sheet has no data rows"},
    "import_empty": {"zh": "不能为空", "en": "must not be empty"},
    "import_not_number": {"zh": "不是数字 “{value}”", "en": "not a number \"{value}\""},
    "import_too_many_decimals": {
        "zh": "最多两位小数 “{value}”", "en": "at most two decimals \"{value}\"",
    },
    "import_negative": {"zh": "金额不能为负数 “{value}”", "en": "must not be negative \"{value}\""},
    "import_area_range": {
        "zh": "面积应在1到10000平方米之间 “{value}”", "en": "area must be 1 to 10000 m² \"{value}\"",
    },
    "import_too_long": {"zh": "太长了（最多{limit}个字）", "en": "too long (at most {limit} characters)"},
    "import_not_whole_number": {"zh": "不是整数 “{value}”", "en": "not a whole number \"{value}\""},
    "import_out_of_range": {
        "zh": "应在{low}到{high}之间 “{value}”", "en": "must be between {low} and {high} \"{value}\"",
    },
    "import_bad_phone": {
        "zh": "不是有效的手机号（11位）或带区号的座机号 “{value}”",
        "en": "not a valid 11-digit mobile or landline with area code \"{value}\"",
    },
    "import_bad_period": {
        "zh": "账期格式不对 “{value}”，应写成 2026-10、2026年10月 或 2026",
        "en": "bad period \"{value}\"; write 2026-10 or 2026",
    },
    "import_bad_date": {
        "zh": "日期格式不对 “{value}”，应写成 2026-10-31 或 2026/10/31",
        "en": "bad date \"{value}\"; write 2026-10-31",
    },
    "import_bad_paid": {
        "zh": "应填 是/否（或 已缴/未缴、1/0） “{value}”", "en": "write yes or no \"{value}\"",
    },
    "import_unknown_item": {
        "zh": "不认识的收费项目 “{value}”，可用：物业费、水费、电费、燃气费、暖气费、停车费",
        "en": "unknown item \"{value}\"; use property_fee, water, electricity, gas, heating or parking",
    },
    "import_unknown_role": {
        "zh": "不认识的岗位 “{value}”，可用：经理、维修、保洁、保安、财务、前台",
        "en": "unknown role \"{value}\"; use manager, repair, cleaning, security, finance or front_desk",
    },
    "import_unknown_category": {
        "zh": "不认识的维修类别 “{value}”，可用：水电、水、电、电梯、门禁、燃气、暖气、土建、公共设施、消防、其他",
        "en": "unknown repair category \"{value}\"",
    },
    "import_duplicate_row": {"zh": "与第{other}行重复", "en": "repeats row {other}"},
    "import_conflict": {
        "zh": "与第{other}行不一致 “{value}”", "en": "contradicts row {other} \"{value}\"",
    },
    "import_phone_other_name": {
        "zh": "同一电话 {phone} 在第{other}行登记的是另一个姓名",
        "en": "the same phone {phone} has another name in row {other}",
    },
    "import_unknown_community": {
        "zh": "找不到小区 “{value}”，请先导入房屋", "en": "no community \"{value}\"; import homes first",
    },
    "import_unknown_home": {
        "zh": "在{community}找不到房屋 {home}，请先导入房屋",
        "en": "no home {home} in {community}; import homes first",
    },
    "import_unknown_building": {
        "zh": "找不到楼栋 “{value}”（可写成 小区名/楼号）",
        "en": "no building \"{value}\" (write community/building)",
    },
    "import_ambiguous_building": {
        "zh": "楼栋 “{value}” 不止一个：{options}，请写成 小区名/楼号",
        "en": "building \"{value}\" is ambiguous: {options}; write community/building",
    },
}

_SUMMARY = {
    "import_done": {"zh": "导入完成：{kind}，共{rows}行。", "en": "Imported {kind}: {rows} rows."},
    "import_count_line": {
        "zh": "  {entity}：新增{created}，更新{updated}，未变{unchanged}",
        "en": "  {entity}: {created} new, {updated} updated, {unchanged} unchanged",
    },
    "import_kept_paid": {
        "zh": "  其中{count}张账单在系统里已缴，未按表格修改。",
        "en": "  {count} bills are already paid in the system and were left as they are.",
    },
    "import_kind_units": {"zh": "房屋与业主", "en": "homes and owners"},
    "import_kind_bills": {"zh": "账单", "en": "bills"},
    "import_kind_staff": {"zh": "员工", "en": "staff"},
    "import_entity_company": {"zh": "物业公司", "en": "companies"},
    "import_entity_community": {"zh": "小区", "en": "communities"},
    "import_entity_building": {"zh": "楼栋", "en": "buildings"},
    "import_entity_home": {"zh": "房屋", "en": "homes"},
    "import_entity_owner": {"zh": "业主", "en": "owners"},
    "import_entity_membership": {"zh": "业主与房屋关联", "en": "owner–home links"},
    "import_entity_bill": {"zh": "账单", "en": "bills"},
    "import_entity_staff": {"zh": "员工", "en": "staff"},
    "import_dry_run": {
        "zh": "（试运行：文件检查通过，未写入数据库）", "en": "(dry run: the file is valid; nothing was written)",
    },
    "import_unreadable": {"zh": "无法读取文件：{reason}", "en": "Cannot read the file: {reason}"},
}

_ADMIN = {
    "seed_done": {
        "zh": "演示数据已生成：{community}，{homes}套房屋，{owners}位业主，{bills}张账单，{tickets}张工单。网页演示账号 demo 已绑定 {home}。",
        "en": "Demo data created: {community}, {homes} homes, {owners} owners, {bills} bills, {tickets} tickets. Web user demo is bound to {home}.",
    },
    "seed_skipped": {
        "zh": "数据库里已有小区，跳过演示数据。", "en": "A community exists already; the demo seed was skipped.",
    },
    "seed_exists": {
        "zh": "演示小区“{community}”已存在，未重复生成（首次部署请用 --if-empty）。",
        "en": "The demo community \"{community}\" exists already; nothing was added.",
    },
    "seed_needs_demo": {"zh": "目前只支持 --demo", "en": "only --demo is supported"},
    "cli_invite_home": {
        "zh": "{community} {home} 的业主邀请码（{days}天内有效，仅可使用一次）：",
        "en": "Owner invite code for {home}, {community} (valid {days} days, single use):",
    },
    "cli_invite_staff": {
        "zh": "员工 {name}（{phone}，{company}）的绑定码（{days}天内有效，仅可使用一次）：",
        "en": "Staff binding code for {name} ({phone}, {company}), valid {days} days, single use:",
    },
    "cli_invite_bad_home": {
        "zh": "房屋要写成 小区/楼-单元-房号，例如 望京花园/3-2-501",
        "en": "Write the home as community/building-unit-room, e.g. 望京花园/3-2-501",
    },
    "cli_invite_no_home": {"zh": "找不到房屋 {home}", "en": "No such home: {home}"},
    "cli_invite_no_staff": {"zh": "找不到电话为 {phone} 的员工", "en": "No staff with phone {phone}"},
    "cli_invite_many_staff": {
        "zh": "电话 {phone} 对应多位员工（{names}），请先在员工表里区分",
        "en": "Phone {phone} belongs to several staff records ({names})",
    },
    "cli_invite_no_community": {"zh": "找不到小区 {community}", "en": "No such community: {community}"},
    "cli_invite_all_needs_flag": {
        "zh": "为整个小区生成邀请码请同时写 --community 名称 --all",
        "en": "Use --community NAME --all to issue codes for every home",
    },
}

TEXTS: dict[str, dict[str, str]] = {**_ROW, **_SUMMARY, **_ADMIN}

register(TEXTS)
