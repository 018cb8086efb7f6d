"""The text load_plan gives the site's own pages when it creates them; the office edits it afterwards.

The office, its telephone number and mail address are the plan's (台府〔2014〕32号: 领导小组日常工作由市财政局承担;
the published page gives 0750-5565827 and tssxzzx@jiangmen.gov.cn). The plan gives no street address, only that
the office sits in the finance bureau, so that is what the address says until staff write the street.
"""

OFFICE = "台山市推进基本公共服务均等化综合改革试点工作领导小组办公室(设在市财政局)"
PHONE = "0750-5565827"
EMAIL = "tssxzzx@jiangmen.gov.cn"
ADDRESS = "台山市财政局内(领导小组办公室)"

CONTACT = """
<p>对本网站内容、试点工作进展有疑问,或需要了解来信办理情况,可以联系领导小组办公室。</p>
<p>对基本公共服务提意见建议、反映问题,请使用本站的“我要留言”;发现本站网页有错误,请使用“我为政府网站找错”。
两者都有受理编号,可凭编号和查询码查询办理进度。</p>
"""

PRIVACY = """
<p>本网站由台山市推进基本公共服务均等化综合改革试点工作领导小组办公室(设在市财政局)运行。浏览本网站无需注册,
也不需要提供任何个人信息。只有在您留言、参与意见征集、报告网站错误或评价满意度时,我们才保存您主动填写的内容,
并只用于受理、答复和核实。</p>
<h2>我们不做的事</h2>
<ul>
<li>不公开来信人的姓名、电话和电子邮箱;同意公开的来信,只公开标题、内容和答复。</li>
<li>不把您的信息用于广告,不出售或提供给无关单位;来信只转交承办单位办理。</li>
<li>不使用统计或广告类第三方跟踪代码;站内搜索只记录搜索词,不记录是谁搜索的。</li>
</ul>
<h2>如何删除您的个人信息</h2>
<p>请凭受理编号和查询码联系领导小组办公室(见“联系我们”)提出申请。工作人员核实后,删除该来信中的姓名、电话、
电子邮箱和 IP 地址,并记录删除时间;来信内容和答复作为不含个人信息的办理记录保留。</p>
"""

STATEMENT = """
<h2>版权</h2>
<p>本网站公布的试点方案原文(台府〔2014〕32号)属主动公开的政府信息。本网站编写的说明、进展和开放数据,
欢迎转载和使用,请注明来源“台山市基本公共服务均等化”网站;开放数据可自由下载,请勿歪曲其原意。</p>
<h2>数据说明</h2>
<p>标有“示例数据”的数值、图表和进展报告是开发演示用的虚构数据,不是官方统计数据,不能作为任何依据。
其他数据以各责任单位正式公布的为准;方案原文在网页抓取中丢失的符号已经修复,修复之处在“方案原文”页逐条列出。</p>
<h2>链接</h2>
<p>本网站链接的其他网站由其主办单位负责,本网站不对其内容承担责任。</p>
<h2>免责</h2>
<p>本网站力求内容准确、及时,但不对因使用本网站信息造成的损失承担责任。发现错误,欢迎通过“我为政府网站找错”告诉我们。</p>
"""

BODIES = {"contact": CONTACT.strip(), "privacy": PRIVACY.strip(), "statement": STATEMENT.strip()}
