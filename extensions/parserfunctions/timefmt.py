"""``{{#time:}}`` and ``{{#timel:}}``: reading a date as PHP's ``DateTime`` does (the common
forms) and formatting it with MediaWiki's ``Language::sprintfDate`` codes.

Owns the date reader (ISO 8601, ``15 January 2001``, ``January 15, 2001``, ``@unix``,
``now``/``today``/``tomorrow``/``yesterday``, relative offsets such as ``+1 day`` or
``3 weeks ago``, time zone names and offsets), the format codes (``d D j l N w z W F M m n
t L o Y y a A g G h H i s c r U e I O P T Z xg xn xN xr xx``, ``\\`` escapes and ``"…"``
literals) and month/day names in English, French, Breton and Dutch.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = dt.timezone.utc

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "br": ["Genver", "C'hwevrer", "Meurzh", "Ebrel", "Mae", "Mezheven", "Gouere", "Eost",
           "Gwengolo", "Here", "Du", "Kerzu"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"],
}
MONTHS_ABBR = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "fr": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
           "nov.", "déc."],
    "br": ["Gen", "C'hwe", "Meur", "Ebr", "Mae", "Mezh", "Goue", "Eost", "Gwen", "Here", "Du",
           "Kzu"],
    "nl": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
}
DAYS = {  # Monday first, as datetime.weekday()
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "br": ["Lun", "Meurzh", "Merc'her", "Yaou", "Gwener", "Sadorn", "Sul"],
    "nl": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
}
DAYS_ABBR = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "fr": ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."],
    "br": ["Lun", "Meu", "Mer", "Yao", "Gwe", "Sad", "Sul"],
    "nl": ["ma", "di", "wo", "do", "vr", "za", "zo"],
}
LANGUAGES = frozenset(MONTHS)

# English names PHP's DateTime understands in input
_MONTH_IN = {m.lower(): i + 1 for i, m in enumerate(MONTHS["en"])}
_MONTH_IN.update({m.lower(): i + 1 for i, m in enumerate(MONTHS_ABBR["en"])})
_MONTH_IN["sept"] = 9
_DAY_IN = {d.lower(): i for i, d in enumerate(DAYS["en"])}
_DAY_IN.update({d.lower(): i for i, d in enumerate(DAYS_ABBR["en"])})
_UNITS = {"sec": "seconds", "second": "seconds", "min": "minutes", "minute": "minutes",
          "hour": "hours", "day": "days", "week": "weeks", "fortnight": "fortnight",
          "month": "months", "year": "years"}
_MONTH_RE = "|".join(sorted(_MONTH_IN, key=len, reverse=True))

_TIME = r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?\s*(?P<ampm>[ap]\.?m\.?)?"
_TZ = r"(?P<tz>Z|UTC|GMT|[A-Za-z]+/[A-Za-z_/+-]+|[+-]\d{2}:?\d{2}|[+-]\d{1,2})"
_ISO = re.compile(r"(?P<y>-?\d{4,5})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[T\s]+" + _TIME + r")?")
_ISO_MONTH = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})(?![\d-])")
_DMY = re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?[\s.-]*(?P<mon>" + _MONTH_RE +
                  r")\.?[\s.,-]*(?P<y>\d{1,4})?(?![\d:])", re.I)
_MDY = re.compile(r"(?P<mon>" + _MONTH_RE + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?"
                  r"(?:,?\s*(?P<y>\d{4}))?(?![\d:])", re.I)
_MY = re.compile(r"(?P<mon>" + _MONTH_RE + r")\.?\s+(?P<y>\d{4})", re.I)
_SLASH = re.compile(r"(?P<a>\d{1,4})/(?P<b>\d{1,2})(?:/(?P<c>\d{1,4}))?")
_DOTTED = re.compile(r"(?P<d>\d{1,2})[.-](?P<m>\d{1,2})[.-](?P<y>\d{4}|\d{2}(?!\d))")
_TIME_RE = re.compile(_TIME, re.I)
_TZ_RE = re.compile(r"(?:^|\s|(?<=:\d\d))" + _TZ + r"\s*$")
_DIGITS = re.compile(r"(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2}))?")  # 20010115[103000]
_FIRST_LAST = re.compile(r"\b(first|last)\s+day\s+of\b", re.I)
_REL = re.compile(r"(?P<n>[+-]?\s*\d+)\s*(?P<u>sec|second|min|minute|hour|day|week|fortnight|"
                  r"month|year)s?(?P<ago>\s+ago)?\b", re.I)
_NEXT = re.compile(r"\b(?P<w>next|last|previous|this)\s+(?P<u>sec|second|min|minute|hour|day|"
                   r"week|fortnight|month|year|" + "|".join(_DAY_IN) + r")\b", re.I)
_WORDS = re.compile(r"\b(now|today|midnight|noon|tomorrow|yesterday)\b", re.I)
_WEEKDAY = re.compile(r"\b(" + "|".join(sorted(_DAY_IN, key=len, reverse=True)) + r")\b,?",
                      re.I)


class InvalidTime(ValueError):
    """The date text is not one PHP's DateTime would read."""


