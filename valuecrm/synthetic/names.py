"""Made-up people: Chinese and English names, e-mail addresses, phone numbers and places.

Small hand-written tables (no Faker). E-mail addresses use the reserved example domains
(RFC 2606); English phone numbers use the fictional ranges (+1 555-01xx, +44 7700 900xxx).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# (surname, pinyin): the most common Chinese surnames.
CHINESE_SURNAMES = [
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
    ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
    ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("高", "gao"),
    ("林", "lin"), ("罗", "luo"), ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"),
    ("唐", "tang"), ("许", "xu"), ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"),
    ("彭", "peng"), ("曾", "zeng"), ("萧", "xiao"), ("田", "tian"), ("董", "dong"), ("袁", "yuan"),
    ("潘", "pan"), ("于", "yu"), ("蒋", "jiang"), ("蔡", "cai"), ("余", "yu"), ("杜", "du"),
    ("叶", "ye"), ("程", "cheng"), ("苏", "su"), ("魏", "wei"), ("吕", "lv"), ("丁", "ding"),
]
# (character, pinyin) for given names, by gender.
CHINESE_GIVEN_FEMALE = [
    ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("艳", "yan"),
    ("娟", "juan"), ("霞", "xia"), ("婷", "ting"), ("雪", "xue"), ("琳", "lin"), ("慧", "hui"),
    ("颖", "ying"), ("欣", "xin"), ("悦", "yue"), ("佳", "jia"), ("怡", "yi"), ("晶", "jing"),
    ("梅", "mei"), ("燕", "yan"), ("玲", "ling"), ("倩", "qian"), ("萍", "ping"), ("红", "hong"),
]
CHINESE_GIVEN_MALE = [
    ("伟", "wei"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"),
    ("杰", "jie"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("刚", "gang"), ("平", "ping"),
    ("辉", "hui"), ("鹏", "peng"), ("华", "hua"), ("飞", "fei"), ("斌", "bin"), ("宇", "yu"),
    ("浩", "hao"), ("凯", "kai"), ("健", "jian"), ("俊", "jun"), ("帆", "fan"), ("博", "bo"),
]
ENGLISH_FEMALE = [
    "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah",
    "Karen", "Lisa", "Nancy", "Emily", "Emma", "Olivia", "Sophia", "Grace", "Chloe", "Hannah",
    "Laura", "Rachel", "Amy", "Anna", "Kate", "Lucy", "Megan", "Rebecca", "Helen", "Alice",
]
ENGLISH_MALE = [
    "James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas",
    "Charles", "Daniel", "Matthew", "Andrew", "Mark", "Paul", "Steven", "Kevin", "Brian",
    "George", "Edward", "Peter", "Henry", "Jack", "Oliver", "Harry", "Samuel", "Ben", "Adam",
]
ENGLISH_SURNAMES = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
    "Taylor", "Thomas", "Moore", "Martin", "Jackson", "White", "Harris", "Clark", "Lewis",
    "Walker", "Hall", "Allen", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams",
    "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips", "Campbell", "Parker",
    "Evans", "Edwards", "Collins", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Reed",
]
# (region, cities)
CHINESE_PLACES = [
    ("广东", ("广州", "深圳", "佛山", "东莞")), ("北京", ("北京",)), ("上海", ("上海",)),
    ("浙江", ("杭州", "宁波", "温州")), ("江苏", ("南京", "苏州", "无锡")),
    ("四川", ("成都", "绵阳")), ("湖北", ("武汉", "宜昌")), ("山东", ("济南", "青岛")),
    ("福建", ("福州", "厦门")), ("台湾", ("台北", "台中", "高雄")), ("香港", ("香港",)),
]
ENGLISH_PLACES = [
    ("California", ("Los Angeles", "San Francisco", "San Diego")), ("New York", ("New York",)),
    ("Texas", ("Houston", "Austin")), ("England", ("London", "Manchester", "Bristol")),
    ("Scotland", ("Edinburgh", "Glasgow")), ("Ontario", ("Toronto", "Ottawa")),
    ("New South Wales", ("Sydney",)), ("Singapore", ("Singapore",)),
]
EMAIL_DOMAINS = np.array(["example.com", "example.net", "example.org", "mail.example.com"])
SIGNUP_CHANNELS = np.array(["web", "app", "store", "referral", "social", "phone"])
SIGNUP_CHANNEL_WEIGHTS = np.array([0.32, 0.25, 0.2, 0.08, 0.1, 0.05])
INCOME_BANDS = np.array(["low", "lower_middle", "middle", "upper_middle", "high"])


@dataclass
class People:
    """Profile columns of a batch of customers (arrays of equal length)."""

    name: np.ndarray
    email: np.ndarray
    phone: np.ndarray
    gender: np.ndarray
    birth_year: np.ndarray
    region: np.ndarray
    city: np.ndarray
    signup_channel: np.ndarray
    income_band: np.ndarray


def _cat(*parts: np.ndarray | str) -> np.ndarray:
    out = np.asarray(parts[0], dtype=object)
    for part in parts[1:]:
        out = out + np.asarray(part, dtype=object)
    return out


def _pick(rng: np.random.Generator, table: list, n: int) -> np.ndarray:
    return rng.integers(0, len(table), size=n)


def _places(rng: np.random.Generator, places: list, n: int) -> tuple[np.ndarray, np.ndarray]:
    cities = [(region, city) for region, names in places for city in names]
    # bigger places first: Zipf-like weights
    weights = 1.0 / np.arange(1, len(cities) + 1) ** 0.7
    idx = rng.choice(len(cities), size=n, p=weights / weights.sum())
    region = np.array([c[0] for c in cities], dtype=object)[idx]
    city = np.array([c[1] for c in cities], dtype=object)[idx]
    return region, city


def draw_people(rng: np.random.Generator, n: int, chinese_share: float,
                referred: np.ndarray, signup_year: np.ndarray) -> People:
    """Profiles for ``n`` customers: a share ``chinese_share`` with Chinese names."""
    chinese = rng.random(n) < chinese_share
    female = rng.random(n) < 0.52
    gender = np.where(female, "female", "male").astype(object)
    gender[rng.random(n) < 0.01] = "other"
    number = rng.integers(1, 1000, size=n).astype(str).astype(object)

    # Chinese: surname + one or two given-name characters
    s = _pick(rng, CHINESE_SURNAMES, n)
    sur_han = np.array([x[0] for x in CHINESE_SURNAMES], dtype=object)[s]
    sur_pin = np.array([x[1] for x in CHINESE_SURNAMES], dtype=object)[s]
    given_han = np.empty(n, dtype=object)
    given_pin = np.empty(n, dtype=object)
    given_han[:] = ""
    given_pin[:] = ""
    two = rng.random(n) < 0.7
    for k in range(2):
        take = np.ones(n, bool) if k == 0 else two
        for is_female, table in ((True, CHINESE_GIVEN_FEMALE), (False, CHINESE_GIVEN_MALE)):
            rows = take & (female == is_female)
            g = _pick(rng, table, int(rows.sum()))
            given_han[rows] += np.array([x[0] for x in table], dtype=object)[g]
            given_pin[rows] += np.array([x[1] for x in table], dtype=object)[g]
    zh_name = _cat(sur_han, given_han)
    zh_email = _cat(given_pin, ".", sur_pin, number)

    # English: first name + surname
    first = np.where(female, np.array(ENGLISH_FEMALE, dtype=object)[_pick(rng, ENGLISH_FEMALE, n)],
                     np.array(ENGLISH_MALE, dtype=object)[_pick(rng, ENGLISH_MALE, n)])
    last = np.array(ENGLISH_SURNAMES, dtype=object)[_pick(rng, ENGLISH_SURNAMES, n)]
    en_name = _cat(first, " ", last)
    en_email = _cat(np.char.lower(first.astype(str)).astype(object), ".",
                    np.char.lower(last.astype(str)).astype(object), number)

    domain = EMAIL_DOMAINS[rng.integers(0, len(EMAIL_DOMAINS), size=n)].astype(object)
    email = _cat(np.where(chinese, zh_email, en_email), "@", domain)

    # phones: Chinese mobiles +86 1[3-9]x xxxx xxxx; English in the fictional ranges
    mobile = (rng.integers(130, 200, size=n) * 10**8 + rng.integers(0, 10**8, size=n))
    zh_phone = _cat("+86 ", mobile.astype(str).astype(object))
    us = rng.random(n) < 0.6
    us_phone = _cat("+1 ", rng.integers(201, 990, size=n).astype(str).astype(object), " 555 01",
                    np.char.zfill(rng.integers(0, 100, size=n).astype(str), 2).astype(object))
    uk_phone = _cat("+44 7700 900",
                    np.char.zfill(rng.integers(0, 1000, size=n).astype(str), 3).astype(object))
    phone = np.where(chinese, zh_phone, np.where(us, us_phone, uk_phone))

    zh_region, zh_city = _places(rng, CHINESE_PLACES, n)
    en_region, en_city = _places(rng, ENGLISH_PLACES, n)
    region = np.where(chinese, zh_region, en_region)
    city = np.where(chinese, zh_city, en_city)

    age = np.clip(np.round(rng.normal(36, 12, size=n)), 16, 90).astype(np.int64)
    birth_year = signup_year.astype(np.int64) - age
    channel = SIGNUP_CHANNELS[rng.choice(len(SIGNUP_CHANNELS), size=n,
                                         p=SIGNUP_CHANNEL_WEIGHTS)].astype(object)
    channel[referred] = "referral"
    income = INCOME_BANDS[rng.choice(len(INCOME_BANDS), size=n,
                                     p=[0.15, 0.25, 0.3, 0.2, 0.1])].astype(object)
    income[rng.random(n) < 0.2] = None  # not known
    return People(name=np.where(chinese, zh_name, en_name), email=email, phone=phone,
                  gender=gender, birth_year=birth_year, region=region, city=city,
                  signup_channel=channel, income_band=income)
