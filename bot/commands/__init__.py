"""Subcommands of `python -m bot`.

Each module listed here exposes `register(subparsers)`, which adds its parser(s) and sets
`func(args, app) -> int | None` on them (`set_defaults(func=...)`). Optionally it also sets
`adjust(args, settings) -> Settings` to change the configuration before the App is built
(e.g. `serve --port`). Add a command by appending its module here.
"""

COMMAND_MODULES: tuple[str, ...] = (
    "bot.commands.db",
    "bot.commands.serve",
    "bot.commands.chat",
    "bot.commands.web_token",
    "bot.commands.imports",
    "bot.commands.seed",
    "bot.commands.invite",
    "bot.commands.notice",
    "bot.commands.sender",
    "bot.commands.jobs",
    "bot.commands.community",
    "bot.commands.binding",
    "bot.commands.console",
    "bot.commands.conversations",
    "bot.commands.operations",
    "bot.commands.company",
    "bot.commands.refund",
    "bot.commands.pay_link",
    "bot.commands.wechat_pay",
    "bot.commands.report",
    "bot.commands.regulator",
    "bot.commands.credit",
    "bot.commands.supervision",
)
