"""Small texts for the stage table tests: realistic lines from the samples, and builders."""
from __future__ import annotations

PRE_1 = "回顾其 1994 年 12 月 15 日第 49/75 K 号和 2020 年 12 月 7 日第 75/66 号决议，"
PRE_2 = "深信核武器的继续存在对人类和地球上的所有生命构成威胁，确认防止核灾难的唯一办法就是彻底消除核武器并确保永远不再生产核武器，"
PRE_3 = "重申国际社会承诺通过彻底消除核武器实现无核武器世界的目标，"
OP_1 = "1. **再次着重指出**国际法院的一致结论，即各国义务真诚地开展和完成在严格有效的国际监督下实现所有方面核裁军的谈判；"
OP_2 = "2. **再次促请**所有国家立即开展为在严格有效的国际监督下，包括根据《禁止核武器条约》实现所有方面的核裁军的多边谈判；"
OP_3 = "3. **请**所有国家将其为执行本决议和进行核裁军所作的努力和采取的措施通知秘书长，并请秘书长向大会第七十七届会议通报这些情况；"
OP_4 = "4. **决定**在大会第七十七届会议临时议程题为“全面彻底裁军”的项目下列入题为“国际法院的咨询意见的后续行动”的分项。"
CLOSE = "2021 年 12 月 6 日\n第 45 次全体会议"


def build(*blocks: str) -> str:
    """Blocks separated by a blank line, as in the samples; a block may hold LF-separated lines."""
    return "\n\n".join(blocks) + "\n"


def lineno(text: str, needle: str, nth: int = 0) -> int:
    """1-based line of the ``nth`` occurrence of ``needle`` in ``text``."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    return text.count("\n", 0, pos) + 1
