"""korean-persons (OFAC North Korea persons across spellings) and hangul (hangul queries).

Spelling alternatives, hangul syllables and Korean names of list entries are written by hand
below; no romanizer is called.
"""

from __future__ import annotations

import re

from .common import PERSON, Pair, negative, positive

PERSONS = "korean-persons"
HANGUL = "hangul"

# Family names as OFAC writes them (apostrophes dropped, lower case) -> hangul.
FAMILY = {
    "kim": "김", "pak": "박", "park": "박", "ri": "리", "choe": "최", "jo": "조", "cho": "조",
    "kang": "강", "han": "한", "hwang": "황", "jang": "장", "chang": "장", "jong": "정",
    "ryu": "류", "yu": "유", "o": "오", "ko": "고", "mun": "문", "sin": "신", "pae": "배",
    "paek": "백", "ho": "허", "kil": "길", "ku": "구", "ji": "지", "cha": "차", "chu": "주",
    "ju": "주", "jon": "전", "min": "민", "kwak": "곽", "ryom": "렴", "ryang": "량", "yun": "윤",
    "nam": "남", "son": "손", "myong": "명", "im": "임", "u": "우", "ro": "로",
}  # fmt: skip
# Given-name syllables as OFAC writes them -> one hangul syllable that reads so.
GIVEN = {
    "jong": "정", "un": "은", "yo": "여", "ryong": "룡", "hae": "해", "pyong": "병",
    "chol": "철", "chon": "천", "yong": "영", "won": "원", "kyong": "경", "thaek": "택",
    "gil": "길", "kil": "길", "su": "수", "kuk": "극", "ryol": "렬", "so": "서", "man": "만",
    "gon": "건", "mu": "무", "sik": "식", "hong": "홍", "hwi": "휘", "ki": "기", "nam": "남",
    "jae": "재", "il": "일", "pil": "필", "hun": "훈", "byong": "병", "ok": "옥", "yon": "연",
    "chun": "춘", "pu": "부", "song": "성", "kwang": "광", "hyok": "혁", "ho": "호",
    "tong": "동", "sok": "석", "chan": "찬", "hak": "학", "bok": "복", "myong": "명",
    "jin": "진", "sun": "순", "hwan": "환", "kwon": "권", "u": "우", "mun": "문", "ung": "웅",
    "hui": "희", "bong": "봉", "sang": "상", "thae": "태", "tae": "태", "hwa": "화",
    "sam": "삼", "tok": "덕", "guk": "국", "ju": "주", "hyon": "현", "chang": "창",
    "ha": "하", "kyu": "규", "min": "민", "pom": "범", "jun": "준", "uk": "욱", "ja": "자",
    "hyong": "형", "sop": "섭", "in": "인", "rim": "림",
}  # fmt: skip
# The hangul of well-known people, where it differs from what the table gives or is certain.
KNOWN_HANGUL = {
    "KIM, Jong Un": "김정은",
    "KIM, Yo Jong": "김여정",
    "CHOE, Ryong Hae": "최룡해",
    "RI, Pyong Chol": "리병철",
    "PAK, Jong Chon": "박정천",
    "KIM, Yong Chol": "김영철",
    "JO, Yong-Won": "조용원",
    "JONG, Kyong Thaek": "정경택",
    "RI, Yong Gil": "리영길",
    "O, Kuk-Ryol": "오극렬",
    "HWANG, Pyong So": "황병서",
    "RI, Yong Mu": "리용무",
    "KIM, Won Hong": "김원홍",
    "CHOE, Hwi": "최휘",
    "KIM, Ki Nam": "김기남",
    "MIN, Byong Chol": "민병철",
    "CHOE, Pu Il": "최부일",
}
# How else people write a syllable (McCune-Reischauer, Revised Romanization, common usage).
FAMILY_SPELLINGS = {
    "pak": ("Park", "Bak"), "ri": ("Lee", "Rhee", "Yi", "Li"), "choe": ("Choi", "Chwe"),
    "jo": ("Cho",), "cho": ("Jo",), "jang": ("Chang",), "chang": ("Jang",),
    "jong": ("Chong", "Jeong", "Chung"), "ryu": ("Yoo", "Yu"), "ro": ("Roh", "No"),
    "kang": ("Gang",), "ko": ("Koh", "Go"), "sin": ("Shin",), "mun": ("Moon",),
    "jon": ("Chon", "Jeon"), "o": ("Oh",), "yun": ("Yoon",), "paek": ("Baek", "Paik"),
    "ho": ("Heo", "Hur"), "kil": ("Gil",), "ku": ("Koo", "Gu"), "ji": ("Chi",), "chi": ("Ji",),
    "pae": ("Bae",), "ryom": ("Yeom",), "ryang": ("Yang",), "son": ("Sohn",),
    "myong": ("Myung",), "im": ("Lim",), "u": ("Woo",), "chu": ("Ju",), "ju": ("Chu",),
}  # fmt: skip
GIVEN_SPELLINGS = {
    "jong": ("Chong", "Jeong"), "chol": ("Cheol", "Chul"), "yong": ("Young",),
    "kwang": ("Gwang",), "hyok": ("Hyuk", "Hyeok"), "song": ("Sung", "Seong"), "un": ("Eun",),
    "su": ("Soo",), "chun": ("Jun",), "pyong": ("Byong", "Byung"), "myong": ("Myung",),
    "kyong": ("Kyung", "Gyeong"), "hui": ("Hee",), "tong": ("Dong",), "sok": ("Seok", "Suk"),
    "tok": ("Deok", "Duk"), "thae": ("Tae",), "tae": ("Thae",), "hun": ("Hoon",),
    "sik": ("Shik",), "gil": ("Kil",), "kil": ("Gil",), "bok": ("Pok",), "jin": ("Chin",),
    "won": ("Weon",), "u": ("Woo", "Wu"), "kwon": ("Gwon",), "kuk": ("Guk",), "guk": ("Kuk",),
    "gon": ("Kon", "Geon"), "ki": ("Gi",), "jae": ("Chae",), "hyon": ("Hyeon", "Hyun"),
    "pil": ("Phil",), "pu": ("Bu",), "bong": ("Pong",), "sun": ("Soon",), "ung": ("Eung",),
    "yo": ("Yeo",), "mun": ("Moon",), "chon": ("Cheon",), "ryol": ("Ryeol",),
    "sop": ("Seop",), "kyu": ("Gyu",), "jun": ("Chun",), "yon": ("Yeon",), "pom": ("Beom",),
    "thaek": ("Taek",), "uk": ("Wook",),
}  # fmt: skip
# Given-name syllables put in place of one of a person's, to make a different person.
OTHER_SYLLABLES = (
    "Chol", "Hyok", "Nam", "Il", "Su", "Ho", "Man", "Song", "Myong", "Kwang", "Hwan",
    "Jin", "Hun", "Sik", "Ok", "Gil", "Bok", "Chun", "Yong", "Ung", "Hui", "Sok", "Won",
    "Min", "Hak", "Sam", "Pom", "Kyong", "Tae",
)  # fmt: skip

