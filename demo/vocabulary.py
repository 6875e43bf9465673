"""Names in the demo data, per language: companies, people, industries, regions … (``flask crm demo --language``).

The lists of both languages run parallel (same length and order), so one seed draws the same records in either
language; e-mail addresses and web paths take the English word of the same position.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Vocabulary:
    """One language's words for the demo records."""

    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]
    industries: tuple[str, ...]
    regions: tuple[str, ...]
    sources: tuple[str, ...]
    surnames: tuple[str, ...]
    titles: tuple[str, ...]
    vessels: tuple[str, ...]
    cities: tuple[str, ...] = ()
    given_names: tuple[str, ...] = ()
    users: tuple[tuple[str, str], ...] = ()
    """(username, display name) of the demo logins."""

    def company(self, rng: random.Random, number: int, taken: set[str]) -> tuple[str, int]:
        """A company name not in ``taken`` and the position of its prefix (for its e-mail domain)."""
        prefix, suffix = rng.choice(self.prefixes), rng.choice(self.suffixes)
        if not self.cities:
            name = f"{prefix} {suffix} {number + 1:03d}"
        else:  # 上海海洋航运有限公司; a name already taken gets the branch's city
            city = self.cities[number % len(self.cities)]
            name = f"{city}{prefix}{suffix}有限公司"
            if name in taken:
                name = f"{prefix}{suffix}（{self.cities[(number // len(self.cities)) % len(self.cities)]}）有限公司"
            if name in taken:
                name = f"{prefix}{suffix}第{number + 1}分公司"
        taken.add(name)
        return name, self.prefixes.index(prefix)

    def contact(self, rng: random.Random, index: int) -> tuple[str, int]:
        """A contact person's name and the position of the surname (for the e-mail address)."""
        surname = rng.choice(self.surnames)
        position = self.surnames.index(surname)
        if not self.given_names:
            return f"{surname} {chr(65 + index)}.", position
        return f"{surname}{self.given_names[(position + index * 7) % len(self.given_names)]}", position


ENGLISH = Vocabulary(
    prefixes=("Ocean", "Blue Star", "Pacific", "Golden Anchor", "Harbour", "Northern", "Eastern", "Dragon", "Coastal",
              "Silver Wave", "Great Lakes", "Red Sea", "Yangtze", "Pearl River", "Atlantic", "Polar", "Sunrise"),
    suffixes=("Shipping", "Marine", "Logistics", "Offshore", "Ferries", "Dredging", "Fisheries", "Navigation",
              "Tankers", "Lines"),
    industries=("Shipping", "Offshore oil & gas", "Fishing", "Ferry operator", "Dredging", "Logistics", "Government"),
    regions=("East China", "North China", "South China", "Southeast Asia", "Europe", "Middle East"),
    sources=("trade fair", "referral", "website", "tender portal", "cold call"),
    surnames=("Li", "Wang", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Tan", "Lim", "Meyer"),
    titles=("Purchasing manager", "Technical director", "CEO", "Fleet manager", "Project engineer", "CFO"),
    vessels=("bulk carrier", "LNG carrier", "container feeder", "tug", "ferry", "dredger", "fishing vessel",
             "offshore supply vessel", "chemical tanker"),
    users=(("admin", "Ada Admin"), ("owner", "Otto Owner"), ("sales", "Sam Sales"), ("sales2", "Sue Sales"),
           ("info", "Ian Info"), ("custdir", "Cara Customer-Director"), ("salesdir", "Sid Sales-Director"),
           ("mktdir", "Mia Marketing-Director"), ("finance", "Fay Finance"), ("agent", "Al Agent"),
           ("engineer", "Eve Engineer"), ("engineer2", "Ed Engineer")),
)

CHINESE = Vocabulary(
    prefixes=("远洋", "蓝星", "太平洋", "金锚", "港湾", "北方", "东方", "巨龙", "沿海", "银浪", "五湖", "红海", "长江",
              "珠江", "大西洋", "极地", "旭日"),
    suffixes=("航运", "海事", "物流", "海洋工程", "轮渡", "疏浚", "渔业", "船务", "油运", "海运"),
    industries=("航运", "海洋油气", "渔业", "客滚运输", "疏浚工程", "物流", "政府机关"),
    regions=("华东", "华北", "华南", "东南亚", "欧洲", "中东"),
    sources=("展会", "客户推荐", "公司网站", "招标平台", "电话开发"),
    surnames=("李", "王", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "谭", "林", "梅"),
    titles=("采购经理", "技术总监", "总经理", "船队经理", "项目工程师", "财务总监"),
    vessels=("散货船", "液化天然气运输船", "集装箱支线船", "拖轮", "客滚船", "挖泥船", "渔船", "海工供应船",
             "化学品船"),
    cities=("上海", "宁波", "青岛", "大连", "广州", "天津", "厦门", "舟山", "南通", "武汉"),
    given_names=("伟", "芳", "娜", "敏", "静", "磊", "强", "洋", "艳", "军", "杰", "涛", "明", "超", "秀英", "建华",
                 "海燕", "志强"),
    users=(("admin", "系统管理员 艾达"), ("owner", "流程负责人 欧涛"), ("sales", "王晓明"), ("sales2", "苏丽"),
           ("info", "信息员 殷然"), ("custdir", "客户总监 陈佳"), ("salesdir", "销售总监 孙德"),
           ("mktdir", "市场总监 马雅"), ("finance", "财务 方菲"), ("agent", "客服 安磊"), ("engineer", "工程师 叶伟"),
           ("engineer2", "工程师 邓强")),
)

VOCABULARIES = {"en": ENGLISH, "zh_CN": CHINESE}


def vocabulary(language: str | None) -> Vocabulary:
    """The words of ``language`` (English for any language without its own)."""
    return VOCABULARIES.get(language or "en", ENGLISH)
