"""The admin's section titles in Chinese, the third-party apps' included
(shegong.core.app_names)."""

import re


def test_the_admin_section_titles_are_chinese(world, login):
    html = login(world["admin"]).get("/admin/").content.decode()
    titles = re.findall(r"<caption>\s*<a[^>]*>([^<]*)</a>", html)
    assert {"登录防护", "身份验证器（TOTP）", "备用验证码"} <= set(titles)
    assert not {"Axes", "Otp_Totp", "Otp_Static"} & set(titles)