NOT_IM = "North Korean spelling: given name Rim (림) is not Im (임)"
# Which kind of variant each positive is, in turn (spellings and typos most often).
SHAPE_CYCLE = (
    "typo", "family name spelled", "given syllables", "family name first", "typo",
    "given names first", "given name written", "spelled", "typo", "capitals", "family name spelled",
)  # fmt: skip
_SPLIT = re.compile(r"[\s-]+")


def _key(syllable: str) -> str:
    return syllable.replace("'", "").lower()


def parse(name: str) -> tuple[str, list[str]] | None:
    """('KIM', ['Jong', 'Un']) from 'KIM, Jong Un', if every syllable is Korean as far as
    the tables know."""
    if ", " not in name:
        return None
    family, given = name.split(", ", 1)
    syllables = [s for s in _SPLIT.split(given) if s]
    if _key(family) not in FAMILY or not syllables:
        return None
    if any(_key(s) not in GIVEN for s in syllables):
        return None
    return family, syllables


def korean_people(people: list[tuple[str, list[str]]]) -> list[tuple[str, str, list[str]]]:
    """(list name, family, given syllables) of the OFAC persons with a Korean name, each
    name once."""
    seen: set[str] = set()
    found = []
    for name, _ in people:
        parsed = parse(name)
        if parsed and name not in seen:
            seen.add(name)
            found.append((name, *parsed))
    return found


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:].lower()