def _zone(name: str) -> dt.tzinfo:
    upper = name.upper()
    if upper in ("Z", "UTC", "GMT"):
        return UTC
    m = re.fullmatch(r"([+-])(\d{1,2}):?(\d{2})?", name)
    if m:
        delta = dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
        return dt.timezone(delta if m.group(1) == "+" else -delta)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise InvalidTime(name) from e


def _add_months(d: dt.datetime, months: int) -> dt.datetime:
    """PHP month arithmetic: overflowing days roll into the next month (Jan 31 + 1 month)."""
    total = d.year * 12 + (d.month - 1) + months
    year, month = divmod(total, 12)
    if not 1 <= year <= 9999:
        raise InvalidTime("year out of range")
    first = d.replace(year=year, month=month + 1, day=1)
    return first + dt.timedelta(days=d.day - 1)


def _apply_relative(base: dt.datetime, n: int, unit: str) -> dt.datetime:
    unit = _UNITS[unit.lower()]
    if unit == "fortnight":
        return base + dt.timedelta(weeks=2 * n)
    if unit == "months":
        return _add_months(base, n)
    if unit == "years":
        return _add_months(base, 12 * n)
    return base + dt.timedelta(**{unit: n})


def parse_date(text: str, now: dt.datetime, tz: dt.tzinfo = UTC) -> dt.datetime:
    """The instant ``text`` names (PHP DateTime semantics, default zone ``tz``)."""
    s = " ".join(text.split())
    if re.fullmatch(r"\d{4}", s):
        s = "00:00 " + s
    m = _DIGITS.fullmatch(s)
    if m:  # MediaWiki timestamps ({{REVISIONTIMESTAMP}}) and YYYYMMDD
        y, mo, d, h, mi, sec = m.groups()
        s = f"{y}-{mo}-{d} {h or '00'}:{mi or '00'}:{sec or '00'}"
    if s.startswith("@"):
        m = re.fullmatch(r"@(-?\d+)(?:\.\d+)?", s)
        if not m:
            raise InvalidTime(text)
        try:
            return dt.datetime(1970, 1, 1, tzinfo=UTC) + dt.timedelta(seconds=int(m.group(1)))
        except OverflowError as e:
            raise InvalidTime(text) from e
    zone = tz
    m = _TZ_RE.search(s)
    if m and not re.fullmatch(r"[+-]\d{1,2}", m.group("tz")):
        zone = _zone(m.group("tz"))
        s = s[:m.start()].strip()
    base = now.astimezone(zone)
    date: tuple[int, int, int] | None = None
    clock: tuple[int, int, int] | None = None
    rest = s

    def take(match: re.Match[str]) -> None:
        nonlocal rest
        rest = rest[:match.start()] + " " + rest[match.end():]

    try:
        for regex in (_ISO, _DMY, _MDY, _MY, _DOTTED, _SLASH, _ISO_MONTH):
            m = regex.search(rest)
            if not m:
                continue
            g = m.groupdict()
            if regex is _ISO:
                date = (int(g["y"]), int(g["m"]), int(g["d"]))
                if g.get("H"):
                    clock = _clock(g)
            elif regex is _ISO_MONTH:
                date = (int(g["y"]), int(g["m"]), 1)
            elif regex in (_DMY, _MDY):
                y = g.get("y")
                date = (int(y) if y else base.year, _MONTH_IN[g["mon"].lower()], int(g["d"]))
            elif regex is _MY:
                date = (int(g["y"]), _MONTH_IN[g["mon"].lower()], 1)
            elif regex is _DOTTED:
                y = int(g["y"])
                date = (y + (2000 if y < 70 else 1900) if len(g["y"]) == 2 else y,
                        int(g["m"]), int(g["d"]))
            else:  # slashes: Y/m/d or m/d/Y or m/d
                a, b, c = g["a"], g["b"], g["c"]
                if len(a) == 4:
                    if c is None:
                        raise InvalidTime(text)
                    date = (int(a), int(b), int(c))
                else:
                    year = int(c) if c else base.year
                    if c and len(c) == 2:
                        year += 2000 if year < 70 else 1900
                    date = (year, int(a), int(b))
            take(m)
            break
        if clock is None:
            m = _TIME_RE.search(rest)
            if m:
                clock = _clock(m.groupdict())
                take(m)
        if date is None:
            m = re.search(r"(?<![\d:+-])(\d{4})(?![\d:])", rest)
            if m:  # "00:00 1970": a bare year keeps today's month and day, as PHP does
                date = (int(m.group(1)), base.month, base.day)
                take(m)
        relatives: list[tuple[int, str]] = []
        for m in list(_REL.finditer(rest)):
            n = int(m.group("n").replace(" ", ""))
            relatives.append((-n if m.group("ago") else n, m.group("u")))
        rest = _REL.sub(" ", rest)
        first_last = _FIRST_LAST.search(rest)
        if first_last:
            rest = rest[:first_last.start()] + " " + rest[first_last.end():]
        nexts = list(_NEXT.finditer(rest))
        rest = _NEXT.sub(" ", rest)
        words = [w.lower() for w in _WORDS.findall(rest)]
        rest = _WORDS.sub(" ", rest)
        weekday = _WEEKDAY.search(rest)
        rest = _WEEKDAY.sub(" ", rest)
        if rest.strip(" ,."):
            raise InvalidTime(text)
        result = base
        if date is not None:
            y, mo, d = date
            if not (1 <= mo <= 12 and 1 <= d <= 31):
                raise InvalidTime(text)
            if y < 1:
                raise _YearError("small")
            if y > 9999:
                raise _YearError("big")
            first = dt.datetime(y, mo, 1, tzinfo=zone)
            result = first + dt.timedelta(days=d - 1)  # PHP rolls 31 April into 1 May
            result = result.replace(hour=0, minute=0, second=0, microsecond=0)
        if clock is not None:
            result = result.replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(
                hours=clock[0], minutes=clock[1], seconds=clock[2])
        for w in words:
            if w in ("today", "midnight"):
                result = result.replace(hour=0, minute=0, second=0, microsecond=0)
            elif w == "noon":
                result = result.replace(hour=12, minute=0, second=0, microsecond=0)
            elif w == "tomorrow":
                result = (result + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0,
                                                                 microsecond=0)
            elif w == "yesterday":
                result = (result - dt.timedelta(days=1)).replace(hour=0, minute=0, second=0,
                                                                 microsecond=0)
        for m in nexts:
            word, unit = m.group("w").lower(), m.group("u").lower()
            sign = {"next": 1, "last": -1, "previous": -1, "this": 0}[word]
            if unit in _DAY_IN:
                target = _DAY_IN[unit]
                delta = (target - result.weekday()) % 7
                if sign < 0:
                    delta = delta - 7 if delta else -7
                elif sign > 0 and delta == 0:
                    delta = 7
                result = (result + dt.timedelta(days=delta)).replace(hour=0, minute=0,
                                                                     second=0, microsecond=0)
            elif sign:
                result = _apply_relative(result, sign, unit)
        if weekday is not None and date is None and not nexts:
            target = _DAY_IN[weekday.group(1).lower()]
            delta = (target - result.weekday()) % 7
            result = (result + dt.timedelta(days=delta)).replace(hour=0, minute=0, second=0,
                                                                 microsecond=0)
        for n, unit in relatives:
            result = _apply_relative(result, n, unit)
        if first_last:  # "first/last day of" applies after the month arithmetic, as in PHP
            day = 1 if first_last.group(1).lower() == "first" else calendar.monthrange(
                result.year, result.month)[1]
            result = result.replace(day=day)
    except (OverflowError, ValueError) as e:
        if isinstance(e, (_YearError, InvalidTime)):
            raise
        raise InvalidTime(text) from e
    return result


