"""config/access.yaml: sign-in mode, session times and the SSO header users, checked with file:line messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from scorecard.roles import CITY, PROVINCE
from scorecard.config import HEADER, PASSWORD, Grant
from scorecard.config import load_access, load_config

HEADER_MODE = """\
mode: header
session: {idle_minutes: 20, max_hours: 8}
header:
  name: X-Remote-User
  trusted_proxies: ["10.1.2.3", "192.168.0.0/16"]
  logout_url: https://sso.example.gov.cn/logout
  users:
    ZhangSan: {role: 省级}
    lisi: {role: 市州, city: "220100"}
    wangwu: {role: admin}
    zhaoliu: {role: 市州, city: 延边州}
"""


def write(config_dir, text: str):
    (config_dir / "access.yaml").write_text(text, encoding="utf-8")


def test_the_shipped_file_is_password_mode_with_the_default_times(shipped_config_dir):
    settings, problems = load_access(shipped_config_dir)
    assert not problems
    assert (settings.mode, settings.idle_minutes, settings.max_hours) == (PASSWORD, 30, 12)


def test_without_the_file_accounts_of_this_system_are_used(config_dir):
    (config_dir / "access.yaml").unlink()
    settings, problems = load_access(config_dir)
    assert not problems and settings.mode == PASSWORD


def test_header_users_map_to_roles_and_cities(config_dir):
    write(config_dir, HEADER_MODE)
    settings, problems = load_access(config_dir)
    assert not problems
    assert (settings.mode, settings.header, settings.idle_minutes, settings.max_hours) == (HEADER, "X-Remote-User", 20, 8)
    assert settings.trusted_proxies == ("10.1.2.3", "192.168.0.0/16")
    assert settings.grant_for("zhangsan") == settings.grant_for(" ZHANGSAN ") == Grant(PROVINCE)
    assert settings.grant_for("lisi") == Grant(CITY, "220100")
    assert settings.grant_for("zhaoliu") == Grant(CITY, "222400")  # a short name is read as its code
    assert settings.grant_for("wangwu").role == "数据管理员"
    assert settings.grant_for("stranger") is None


@pytest.mark.parametrize("old, new, line, message", [
    ("mode: header", "mode: ldap", 1, "登录方式“mode”应当是 password"),
    ("idle_minutes: 20", "idle_minutes: 0", 2, "“idle_minutes”不能小于1"),
    ("name: X-Remote-User", "name: X Remote User", 4, "请求头名称“X Remote User”无效"),
    ('"10.1.2.3"', '"10.1.2.300"', 5, "“10.1.2.300”不是IP地址或网段"),
    ("logout_url: https", "logout_url: ftp", 6, "logout_url“ftp://sso.example.gov.cn/logout”应以"),
    ("{role: 省级}", "{role: 省长}", 8, "角色“省长”无效"),
    ('city: "220100"', "city: 220100", 9, "没有加引号"),
    ('city: "220100"', 'city: "310000"', 9, "市州“310000”不在 cities.yaml 中"),
    ("{role: admin}", '{role: admin, city: "220100"}', 10, "是数据管理员，可查看全部市州，不能写“city”"),
    ("{role: 市州, city: 延边州}", "{role: 市州}", 11, "缺少“city”"),
    ("wangwu:", "zhangsan:", 10, "与前面的用户重名"),
    ("    ZhangSan: {role: 省级}", "    ZhangSan: {role: 省级, rank: 1}", 8, "无法识别的字段“rank”"),
])
def test_mistakes_are_reported_by_file_and_line(config_dir, cli, old, new, line, message):
    assert old in HEADER_MODE
    write(config_dir, HEADER_MODE.replace(old, new, 1))
    settings, problems = load_access(config_dir)
    assert settings is None
    assert any(p.line == line and message in p.message for p in problems), problems
    run = cli("--config", config_dir, "validate")
    assert run.code == 1 and f"access.yaml:{line}: " in run.err and "Traceback" not in run.err


def test_header_mode_needs_its_section(config_dir):
    write(config_dir, "mode: header\n")
    _, problems = load_access(config_dir)
    assert [str(p).split(": ", 1)[1] for p in problems] == ["登录方式为 header 时，必须写“header”一节（请求头名称和用户名单）"]


def test_access_yaml_changes_no_score_and_no_fingerprint(config_dir):
    before, _ = load_config(config_dir)
    write(config_dir, HEADER_MODE)
    after, _ = load_config(config_dir)
    assert after.fingerprint == before.fingerprint
    assert all(Path(p).name != "access.yaml" for p in after.files)


def test_validate_says_how_people_sign_in(config_dir, cli):
    write(config_dir, HEADER_MODE)
    run = cli("--config", config_dir, "validate")
    assert run.code == 0, run.err
    assert "登录：单位统一认证（请求头 X-Remote-User，登记用户 4 个）" in run.out
    assert "20分钟不操作自动退出，一次登录最长8小时" in run.out