def _respell(syllable: str, table: dict[str, tuple[str, ...]], n: int) -> str | None:
    spellings = table.get(_key(syllable))
    return spellings[n % len(spellings)] if spellings else None


def _typo(syllable: str, n: int) -> str:
    """A slip of the keyboard in a syllable of 3-4 letters: two letters swapped, the last
    doubled, or (in four letters) one left out; never another syllable (deterministic by n)."""
    s = _cap(syllable.replace("'", ""))
    slips = (
        s[0] + s[2] + s[1] + s[3:],  # Chol -> Cohl
        s + s[-1],  # Hwan -> Hwann
        s[:-2] + s[-1] if len(s) == 4 else "",  # Hyok -> Hyk
    )
    for k in range(3):
        slip = slips[(n + k) % 3]
        if slip and _key(slip) not in GIVEN and _key(slip) not in FAMILY:
            return slip
    raise AssertionError(syllable)


def _variants(name: str, family: str, given: list[str], n: int) -> list[tuple[str, str]]:
    fam, giv = _cap(family.replace("'", "")), [_cap(s.replace("'", "")) for s in given]
    plain = " ".join(giv)
    found = [
        (f"{fam} {plain}", "family name first, no comma"),
        (f"{plain} {fam}", "given names first (Western order)"),
        (f"{family.upper()} {' '.join(g.upper() for g in giv)}", "capitals, no comma"),
    ]
    if len(giv) > 1:
        found.append((f"{fam}, {'-'.join(giv)}", "given syllables hyphenated"))
    if len(giv) > 1:
        found.append(
            (
                f"{fam} {''.join(giv[:1]) + ''.join(g.lower() for g in giv[1:])}",
                "given name written as one word",
            )
        )
    other_family = _respell(family, FAMILY_SPELLINGS, n)
    if other_family:
        found.append((f"{other_family} {plain}", f"family name spelled {other_family}"))
    for j, syllable in enumerate(giv):
        other = _respell(syllable, GIVEN_SPELLINGS, n + j)
        if other:
            respelled = [*giv[:j], other, *giv[j + 1 :]]
            found.append((f"{fam}, {' '.join(respelled)}", f"spelled {other} for {syllable}"))
            break
    for j, syllable in enumerate(giv):
        if 3 <= len(syllable) <= 4:
            typo = _typo(syllable, n + j)
            slipped = [*giv[:j], typo, *giv[j + 1 :]]
            found.append(
                (f"{fam} {' '.join(slipped)}", f"typo in a short syllable ({syllable} -> {typo})")
            )
            break
    return found


def _different_syllable(given: list[str], n: int) -> tuple[list[str], str]:
    """The given names with one syllable replaced by one that is not a spelling of it."""
    j = n % len(given)
    original = _key(given[j])
    same = {original, *(_key(s) for s in GIVEN_SPELLINGS.get(original, ()))}
    for k in range(len(OTHER_SYLLABLES)):
        other = OTHER_SYLLABLES[(n * 7 + k) % len(OTHER_SYLLABLES)]
        if {original, _key(other)} == {"ryong", "yong"}:
            continue  # 룡 is written Yong in the South
        if _key(other) not in same and all(_key(other) != _key(g) for g in given):
            changed = [*given[:j], other, *given[j + 1 :]]
            return changed, f"{given[j]} -> {other}"
    raise AssertionError(given)


