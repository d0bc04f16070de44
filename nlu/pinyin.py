"""Pinyin typed instead of characters: split Latin words into syllables, and transliterate.

Owners without a Chinese IME type `wuyefei duoshao` or `dianti huaile`. The classifier sees
such words split into toneless syllables (`wu ye fei duo shao`), and training adds a pinyin
copy of every Chinese example (made with pypinyin, which reads polyphones in context), so
the same syllable features point to the same intents. Segmentation needs only the syllable
table below; pypinyin is imported at training time only.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Toneless Mandarin syllables (from pypinyin's dictionary; v for ü, rare interjections out).
_SYLLABLE_TEXT = """
a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can
cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chuai
chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei
deng di dia dian diao die ding diu dong dou du duan dui dun duo e ei en er fa fan fang fei
fen feng fo fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun
guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia
jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke ken keng
kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia lian
liang liao lie lin ling liu long lou lu luan lun luo lv ma mai man mang mao me mei men
meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nian
niang niao nie nin ning niu nong nu nuan nuo nv o ou pa pai pan pang pao pei pen peng pi
pian piao pie pin ping po pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun
ran rang rao re ren reng ri rong rou ru ruan rui run ruo sa sai san sang sao se sen seng
sha shai shan shang shao she shen sheng shi shou shu shua shuai shuan shuang shui shun
shuo si song sou su suan sui sun suo ta tai tan tang tao te teng ti tian tiao tie ting
tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie
xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yong you yu yuan yue yun
za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhen zheng zhi zhong zhou
zhu zhua zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo
"""
SYLLABLES = frozenset(_SYLLABLE_TEXT.split())
_MAX = max(map(len, SYLLABLES))
_WORD_RE = re.compile(r"[a-z]+")
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@lru_cache(maxsize=4096)
def segment(word: str) -> tuple[str, ...] | None:
    """Fewest-syllable split of a lower-case word (`wuyefei` → wu ye fei), or None."""
    n = len(word)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[n] = ()
    for i in range(n - 1, -1, -1):
        for j in range(min(n, i + _MAX), i, -1):  # longer syllables first on ties
            rest = best[j]
            if rest is not None and word[i:j] in SYLLABLES and (
                    best[i] is None or len(rest) + 1 < len(best[i])):
                best[i] = (word[i:j], *rest)
    return best[0]


def spaced(text: str) -> str:
    """Latin words that are pinyin, written as separate syllables; other text unchanged."""
    def split(m: re.Match[str]) -> str:
        parts = segment(m.group(0)) if len(m.group(0)) <= 40 else None
        return " ".join(parts) if parts else m.group(0)

    return _WORD_RE.sub(split, text)


def has_cjk(text: str) -> bool:
    """Whether the text has Chinese characters to transliterate."""
    return _CJK_RE.search(text) is not None


def transliterate(text: str) -> str:
    """`物业费还欠多少` → `wu ye fei hai qian duo shao` (training only: imports pypinyin)."""
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(text, style=Style.NORMAL, v_to_u=False, errors="default"))
