"""Texts of binding requests, family members and tenants (issue 7's safety part)."""

from handlers.texts import register

TEXTS: dict[str, dict[str, str]] = {
    # -- binding requests ----------------------------------------------------------------
    "bind_request_made": {
        "zh": "已收到您的绑定申请（房屋 {home}，手机号 {phone}，申请编号 {id}）。为保护住户隐私，房号加手机号绑定需要物业服务中心核实后开通，一般1个工作日内完成，结果会在这里通知您。\n如果物业给过您8位邀请码，直接发送邀请码即可立即绑定；家人或租户请让业主发送“添加家人”或“添加租户”生成邀请码。",
        "en": "Your request to link home {home} (phone {phone}, request no. {id}) is recorded. To protect residents' privacy, linking by home and phone needs the property office to check it first, usually within one working day; you will hear the result here.\nIf the office gave you an 8-character invite code, send it to link at once; family members and tenants can ask the owner to send \"add family\" or \"add tenant\" for a code.",
    },
    "bind_request_pending": {
        "zh": "您绑定 {home} 的申请已提交，正在等待物业服务中心核实，结果会在这里通知您。着急的话可以直接发送物业给您的邀请码，立即绑定。",
        "en": "Your request to link {home} is waiting for the property office to check it; you will hear the result here. If you have an invite code, send it to link at once.",
    },
    "bind_request_too_many": {
        "zh": "今天的绑定申请已经够多了，请等物业核实结果，或携带证件到物业服务中心办理。",
        "en": "That is enough binding requests for today. Please wait for the office's answer, or visit the property office with your ID.",
    },
    "bind_bound_elsewhere": {
        "zh": "本聊天已绑定 {community} {home}（{name}），不能在这里绑定或查看其他房屋的信息，也不会切换过去。\n如需添加房屋：请那套房屋的业主在自己的聊天里发送“添加家人”，把生成的邀请码发给您，您在这里发送邀请码即可；也可以携带证件到物业服务中心办理。",
        "en": "This chat is linked to {home}, {community} ({name}); it cannot link or show another home, and it will not switch to one.\nTo add a home: ask that home's owner to send \"add family\" in their own chat and give you the code, then send the code here; or visit the property office with your ID.",
    },
    "bind_request_approved": {
        "zh": "物业已核实您的绑定申请。{name}，您好，本账号已关联 {community} {home}，现在可以查账单、缴费、报修、看通知了。",
        "en": "The property office has approved your request. Hello {name}, this chat is now linked to {home}, {community}: bills, payments, repairs and notices are open to you.",
    },
    "bind_request_rejected": {
        "zh": "您绑定 {home} 的申请未通过物业核实{note}。如有疑问请联系物业服务中心{phone}，或携带证件到前台办理。",
        "en": "Your request to link {home} was not approved by the property office{note}. Please contact the office{phone}, or visit the front desk with your ID.",
    },
    "bind_request_office_phone": {"zh": "（电话 {phone}）", "en": " (phone {phone})"},
    "binding_request_not_found": {"zh": "没有编号为 {id} 的绑定申请。", "en": "There is no binding request {id}."},
    "binding_request_decided": {
        "zh": "绑定申请 {id} 已处理过（{status}）。", "en": "Binding request {id} was already decided ({status}).",
    },
    "binding_request_no_match": {
        "zh": "绑定申请 {id} 与登记信息不符（该房屋没有登记这个手机号的业主），不能批准；请核实后驳回，或先更新业主登记。",
        "en": "Binding request {id} does not match the register (no owner of that home has this phone); it cannot be approved.",
    },
    "binding_request_identity_taken": {
        "zh": "绑定申请 {id} 的聊天账号已绑定其他人，不能批准。",
        "en": "The chat account of binding request {id} is linked to somebody else; it cannot be approved.",
    },
    # -- family members and tenants ------------------------------------------------------
    "household_role_owner": {"zh": "业主", "en": "owner"},
    "household_role_resident": {"zh": "家人", "en": "family member"},
    "household_role_tenant": {"zh": "租户", "en": "tenant"},
    "household_may_resident": {
        "zh": "可以查看和缴纳本房屋的账单、查看缴费记录、报修、查看通知和房屋信息",
        "en": "may see and pay this home's bills, see its payment history, report repairs, read notices and the home's record",
    },
    "household_may_tenant": {
        "zh": "可以查看和缴纳当前账单、报修、查看通知；看不到业主的缴费记录，也不能添加或删除他人",
        "en": "may see and pay current bills, report repairs and read notices; cannot see the owner's payment history or add or remove people",
    },
    "household_code": {
        "zh": "已为{role}生成 {home} 的一次性邀请码：{code}\n请把邀请码发给对方，对方在微信、Telegram或网页聊天里发送“绑定 {code}”即可，{until} 前有效，只能用一次。\n{role}权限：{may}。\n发送“我家绑定了哪些人”可以查看和删除。",
        "en": "A one-time code for a {role} of {home}: {code}\nGive it to them; they send \"bind {code}\" in WeChat, Telegram or the web chat. Valid until {until}, once.\nA {role} {may}.\nSend \"who is linked\" to see or remove people.",
    },
    "household_list_head": {"zh": "{home} 绑定的人员：", "en": "People linked to {home}:"},
    "household_list_line": {
        "zh": "· {name}（{role}，{accounts}个聊天账号）", "en": "· {name} ({role}, {accounts} chat account(s))",
    },
    "household_list_code": {
        "zh": "· 未使用的邀请码：{label}（{role}，{until} 前有效）",
        "en": "· Unused code: {label} ({role}, valid until {until})",
    },
    "household_list_hint": {
        "zh": "添加：发送“添加家人”或“添加租户”；删除：点下面的按钮，或发送“删除家人 名字”。",
        "en": "Add: send \"add family\" or \"add tenant\"; remove: press a button below.",
    },
    "household_btn_list": {"zh": "我家绑定了哪些人", "en": "Who is linked"},
    "household_btn_remove": {"zh": "删除 {name}", "en": "Remove {name}"},
    "household_btn_revoke": {"zh": "作废邀请码 {label}", "en": "Revoke code {label}"},
    "household_code_revoked": {"zh": "邀请码（{label}）已作废。", "en": "The code ({label}) is revoked."},
    "household_removed": {
        "zh": "已把 {name} 从 {home} 移除，对方不能再查看这套房屋的信息。",
        "en": "{name} is removed from {home} and can no longer see this home.",
    },
    "household_removed_push": {
        "zh": "您已被业主从 {home} 移除，不能再查看这套房屋的信息。如有疑问请联系业主或物业服务中心。",
        "en": "The owner has removed you from {home}; you can no longer see this home.",
    },
    "household_joined": {
        "zh": "绑定成功！本账号已作为{role}关联 {community} {home}：{may}。",
        "en": "Linked! This chat is linked to {home}, {community} as a {role}: you {may}.",
    },
    "household_joined_second": {
        "zh": "已添加房屋 {community} {home}（{role}）：{may}。发送“切换房屋”可以在您的房屋之间切换。",
        "en": "Home {home}, {community} added (as a {role}): you {may}. Send \"switch home\" to switch between your homes.",
    },
    "household_joined_push": {
        "zh": "{label} 已用您生成的邀请码绑定 {home}。发送“我家绑定了哪些人”可以查看或删除。",
        "en": "{label} has linked {home} with the code you made. Send \"who is linked\" to see or remove people.",
    },
    "household_already_member": {
        "zh": "本账号已经关联 {home}，不需要再绑定。", "en": "This chat is already linked to {home}.",
    },
    "household_owner_only": {
        "zh": "只有登记的业主才能添加或删除家人和租户。", "en": "Only the registered owner can add or remove family members and tenants.",
    },
    "household_tenant_no_history": {
        "zh": "租户账号看不到业主的缴费记录。当前待缴账单可以发送“查账单”查看。",
        "en": "A tenant's chat does not show the owner's payment history. Send \"bills\" for what is due now.",
    },
    # -- the office's command line -------------------------------------------------------
    "community_not_found": {"zh": "没有名为“{name}”的小区。", "en": "There is no community called \"{name}\"."},
    "community_bad_hours": {
        "zh": "时间格式应为“08:00-20:00”", "en": "hours must look like \"08:00-20:00\"",
    },
    "cli_community_bad_value": {"zh": "{option}：{reason}", "en": "{option}: {reason}"},
    "cli_community_nothing": {
        "zh": "没有要修改的设置：请给出 --service-phone、--emergency-phone、--desk-hours、--district、--street 或 --heating-provider。",
        "en": "Nothing to change: give --service-phone, --emergency-phone, --desk-hours, --district, --street or --heating-provider.",
    },
    "cli_community_changed": {"zh": "{community}：{field} {old} → {new}", "en": "{community}: {field} {old} → {new}"},
    "cli_community_unchanged": {"zh": "{community}：设置没有变化。", "en": "{community}: nothing changed."},
    "cli_community_show": {
        "zh": "{community}\n  物业服务电话：{service_phone}\n  24小时应急电话：{emergency_phone}\n  前台时间：{front_desk_hours}\n  区：{district}\n  街道：{street}\n  供暖：{heating_provider}",
        "en": "{community}\n  service phone: {service_phone}\n  24-hour emergency line: {emergency_phone}\n  front desk hours: {front_desk_hours}\n  district: {district}\n  street: {street}\n  heating: {heating_provider}",
    },
    "cli_binding_none": {"zh": "没有待处理的绑定申请。", "en": "No binding requests waiting."},
    "cli_binding_line": {
        "zh": "{id}\t{created}\t{community} {home}\t{phone}\t{match}\t{status}",
        "en": "{id}\t{created}\t{community} {home}\t{phone}\t{match}\t{status}",
    },
    "cli_binding_match": {"zh": "与登记一致（{name}）", "en": "matches the register ({name})"},
    "cli_binding_no_match": {"zh": "与登记不符", "en": "does not match the register"},
    "cli_binding_approved": {"zh": "已批准绑定申请 {id}，已通知申请人。", "en": "Binding request {id} approved; the requester is told."},
    "cli_binding_rejected": {"zh": "已驳回绑定申请 {id}，已通知申请人。", "en": "Binding request {id} rejected; the requester is told."},
}

register(TEXTS)
