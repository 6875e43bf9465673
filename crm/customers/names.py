"""Company names as the duplicate check compares them: 上海船舶重工有限公司 and "上海 船舶重工 公司" are one name;
and names in pinyin, for searching by pinyin (``bjsj`` finds 北京世纪…) and sorting Chinese names as people expect."""

from __future__ import annotations

import re
import unicodedata

from pypinyin import lazy_pinyin

_CJK_SUFFIXES = ("股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "分公司", "公司", "集团")
"""Chinese legal-form endings, longest first."""
_WORD_SUFFIXES = frozenset(("co", "company", "corp", "corporation", "inc", "incorporated", "limited", "ltd",
                            "llc", "plc", "gmbh", "ag", "sa", "group"))
"""Latin-script legal-form words left out when they end the name."""
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def name_key(company: str) -> str:
    """``company`` lower-cased without width variants, spaces, punctuation and legal-form endings."""
    words = _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", company or "").casefold()).split()
    while len(words) > 1 and words[-1] in _WORD_SUFFIXES:
        words.pop()
    text = "".join(words)
    stripped = True
    while stripped:
        stripped = False
        for suffix in _CJK_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, stripped = text[: -len(suffix)], True
                break
    return text[:200]


def person_key(name: str) -> str:
    """A person's name as the duplicate check compares them: ``王 建国`` and ``王建国``, ``Li  Wei`` and ``li wei``
    are one name (width variants, case, spaces and punctuation ignored)."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", name or "").casefold())


PINYIN_LENGTH = 400
INITIALS_LENGTH = 200


def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name, lower-case letters and digits only, for search and sorting:
    北京世纪重工 -> ``("beijingshijizhonggong", "bjsjzg")``. Latin-script words keep their letters and give their
    first letter as an initial (``Ocean Shipping`` -> ``("oceanshipping", "os")``)."""
    syllables: list[str] = []
    for piece in lazy_pinyin(unicodedata.normalize("NFKC", name or "").casefold()):
        syllables += _NOT_WORD.sub(" ", piece).split()
    return "".join(syllables)[:PINYIN_LENGTH], "".join(s[0] for s in syllables)[:INITIALS_LENGTH]


def pinyin_query(text: str) -> str:
    """The search text as pinyin is stored (``"Bei Jing"`` -> ``"beijing"``), or "" when it is not pinyin (it holds
    Chinese characters or other non-Latin letters)."""
    compact = _NOT_WORD.sub("", unicodedata.normalize("NFKC", text or "").casefold())
    return compact if compact.isascii() and compact.isalnum() else ""
