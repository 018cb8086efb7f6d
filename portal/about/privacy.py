"""What the portal keeps about the people who use it, why, and for how long: the 隐私声明's table.

Built from the settings and constants that decide each period, so that the notice cannot drift from what
the code does. Letters have no automatic deletion: their contact details and address stay until erased on
request (participation.services.submission_erase_personal_data), which the notice says.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from portal.core.views import YEAR
from portal.follow.tokens import CONFIRM_MAX_AGE
from portal.participation import captcha, ratelimit, satisfaction
from portal.participation.views import RECEIPT_MAX_AGE

DAY = 24 * 3600


@dataclass
class Kept:
    what: str
    why: str
    how_long: str


def days(seconds: int) -> int:
    return seconds // DAY


def collected() -> list[Kept]:
    rows = [
        Kept(
            _("来信、意见征集回答和网站找错报告:内容,以及您选填的姓名、电话、电子邮箱"),
            _("受理、转交承办单位、答复和核实;只有您同意公开的来信才公开标题、内容和答复,姓名和联系方式从不公开"),
            _("来信和答复作为办理记录保存;姓名、电话和电子邮箱保存到您申请删除为止(删除办法见下文)"),
        ),
        Kept(
            _("提交来信时的 IP 地址"),
            _("防止滥用:同一网络每分钟最多提交 %(minute)s 件、每天最多 %(day)s 件")
            % {"minute": settings.PARTICIPATION_RATE_PER_MINUTE, "day": settings.PARTICIPATION_RATE_PER_DAY},
            _("随来信保存到您申请删除为止;用于计数的记录在 %(minute)s 秒和 %(hours)s 小时后自动失效")
            % {"minute": ratelimit.MINUTE, "hours": ratelimit.DAY // 3600},
        ),
        Kept(
            _("满意度评价:分数和选填的意见;浏览器标识和 IP 地址只以不可还原的摘要形式保存"),
            _("每个浏览器每季度对每个领域只计一次评价;同一网络每季度对每个领域最多 %(n)s 次")
            % {"n": settings.SATISFACTION_MAX_PER_ADDRESS},
            _("评价长期保存用于统计;浏览器标识 Cookie 保存 %(days)s 天")
            % {"days": days(satisfaction.VOTER_COOKIE_MAX_AGE)},
        ),
        Kept(
            _("关注:您的电子邮箱、关注的内容(领域、指标、意见征集或您的来信)、申请和确认时间、已通知到的时间"),
            _(
                "先发一封确认邮件,您点击确认后才发送汇总邮件(每天最多一封);邮箱从不公开、不进入搜索和开放数据;"
                "同一邮箱每天最多收到 %(address)s 封确认邮件,同一网络每天最多申请 %(ip)s 次"
            )
            % {"address": settings.FOLLOW_MAX_PER_ADDRESS, "ip": settings.FOLLOW_MAX_PER_IP},
            _(
                "未确认的申请 %(days)s 天后自动删除;已确认的保存到您退订为止:每封邮件都有一键退订和“管理我的关注”链接,"
                "也可联系领导小组办公室删除"
            )
            % {"days": CONFIRM_MAX_AGE.days},
        ),
        Kept(
            _("受理回执 Cookie(受理编号和查询码)"),
            _("提交后在确认页显示一次回执;查询码在服务器上只以不可还原的摘要形式保存"),
            _("显示后立即删除,最长 %(minutes)s 分钟") % {"minutes": RECEIPT_MAX_AGE // 60},
        ),
        Kept(
            _("字号和适老化模式 Cookie"),
            _("记住您选择的字号和显示模式"),
            _("%(days)s 天") % {"days": days(YEAR)},
        ),
        Kept(_("站内搜索的搜索词"), _("改进搜索结果;不记录 IP 地址或任何能识别搜索者的信息"), _("长期保存")),
    ]
    if captcha.configured():
        rows.append(
            Kept(
                _("人机验证(reCAPTCHA)"),
                _("提交表单时,验证服务(%(domain)s)收到验证令牌和您的 IP 地址,用于判断是否为自动程序")
                % {"domain": settings.RECAPTCHA_DOMAIN},
                _("本站只保存验证结论(通过、未通过),不保存验证数据"),
            )
        )
    return rows