class _YearError(InvalidTime):
    """A year outside 0…9999 (``#time``'s own messages)."""


def _clock(g: dict) -> tuple[int, int, int]:
    h, mi, sec = int(g["H"]), int(g["M"]), int(g.get("S") or 0)
    ampm = (g.get("ampm") or "").lower().replace(".", "")
    if ampm:
        if not 1 <= h <= 12:
            raise InvalidTime("hour")
        h = h % 12 + (12 if ampm == "pm" else 0)
    if h > 24 or mi > 59 or sec > 60:
        raise InvalidTime("clock")
    return h, mi, sec


_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(n: int) -> str:
    if n <= 0 or n > 10000:
        return str(n)
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _offset(d: dt.datetime, colon: bool) -> str:
    off = d.utcoffset() or dt.timedelta(0)
    secs = int(off.total_seconds())
    sign = "+" if secs >= 0 else "-"
    secs = abs(secs)
    return f"{sign}{secs // 3600:02d}{':' if colon else ''}{secs % 3600 // 60:02d}"


def sprintf_date(fmt: str, d: dt.datetime, lang: str = "en") -> str:
    """MediaWiki's ``Language::sprintfDate`` of ``d`` (already in the output zone)."""
    lang = lang if lang in MONTHS else "en"
    out: list[str] = []
    raw = raw_toggle = use_roman = False
    p, n = 0, len(fmt)
    while p < n:
        code = fmt[p]
        if code == "x" and p < n - 1:
            p += 1
            code += fmt[p]
        num: int | str | None = None
        if code == "xx":
            out.append("x")
        elif code == "xn":
            raw = True
        elif code == "xN":
            raw_toggle = not raw_toggle
        elif code == "xr":
            use_roman = True
        elif code in ("xg", "F"):
            out.append(MONTHS[lang][d.month - 1])
        elif code == "d":
            num = f"{d.day:02d}"
        elif code == "D":
            out.append(DAYS_ABBR[lang][d.weekday()])
        elif code == "j":
            num = d.day
        elif code == "l":
            out.append(DAYS[lang][d.weekday()])
        elif code == "N":
            num = d.isoweekday()
        elif code == "w":
            num = d.isoweekday() % 7
        elif code == "z":
            num = d.timetuple().tm_yday - 1
        elif code == "W":
            num = f"{d.isocalendar()[1]:02d}"
        elif code == "M":
            out.append(MONTHS_ABBR[lang][d.month - 1])
        elif code == "m":
            num = f"{d.month:02d}"
        elif code == "n":
            num = d.month
        elif code == "t":
            num = calendar.monthrange(d.year, d.month)[1]
        elif code == "L":
            num = 1 if calendar.isleap(d.year) else 0
        elif code == "o":
            num = d.isocalendar()[0]
        elif code == "Y":
            num = f"{d.year:04d}"
        elif code == "y":
            num = f"{d.year % 100:02d}"
        elif code == "a":
            out.append("am" if d.hour < 12 else "pm")
        elif code == "A":
            out.append("AM" if d.hour < 12 else "PM")
        elif code == "g":
            num = d.hour % 12 or 12
        elif code == "G":
            num = d.hour
        elif code == "h":
            num = f"{d.hour % 12 or 12:02d}"
        elif code == "H":
            num = f"{d.hour:02d}"
        elif code == "i":
            num = f"{d.minute:02d}"
        elif code == "s":
            num = f"{d.second:02d}"
        elif code == "c":
            out.append(d.strftime("%Y-%m-%dT%H:%M:%S") + _offset(d, True))
        elif code == "r":
            out.append(f"{DAYS_ABBR['en'][d.weekday()]}, {d.day:02d} "
                       f"{MONTHS_ABBR['en'][d.month - 1]} {d.year:04d} "
                       f"{d.strftime('%H:%M:%S')} {_offset(d, False)}")
        elif code == "U":
            num = int(d.timestamp())
        elif code == "e":
            out.append(getattr(d.tzinfo, "key", None) or ("UTC" if d.utcoffset() ==
                                                          dt.timedelta(0) else _offset(d, True)))
        elif code == "I":
            num = 1 if d.dst() else 0
        elif code == "O":
            out.append(_offset(d, False))
        elif code == "P":
            out.append(_offset(d, True))
        elif code == "T":
            out.append(d.tzname() or "UTC")
        elif code == "Z":
            num = int((d.utcoffset() or dt.timedelta(0)).total_seconds())
        elif code == "\\":
            if p < n - 1:
                p += 1
                out.append(fmt[p])
            else:
                out.append("\\")
        elif code == '"':
            end = fmt.find('"', p + 1)
            if end != -1:
                out.append(fmt[p + 1:end])
                p = end
            else:
                out.append('"')
        else:
            out.append(code)
        if num is not None:
            if raw or raw_toggle:
                out.append(str(num))
                raw = False
            elif use_roman:
                out.append(roman(int(num)))
                use_roman = False
            else:
                out.append(str(num))
        p += 1
    return "".join(out)