def korean_persons(people: list[tuple[str, list[str]]]) -> list[Pair]:
    pairs: list[Pair] = []
    found = korean_people(people)
    for n, (name, family, given) in enumerate(found):
        if n % 2:
            continue
        options = _variants(name, family, given, n)
        wanted = SHAPE_CYCLE[(n // 2) % len(SHAPE_CYCLE)]
        query, how = next((o for o in options if o[1].startswith(wanted)), options[0])
        pairs.append(positive(query, name, PERSONS, f"OFAC person; {how}", kind=PERSON))
    # Listed persons who share the family name and all but one given syllable.
    real = []
    for i, (a, fa, ga) in enumerate(found):
        for b, fb, gb in found[i + 1 :]:
            if _key(fa) != _key(fb) or len(ga) != len(gb) or len(ga) < 2:
                continue
            differ = [(x, y) for x, y in zip(ga, gb, strict=True) if _key(x) != _key(y)]
            if len(differ) == 1:
                x, y = differ[0]
                if _key(y) not in {_key(s) for s in GIVEN_SPELLINGS.get(_key(x), ())}:
                    real.append((a, b))
    for a, b in real[::2]:
        pairs.append(
            negative(
                a, b, PERSONS, "two different OFAC persons: one given syllable differs", kind=PERSON
            )
        )
    for n, (name, family, given) in enumerate(found):
        if n % 3 or len(given) < 2:
            continue
        changed, how = _different_syllable(given, n)
        query = f"{_cap(family)} {' '.join(changed)}" if n % 2 else f"{family}, {' '.join(changed)}"
        pairs.append(
            negative(
                query, name, PERSONS, f"invented: one given syllable differs ({how})", kind=PERSON
            )
        )
    pairs += [
        negative(q, b, PERSONS, how, kind=PERSON)
        for q, b, how in (
            (
                "KIM, Chol Man",
                "KIM, Man Chol",
                "given syllables in the other order are another name",
            ),
            (
                "PAK, Nam Chol",
                "PAK, Chol Nam",
                "given syllables in the other order are another name",
            ),
            ("RI, Ho Nam", "RI, Nam Ho", "given syllables in the other order are another name"),
            ("KIM, Rim Sok", "KIM, Im Sok", f"{NOT_IM}; the family-name rule is for family names"),
            ("Pak Rim Chol", "PAK, Im Chol", NOT_IM),
            ("RI, Song Rim", "RI, Song Im", NOT_IM),
            ("RIM, Song Chol", "RI, Song Chol", "family names Rim (림) and Ri (리) differ"),
        )
    ]
    pairs += [
        positive(q, b, PERSONS, how, kind=PERSON)
        for q, b, how in (
            ("LIM, Chol Su", "RIM, Chol Su", "family name Rim/Lim (림/임): the South's spelling"),
            ("Lee Song Rim", "RI, Song Rim", "family name Ri/Lee; given name Rim kept"),
            ("Kim Rim Sok", "KIM, Rim Sok", "given name Rim kept as Rim"),
            ("Kim Rimsok", "KIM, Rim Sok", "given name Rim Sok written as one word"),
            ("RHEE, Jong Chol", "RI, Jong Chol", "family name Ri/Rhee"),
            ("Jong Un Kim", "KIM, Jong Un", "Western order"),
            ("Kim Jong-un", "KIM, Jong Un", "as the press writes it"),
            ("YOO, Jin", "RYU, Jin", "family name Ryu/Yoo (류)"),
        )
    ]
    return pairs


# --- hangul ------------------------------------------------------------------------------


def hangul_of(name: str) -> str | None:
    if name in KNOWN_HANGUL:
        return KNOWN_HANGUL[name]
    parsed = parse(name)
    if parsed is None:
        return None
    family, given = parsed
    return FAMILY[_key(family)] + "".join(GIVEN[_key(s)] for s in given)


# (hangul, a name the lists carry for that entry)
HANGUL_ORGANIZATIONS = (
    ("조선광업개발무역회사", "KOREA MINING DEVELOPMENT TRADING CORPORATION"),
    ("조선단군무역회사", "KOREA TANGUN TRADING CORPORATION"),
    ("조선대성은행", "KOREA DAESONG BANK"),
    ("조선대성은행", "CHOSON TAESONG UNHAENG"),
    ("동방은행", "TONGBANG BANK"),
    ("동방은행", "TONGBANG U'NHAENG"),
    ("조선무역은행", "KOREA TRADE BANK"),
    ("청천강해운회사", "CHONGCHONGANG SHIPPING COMPANY LIMITED"),
    ("원양해운관리회사", "OCEAN MARITIME MANAGEMENT COMPANY LIMITED"),
    ("정찰총국", "CHONGCH'AL CH'ONGGUK"),
    ("정찰총국", "RECONNAISSANCE GENERAL BUREAU"),
    ("고려항공", "AIR KORYO"),
    ("만수대창작사", "MANSUDAE ART STUDIO"),
    ("조선금별무역회사", "KOREA KUMBYOL TRADING COMPANY"),
    ("백설무역회사", "PAEKSOL TRADING CORPORATION"),
    ("칠성무역회사", "CHILSONG TRADING CORPORATION"),
    ("조선신진무역회사", "KOREA SINJIN TRADING CORPORATION"),
    ("조선새날무역회사", "KOREA SAENAL TRADING CORPORATION"),
    ("조선은금회사", "KOREA UNGUM CORPORATION"),
    ("옥류무역회사", "OKRYU TRADING COMPANY"),
    ("조선천수림무역회사", "KOREA CHONSURIM TRADING CORPORATION"),
    ("조선오성해운회사", "KOREA OSONG SHIPPING CORPORATION"),
    ("조선송광무역총회사", "KOREA SONGKWANG TRADING GENERAL CORPORATION"),
    ("조선남강무역회사", "KOREA NAMGANG TRADING CORPORATION"),
    ("조선해금강무역회사", "KOREA HAEGUMGANG TRADING CORPORATION"),
    ("조선철산종합무역회사", "KOREA CHOLSAN GENERAL TRADING CORPORATION"),
    ("조선릉라도무역총회사", "KOREA RUNGRADO GENERAL TRADING CORPORATION"),
    ("금강은행", "KUMGANG BANK"),
    ("고려은행", "KORYO BANK"),
    ("고려상업은행", "KORYO COMMERCIAL BANK LTD."),
    ("일심국제은행", "ILSIM INTERNATIONAL BANK"),
    ("류경상업은행", "RYUGYONG COMMERCIAL BANK"),
    ("제일신용은행", "CHEIL CREDIT BANK"),
    ("진명합영은행", "JINMYONG JOINT BANK"),
    ("진성합영은행", "JINSONG JOINT BANK"),
    ("압록강기술개발회사", "AMNOKGANG TECHNOLOGY DEVELOPMENT COMPANY"),
    ("대원공업회사", "DAEWON INDUSTRIES"),
    ("강봉무역회사", "KANGBONG TRADING CORPORATION"),
    ("송이무역회사", "SONGI TRADING COMPANY"),
    ("해진선박관리회사", "HAEJIN SHIP MANAGEMENT COMPANY LIMITED"),
    ("영진선박관리회사", "YONGJIN SHIP MANAGEMENT COMPANY LIMITED"),
    ("평진선박관리회사", "PYONGJIN SHIP MANAGEMENT COMPANY LIMITED"),
)
# (hangul of a different organization, the list name it is not, why)
HANGUL_ORGANIZATION_NEGATIVES = (
    ("조선금성무역회사", "KOREA KUMBYOL TRADING COMPANY", "Kumsong (금성) vs Kumbyol"),
    ("조선대동무역회사", "KOREA TANGUN TRADING CORPORATION", "Taedong (대동) vs Tangun"),
    ("조선신흥무역회사", "KOREA SINJIN TRADING CORPORATION", "Sinhung (신흥) vs Sinjin"),
    ("조선새별무역회사", "KOREA SAENAL TRADING CORPORATION", "Saebyol (새별) vs Saenal"),
    ("옥천무역회사", "OKRYU TRADING COMPANY", "Okchon (옥천) vs Okryu"),
    ("고려상업은행", "KORYO BANK", "two listed banks: Koryo Commercial Bank vs Koryo Bank"),
    ("진명합영은행", "JINSONG JOINT BANK", "two listed banks: Jinmyong vs Jinsong"),
    ("진성합영은행", "JINMYONG JOINT BANK", "two listed banks: Jinsong vs Jinmyong"),
    ("해진선박관리회사", "YONGJIN SHIP MANAGEMENT COMPANY LIMITED", "two listed companies"),
    ("평진선박관리회사", "HAEJIN SHIP MANAGEMENT COMPANY LIMITED", "two listed companies"),
    ("류경상업은행", "RYUJONG CREDIT BANK", "two listed banks: Ryugyong vs Ryujong"),
    ("제일신용은행", "KOREA MANDAL CREDIT BANK", "two listed credit banks"),
    ("칠보무역회사", "CHILSONG TRADING CORPORATION", "Chilbo (칠보) vs Chilsong"),
    ("백두무역회사", "PAEKSOL TRADING CORPORATION", "Paektu (백두) vs Paeksol"),
    ("조선남산무역회사", "KOREA NAMGANG TRADING CORPORATION", "Namsan (남산) vs Namgang"),
    (
        "조선천산종합무역회사",
        "KOREA CHOLSAN GENERAL TRADING CORPORATION",
        "Chonsan (천산) vs Cholsan",
    ),
    (
        "두만강기술개발회사",
        "AMNOKGANG TECHNOLOGY DEVELOPMENT COMPANY",
        "Tumangang (두만강) vs Amnokgang",
    ),
    ("일성국제은행", "ILSIM INTERNATIONAL BANK", "Ilsong (일성) vs Ilsim"),
    ("금성은행", "KUMGANG BANK", "Kumsong (금성) vs Kumgang"),
    ("고려해운회사", "AIR KORYO", "Koryo Shipping vs Air Koryo"),
    (
        "정치총국",
        "CHONGCH'AL CH'ONGGUK",
        "the General Political Bureau (정치총국), not reconnaissance",
    ),
    ("정치총국", "RECONNAISSANCE GENERAL BUREAU", "the General Political Bureau (정치총국)"),
    ("대동강해운회사", "CHONGCHONGANG SHIPPING COMPANY LIMITED", "Taedonggang vs Chongchongang"),
    ("조선금강해운회사", "KOREA HAEGUMGANG TRADING CORPORATION", "Kumgang shipping vs Haegumgang"),
    ("송림무역회사", "SONGI TRADING COMPANY", "Songrim (송림) vs Songi"),
)


def hangul(people: list[tuple[str, list[str]]], listed_names: set[str]) -> list[Pair]:
    pairs: list[Pair] = []
    for hangul_name, listed in HANGUL_ORGANIZATIONS:
        assert listed in listed_names, listed
        pairs.append(
            positive(
                hangul_name,
                listed,
                HANGUL,
                "Korean name of the listed organization, written here",
                country_a="KP",
            )
        )
    for hangul_name, listed, how in HANGUL_ORGANIZATION_NEGATIVES:
        assert listed in listed_names, listed
        pairs.append(negative(hangul_name, listed, HANGUL, how, country_a="KP"))
    found = korean_people(people)
    known = [p for p in found if p[0] in KNOWN_HANGUL]
    others = [p for n, p in enumerate(found) if p[0] not in KNOWN_HANGUL and n % 4 == 1]
    for n, (name, family, given) in enumerate(known + others):
        written = hangul_of(name)
        assert written
        how = (
            "well-known hangul" if name in KNOWN_HANGUL else "hangul written from the list spelling"
        )
        query = written if n % 5 else f"{written[0]} {written[1:]}"
        pairs.append(
            positive(query, name, HANGUL, f"OFAC person; {how}", kind=PERSON, country_a="KP")
        )
        if len(given) >= 2:
            changed, change = _different_syllable(given, n + 1)
            other = FAMILY[_key(family)] + "".join(GIVEN[_key(s)] for s in changed)
            pairs.append(
                negative(
                    other,
                    name,
                    HANGUL,
                    f"same family name and one syllable ({change})",
                    kind=PERSON,
                    country_a="KP",
                )
            )
    return pairs
